"""Damaged inputs found by fuzzing (round 6): an XML return's blocks read wherever the export
puts them, an Excel cell formatted as a percentage named, a changed plan without its date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from ingest_data import good_files, write_data, xml_return

from sufficiency.ingest import load_data

REVIEW = "<AREVIEW><REVIEW>01/03/2023</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>"


def _c1_episode_end(text: str) -> int:
    """Where C1's first EPISODE closes in ``xml_return()``'s text."""
    return text.index("</EPISODE>", text.index("<CHILDID>C1</CHILDID>"))


@pytest.mark.parametrize("where_put", ["inside the episode", "beside the episode"])
def test_an_xml_review_is_read_wherever_the_child_holds_it(tmp_path: Path, where_put: str) -> None:
    """An AREVIEW nested in an EPISODE was merged into the episode's row: the review lost, and
    only an ``extra_column REVIEW`` warning at "row 1" (not a line of the file)."""
    text = xml_return()
    at = _c1_episode_end(text)
    if where_put == "beside the episode":
        at += len("</EPISODE>")
    damaged = text[:at] + REVIEW + text[at:]
    as_xml = load_data(write_data(tmp_path / "X", {2023: {"return.xml": damaged}}))
    reviews = "CHILD,DOB,REVIEW,REVIEW_CODE\nC1,01/06/2010,01/03/2023,PN1\n"
    as_csv = load_data(write_data(tmp_path / "C", {2023: {**good_files(), "reviews.csv": reviews}}))
    assert as_xml.problems == [] and as_xml.dataset is not None and as_csv.dataset is not None
    xml_reviews = as_xml.dataset.tables["reviews"]
    assert xml_reviews.select("CHILD", "REVIEW_CODE").rows() == [("C1", "PN1")]
    assert xml_reviews.select("CHILD", "DOB", "REVIEW").equals(
        as_csv.dataset.tables["reviews"].select("CHILD", "DOB", "REVIEW")
    )
    assert as_xml.dataset.episodes.equals(as_csv.dataset.episodes)


def _under_c2(fields: str) -> str:
    """The good XML return with ``fields`` written straight under C2's CHILD element."""
    text = xml_return()
    at = text.index("</CHILD>", text.index("<CHILDID>C2</CHILDID>"))
    return text[:at] + fields + text[at:]


def test_adoption_fields_without_a_date_of_interest_are_a_row(tmp_path: Path) -> None:
    """Adoption fields written straight under CHILD (no ADOPTION block) were kept only when
    DATE_INT, the block's first field, was there: a match with no date of interest was dropped
    without a word (children matched 1 -> 0). The CSV form of it is a row."""
    text = _under_c2("<DATE_MATCH>01/02/2023</DATE_MATCH>")
    result = load_data(write_data(tmp_path / "D", {2023: {"return.xml": text}}))
    assert result.problems == [] and result.dataset is not None
    ad1 = result.dataset.tables["ad1"]
    assert ad1.select("CHILD", "DATE_INT", "DATE_MATCH").rows() == [
        ("C2", None, dt.date(2023, 2, 1))
    ]


def test_care_leaver_fields_without_in_touch_are_named_as_in_csv(tmp_path: Path) -> None:
    """An OC3 row with IN_TOUCH blank: the CSV's error, not a row dropped without a word."""
    text = _under_c2("<ACTIV>F1</ACTIV><ACCOM>S2</ACCOM>")
    result = load_data(write_data(tmp_path / "D", {2023: {"return.xml": text}}))
    (error,) = [p for p in result.problems if p.severity == "error"]
    assert (error.code, error.file, error.column) == (
        "missing_code",
        "ssda903/2023/return.xml",
        "IN_TOUCH",
    )
    child = text.rindex("<CHILD>", 0, text.index("<CHILDID>C2"))
    assert error.row == text[:child].count("\n") + 1  # the line of C2's CHILD element
    assert result.dataset is None


# ------------------------------------------------- identifiers the workspace cannot hold
def test_a_child_id_longer_than_the_workspace_holds_is_an_error(tmp_path: Path) -> None:
    """A 25-character CHILD passed the check, then the web's confirm failed with HTTP 500 (its
    store holds 20 characters): named at the check instead, on the command line too."""
    from ingest_data import GOOD_EPISODES, GOOD_HEADER

    from sufficiency.ingest.tables import CHILD_MAX

    long_id = "9" * 25
    header = [[long_id if r[0] == "C1" else r[0], *r[1:]] for r in GOOD_HEADER]
    episodes = [[long_id if r[0] == "C1" else r[0], *r[1:]] for r in GOOD_EPISODES]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header, episodes)}))
    errors = [p for p in result.problems if p.severity == "error"]
    assert [(p.code, p.file, p.row, p.column, p.value) for p in errors] == [
        ("child_id_too_long", "ssda903/2023/episodes.csv", 2, "CHILD", long_id),
        ("child_id_too_long", "ssda903/2023/episodes.csv", 3, "CHILD", long_id),
        ("child_id_too_long", "ssda903/2023/header.csv", 2, "CHILD", long_id),
    ]
    assert errors[-1].message == (
        f"CHILD '{long_id}' is longer than {CHILD_MAX} characters: expected the child's "
        "identifier (a short code), not a name or a note"
    )
    assert result.dataset is None
    exactly = [["C" * CHILD_MAX if r[0] == "C1" else r[0], *r[1:]] for r in GOOD_HEADER]
    fits = [["C" * CHILD_MAX if r[0] == "C1" else r[0], *r[1:]] for r in GOOD_EPISODES]
    assert load_data(write_data(tmp_path / "E", {2023: good_files(exactly, fits)})).ok


