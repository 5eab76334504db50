"""Uploading returns: the year read from the files, the library's checks run against every loaded
return, what would change shown, loaded only on confirmation in one transaction, the replaced
version kept and restorable, and one summarised audit entry per change."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sufficiency.ingest import load_data


def _files(council: Path, year: int) -> dict[str, bytes]:
    folder = council / "ssda903" / str(year)
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def _post(client: Client, files: dict[str, bytes], year: int | None = None) -> Any:
    payload = [SimpleUploadedFile(n, c, content_type="text/csv") for n, c in files.items()]
    return client.post("/data/", {"year": "" if year is None else str(year), "files": payload})


def _cut_episodes(files: dict[str, bytes], keep: int) -> dict[str, bytes]:
    lines = files["episodes.csv"].splitlines(keepends=True)
    return {**files, "episodes.csv": b"".join(lines[: keep + 1])}


def _entries() -> int:
    """Audit entries about the returns (sign-ins and settings are audited too)."""
    from auditlog.models import LogEntry

    return int(LogEntry.objects.filter(content_type__app_label="web_data").count())


def test_files_of_another_year_are_refused_when_the_form_names_a_year(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    """Uploading the 2023-24 files as 2023 used to replace the 2022-23 return silently."""
    from sufficiency.web.data.models import ReturnYear, StagedUpload

    before = dict(ReturnYear.objects.values_list("year", "pk"))
    response = _post(client_for("analyst"), _files(loaded, 2024), year=2023)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The 2023-24 return was not loaded: 1 error. Nothing was saved." in body
    assert (
        "the dates in these files are those of the 2023-24 return, not the 2022-23 return "
        "chosen" in body
    )
    assert "was loaded" not in body.replace("was not loaded", "")  # never success beside an error
    assert "rename" not in body  # no command-line advice
    assert dict(ReturnYear.objects.values_list("year", "pk")) == before
    assert not StagedUpload.objects.exists()


def test_the_year_comes_from_the_files_and_nothing_changes_before_confirmation(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.data.models import ReturnArchive, ReturnYear, StagedUpload

    client = client_for("analyst")
    current = ReturnYear.objects.get(year=2024)
    older = ReturnYear.objects.get(year=2023)
    entries = _entries()
    response = _post(client, _files(loaded, 2024))
    staged = StagedUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/upload/{staged.pk}/"
    assert staged.year == 2024
    page = client.get(f"/data/upload/{staged.pk}/").content.decode()
    assert "Check the 2023-24 return before loading it" in page
    assert (
        f"Replaces the 2023-24 return: {current.episodes:,} -&gt; {current.episodes:,} episodes, "
        f"{current.children:,} -&gt; {current.children:,} children" in page
    )
    # nothing is loaded, archived or audited until confirmation
    assert ReturnYear.objects.get(year=2024).pk == current.pk
    assert not ReturnArchive.objects.exists() and _entries() == entries
    done = client.post(f"/data/upload/{staged.pk}/confirm/")
    assert done.status_code == 302 and done["Location"] == "/data/"
    listing = client.get("/data/").content.decode()
    assert (
        f"The 2023-24 return was loaded: {current.episodes:,} episodes, {current.children:,} "
        "children" in listing
    )
    replaced = ReturnYear.objects.get(year=2024)
    assert replaced.pk != current.pk and replaced.uploaded_by is not None
    assert ReturnYear.objects.get(year=2023).pk == older.pk  # the other year is untouched
    archive = ReturnArchive.objects.get()
    assert (archive.year, archive.episodes, archive.children) == (
        2024,
        current.episodes,
        current.children,
    )
    assert not StagedUpload.objects.exists()


def test_a_cut_episodes_file_gets_exactly_the_checks_validate_runs(
    loaded: Path, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    """An episodes.csv cut to a third of its rows uploaded with "0 warnings": the checks now run
    with every loaded return, as `sufficiency validate` runs them on the whole folder."""
    from sufficiency.web.data.models import ReturnYear, StagedUpload

    files = _files(loaded, 2024)
    rows = files["episodes.csv"].count(b"\n") - 1
    cut = _cut_episodes(files, rows // 3)
    folder = tmp_path / "DATA"
    shutil.copytree(loaded, folder)
    shutil.rmtree(folder / "registers")
    (folder / "ssda903" / "2024" / "episodes.csv").write_bytes(cut["episodes.csv"])
    cli = load_data(folder)
    expected = Counter((p.severity, p.code, p.row, p.column, p.value) for p in cli.problems)
    assert expected, "the cut file should draw problems"

    from sufficiency.web.data import returns

    checked = returns.check_files(cut)
    assert Counter((p.severity, p.code, p.row, p.column, p.value) for p in checked.problems) == (
        expected
    )
    response = _post(client_for("analyst"), cut)
    body = response.content.decode()
    if cli.ok:
        page = client_for("analyst").get(response["Location"]).content.decode()
        current = ReturnYear.objects.get(year=2024)
        assert (
            f"{current.episodes:,} -&gt; {checked.episodes:,} episodes" in page
            and f"{checked.warnings} warning" in page
        )
    else:
        errors = sum(1 for p in cli.problems if p.severity == "error")
        assert f"The 2023-24 return was not loaded: {errors} error" in body
        assert not StagedUpload.objects.exists()
        for p in cli.problems:
            assert p.message in body


def _return_of_the_current_year() -> dict[str, bytes]:
    """One child's return whose only episode starts on 1 April of the year we are in: its
    collection year ends next 31 March, so it has not ended yet."""
    today = dt.date.today()
    start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return {
        "header.csv": b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nF001,M,01/05/2012,WBRI,,,\n",
        "episodes.csv": (
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
            f"PL_POST,URN\nF001,{start:%d/%m/%Y},S,C2,N1,U4,PR1,,,,HR1 2AB,HR4 9AA,\n"
        ).encode(),
    }


def test_a_return_whose_year_has_not_ended_is_refused(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    """A return for the year ending March 2027 was accepted in November 2026."""
    from sufficiency.web.data.models import ReturnYear, StagedUpload

    today = dt.date.today()
    year = today.year + 1 if today.month >= 4 else today.year
    body = _post(client_for("analyst"), _return_of_the_current_year()).content.decode()
    assert f"The {year - 1}-{str(year)[2:]} return was not loaded" in body
    assert (
        f"covers the year to 31/03/{year}, which has not ended (today is {today:%d/%m/%Y})" in body
    )
    assert not ReturnYear.objects.filter(year=year).exists()
    assert not StagedUpload.objects.exists()


def test_confirming_is_one_transaction(
    loaded: Path, users: dict[str, Any], monkeypatch: Any
) -> None:
    """A failure while the new version is written leaves the loaded version, no archive and no
    audit entry."""
    from sufficiency.web import bridge
    from sufficiency.web.data import returns
    from sufficiency.web.data.models import Episode, ReturnArchive, ReturnYear

    current = ReturnYear.objects.get(year=2024)
    episodes = Episode.objects.count()
    checked, staged = returns.stage(_files(loaded, 2024), users["analyst"])
    assert checked.ok and staged is not None
    real = bridge.store_return

    def store_then_fail(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(bridge, "store_return", store_then_fail)
    entries = _entries()
    with pytest.raises(RuntimeError, match="disk full"):
        returns.confirm(staged, users["analyst"])
    assert ReturnYear.objects.get(year=2024).pk == current.pk
    assert Episode.objects.count() == episodes
    assert not ReturnArchive.objects.exists() and _entries() == entries


def test_replacing_a_return_writes_one_summarised_audit_entry(
    loaded: Path, users: dict[str, Any]
) -> None:
    """Replacing one return used to write one delete entry per child and episode row."""
    from auditlog.models import LogEntry

    from sufficiency.web.data import returns
    from sufficiency.web.data.models import ReturnArchive, ReturnYear

    current = ReturnYear.objects.get(year=2024)
    cut = _cut_episodes(_files(loaded, 2024), current.episodes - 1)
    checked, staged = returns.stage(cut, users["analyst"])
    assert checked.ok and staged is not None, checked.problems
    before = set(LogEntry.objects.values_list("pk", flat=True))
    stored = returns.confirm(staged, users["analyst"])
    assert isinstance(stored, ReturnYear)
    new = LogEntry.objects.exclude(pk__in=before)
    entry = new.get()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.object_repr == "2023-24 return" and entry.actor == users["analyst"]
    assert entry.changes == {
        "children": [current.children, stored.children],
        "episodes": [current.episodes, current.episodes - 1],
        "warnings": [current.warnings, stored.warnings],
    }
    assert entry.additional_data["event"] == "return replaced"
    assert entry.additional_data["archive"] == ReturnArchive.objects.get().pk


def test_a_replaced_version_is_restored_after_its_own_checks(
    loaded: Path, users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.data import returns
    from sufficiency.web.data.models import Episode, ReturnArchive, ReturnYear

    client = client_for("analyst")
    original = ReturnYear.objects.get(year=2024)
    episodes = set(Episode.objects.filter(return_year=original).values_list("child", "decom"))
    cut = _cut_episodes(_files(loaded, 2024), original.episodes - 1)
    _, staged = returns.stage(cut, users["analyst"])
    assert staged is not None
    returns.confirm(staged, users["analyst"])
    assert ReturnYear.objects.get(year=2024).episodes == original.episodes - 1
    archive = ReturnArchive.objects.get()
    response = client.post(f"/data/archive/{archive.pk}/restore/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert (
        f"Replaces the 2023-24 return: {original.episodes - 1:,} -&gt; {original.episodes:,} "
        "episodes" in page
    )
    client.post(response["Location"] + "confirm/")
    restored = ReturnYear.objects.get(year=2024)
    assert restored.episodes == original.episodes
    assert set(Episode.objects.filter(return_year=restored).values_list("child", "decom")) == (
        episodes
    )
    assert ReturnArchive.objects.count() == 2  # the cut version is kept in its turn


def test_deleting_a_return_keeps_it_restorable_with_one_audit_entry(
    loaded: Path, users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.data.models import Child, ReturnArchive, ReturnYear

    current = ReturnYear.objects.get(year=2023)
    before = set(LogEntry.objects.values_list("pk", flat=True))
    response = client_for("analyst").post("/data/2023/delete/")
    assert response.status_code == 302
    assert not ReturnYear.objects.filter(year=2023).exists()
    assert not Child.objects.filter(return_year__year=2023).exists()
    archive = ReturnArchive.objects.get()
    assert (archive.year, archive.children, archive.reason) == (
        2023,
        current.children,
        "deleted by analyst_user",
    )
    entry = LogEntry.objects.exclude(pk__in=before).get(content_type__app_label="web_data")
    assert entry.action == LogEntry.Action.DELETE and entry.object_repr == "2022-23 return"
    assert entry.changes == {"children": [current.children, 0], "episodes": [current.episodes, 0]}


def test_a_check_made_before_the_returns_changed_is_made_again(
    loaded: Path, users: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.data import returns
    from sufficiency.web.data.models import ReturnYear

    client = client_for("analyst")
    response = _post(client, _files(loaded, 2024))
    current = ReturnYear.objects.get(year=2024).pk
    returns.delete_return(2023, users["admin"])  # someone else changes the returns meanwhile
    again = client.post(response["Location"] + "confirm/")
    assert again.status_code == 200
    assert "checked again" in again.content.decode()
    assert ReturnYear.objects.get(year=2024).pk == current  # nothing loaded yet
    client.post(response["Location"] + "confirm/")
    assert ReturnYear.objects.get(year=2024).pk != current


def test_only_the_uploader_sees_and_confirms_staged_files(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.data.models import StagedUpload

    response = _post(client_for("analyst"), _files(loaded, 2024))
    other = client_for("admin")
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"] + "confirm/").status_code == 404
    assert StagedUpload.objects.count() == 1
    cancelled = client_for("analyst").post(response["Location"] + "cancel/")
    assert cancelled.status_code == 302 and not StagedUpload.objects.exists()


def test_a_data_folder_with_an_error_imports_nothing_and_keeps_the_profile(
    loaded: Path, tmp_path: Path
) -> None:
    """import_data_folder deleted the council profile first and imported each year in its own
    transaction."""
    from sufficiency.web.bridge import import_data_folder
    from sufficiency.web.data.models import CouncilProfile, Episode, ReturnYear

    folder = tmp_path / "DATA"
    shutil.copytree(loaded, folder)
    (folder / "la.toml").write_text(
        (folder / "la.toml").read_text().replace('name = "', 'name = "Renamed ')
    )
    episodes = folder / "ssda903" / "2024" / "episodes.csv"
    lines = episodes.read_text().splitlines()
    cells = lines[1].split(",")
    cells[5] = "ZZ9"  # PLACE: an unknown code is an error
    episodes.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n")
    profile = CouncilProfile.objects.get()
    years = dict(ReturnYear.objects.values_list("year", "pk"))
    count = Episode.objects.count()
    results = import_data_folder(folder)
    assert not all(r.ok for r in results)
    assert any(p.value == "ZZ9" for r in results for p in r.problems)
    assert CouncilProfile.objects.get().pk == profile.pk and "Renamed" not in profile.toml
    assert dict(ReturnYear.objects.values_list("year", "pk")) == years
    assert Episode.objects.count() == count


def test_a_data_folder_import_is_one_summarised_audit_entry(loaded: Path) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web.bridge import import_data_folder
    from sufficiency.web.data.models import ReturnArchive, ReturnYear

    before = set(LogEntry.objects.values_list("pk", flat=True))
    results = import_data_folder(loaded)
    assert all(r.ok for r in results)
    entry = LogEntry.objects.exclude(pk__in=before).get()
    assert entry.additional_data["event"] == "data folder imported"
    years = {y.year: y for y in ReturnYear.objects.all()}
    assert entry.changes["2023-24 episodes"] == [years[2024].episodes, years[2024].episodes]
    assert ReturnArchive.objects.count() == 2  # both replaced versions kept


def test_a_data_folder_import_by_a_person_names_them_on_the_rows_it_retires(
    loaded: Path, users: dict[str, Any], tmp_path: Path
) -> None:
    from sufficiency.web.bridge import import_data_folder
    from sufficiency.web.registers.models import Carer

    folder = tmp_path / "DATA"
    shutil.copytree(loaded, folder)
    carers = folder / "registers" / "carers.csv"
    lines = carers.read_text().splitlines()
    carers.write_text("\n".join(lines[:-1]) + "\n")  # the last carer left out
    assert all(r.ok for r in import_data_folder(folder, users["admin"]))
    retired = Carer.rows.filter(retired_at__isnull=False).get()
    assert retired.retired_reason.startswith("Not in registers/carers, imported by admin_user")


def test_unreadable_files_are_named_and_nothing_is_kept(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    from sufficiency.web.data.models import StagedUpload

    response = _post(
        client_for("analyst"),
        {"header.csv": b"\x00\x01\x02binary\xff", "episodes.csv": b"\n"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The files were not loaded:" in body and "Nothing was saved." in body
    assert "header.csv" in body and "episodes.csv" in body
    assert "was loaded" not in body.replace("was not loaded", "")
    assert not StagedUpload.objects.exists()


def test_an_empty_return_file_is_named(client_for: Callable[[str], Client]) -> None:
    """Django's "The submitted file is empty." named no file among the several uploaded."""
    from sufficiency.web.data.models import StagedUpload

    response = _post(client_for("analyst"), {"header.csv": b"id\n", "episodes.csv": b""})
    body = response.content.decode()
    assert "episodes.csv is empty: expected an SSDA903 table as CSV, XLSX or the DfE XML" in body
    assert "header.csv is empty" not in body
    assert not StagedUpload.objects.exists()