@pytest.mark.parametrize(
    ("upn", "kept"),
    [("A123456789012", True), ("UN1", True), ("A1234567890123456", False), ("NOT KNOWN", False)],
)
def test_a_upn_that_is_not_one_is_named_and_dropped(tmp_path: Path, upn: str, kept: bool) -> None:
    """A 17-character UPN loaded without a word (and the web store, 13 characters, failed)."""
    from ingest_data import GOOD_HEADER

    header = [[r[0], r[1], r[2], r[3], upn if r[0] == "C1" else r[4], *r[5:]] for r in GOOD_HEADER]
    result = load_data(write_data(tmp_path / "D", {2023: good_files(header)}))
    named = [(p.severity, p.code, p.row, p.column, p.value) for p in result.problems]
    assert result.dataset is not None
    c1 = result.dataset.children.filter(pl.col("CHILD") == "C1").get_column("UPN").to_list()
    if kept:
        assert named == [] and c1 == [upn]
    else:
        assert named == [("warning", "bad_value", 2, "UPN", upn)] and c1 == [None]


# ------------------------------------------------- a workbook that unzips to far more
def test_a_workbook_that_unzips_past_the_limit_is_refused_unread(
    tmp_path: Path, zip_bomb: Callable[[bytes, int], bytes]
) -> None:
    import io

    import openpyxl
    from ingest_data import EPISODE_COLUMNS, GOOD_EPISODES

    from sufficiency.ingest.workbook_size import XLSX_MAX_UNZIPPED

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [EPISODE_COLUMNS, *GOOD_EPISODES]:
        sheet.append(row)
    saved = io.BytesIO()
    book.save(saved)
    data = zip_bomb(saved.getvalue(), XLSX_MAX_UNZIPPED)
    assert len(data) < 2 * 1024 * 1024
    files = {k: v for k, v in good_files().items() if k != "episodes.csv"}
    root = write_data(tmp_path / "D", {2023: {**files, "episodes.xlsx": data}})
    result = load_data(root)
    (p,) = [p for p in result.problems if p.severity == "error"]
    assert (p.code, p.file) == ("file_unreadable", "ssda903/2023/episodes.xlsx")
    assert "MB once unzipped, more than the 256 MB a return or register can be" in p.message
    assert result.dataset is None
    # the same workbook without the padding loads
    fine = write_data(tmp_path / "E", {2023: {**files, "episodes.xlsx": saved.getvalue()}})
    assert load_data(fine).ok


# ------------------------------------------------- URNs no register holds
def test_urns_no_register_holds_are_named(tmp_path: Path) -> None:
    """URNs written without Ofsted's SC counted 29 children as in unregistered provision, their
    homes' ratings lost, with no word (the measure's definition counts a URN in neither)."""
    from ingest_data import GOOD_EPISODES

    episodes = [list(r) for r in GOOD_EPISODES]
    episodes[1][12] = "654321"  # C1's children's home (K2), SC654321 in the register
    homes = "urn,name,provider,sector,local_authority,postcode,places\n" + (
        "SC654321,Oak House,Oak Care,private,E06000019,HR1 1AA,4\n"
        "SC123456,Elm House,Elm Care,private,E06000019,HR1 1AA,4\n"
    )
    root = write_data(tmp_path / "D", {2023: good_files(episodes=episodes)})
    (root / "registers").mkdir()
    (root / "registers" / "homes.csv").write_text(homes, encoding="utf-8")
    result = load_data(root)
    (p,) = [p for p in result.problems if p.code == "urn_not_in_registers"]
    assert (p.severity, p.file, p.row, p.column, p.value) == (
        "warning",
        "ssda903/2023/episodes.csv",
        3,
        "URN",
        "654321",
    )
    assert p.message == (
        "1 placement(s) in a registered setting give URNs in neither registers/homes nor "
        "registers/supported_accommodation (654321): those children count as in unregistered "
        "provision (unregistered_provision) and in no home's Ofsted rating or provider; "
        "SC654321 are in the registers: write URNs as Ofsted does, with the SC"
    )
    assert result.ok
    episodes[1][12] = "SC654321"
    fixed = write_data(tmp_path / "E", {2023: good_files(episodes=episodes)})
    (fixed / "registers").mkdir()
    (fixed / "registers" / "homes.csv").write_text(homes, encoding="utf-8")
    assert [p for p in load_data(fixed).problems if p.code == "urn_not_in_registers"] == []