def test_files_of_no_return_say_so_without_a_made_up_year(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    """Files that are no return were read in a folder of a stand-in year (1900), which the
    messages named: "the 1899-00 return has no header table"."""
    response = _post(client_for("analyst"), {"notes.csv": b"a,b\n1,2\n"})
    body = response.content.decode()
    assert "The files were not loaded: 2 errors. Nothing was saved." in body
    assert "the uploaded return has no header table: expected a file such as header.csv" in body
    assert "1899" not in body


def test_confirming_a_loaded_return_again_says_so_and_loads_nothing_twice(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    """The second click of a double click on "Confirm" arrives after the first loaded the
    return: it is told so (it was "page not found"), and no second version is archived."""
    from sufficiency.web.data.models import ReturnArchive, StagedUpload

    client = client_for("analyst")
    _post(client, _files(loaded, 2024))
    confirm = f"/data/upload/{StagedUpload.objects.get().pk}/confirm/"
    assert client.post(confirm, follow=True).redirect_chain == [("/data/", 302)]
    again = client.post(confirm, follow=True)
    assert again.redirect_chain == [("/data/", 302)]
    assert [str(m) for m in again.context["messages"]] == [
        "These files were already loaded or discarded: nothing more was changed."
    ]
    assert ReturnArchive.objects.count() == 1


def test_a_child_id_the_store_cannot_hold_is_named_at_the_check(
    loaded: Path, client_for: Callable[[str], Client]
) -> None:
    """A 25-character CHILD passed the check and was offered for confirmation; the confirm then
    failed with HTTP 500 (the store holds 20 characters) naming nothing."""
    from sufficiency.web.data.models import StagedUpload

    files = _files(loaded, 2024)
    child = files["header.csv"].splitlines()[1].split(b",")[0]
    long_id = b"9" * 25
    damaged = {n: c.replace(child + b",", long_id + b",") for n, c in files.items()}
    body = _post(client_for("analyst"), damaged).content.decode()
    assert "The 2023-24 return was not loaded" in body
    assert f"CHILD &#x27;{long_id.decode()}&#x27; is longer than 20 characters" in body
    assert not StagedUpload.objects.exists()


def test_return_files_larger_than_a_return_can_be_are_refused(
    client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Return uploads had no size limit of their own (a 60 MB file took 12 times its size in
    memory to refuse)."""
    from sufficiency.web.data import forms
    from sufficiency.web.data.models import StagedUpload

    monkeypatch.setattr(forms, "RETURN_MAX_BYTES", 1024 * 1024)
    big = b"CHILD,SEX\n" + b"1,1\n" * (1024 * 1024 // 4)
    body = _post(client_for("analyst"), {"header.csv": big}).content.decode()
    assert "the files come to 2 MB, more than the 1 MB a year&#x27;s return can be" in body
    assert not StagedUpload.objects.exists()
