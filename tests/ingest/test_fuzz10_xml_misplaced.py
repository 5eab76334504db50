"""Fuzz round 10 #8: in a DfE XML return, a CHILD not directly under the root, or an EPISODE
after its ``</CHILD>``, was dropped without a word (half the children inside a ``<CHILDREN>``
wrapper: cla_count 304 -> 154, validate exit 0)."""

from __future__ import annotations

from pathlib import Path

from ingest_data import write_data, xml_return

from sufficiency.ingest import load_data


def _line(text: str, needle: str, start: int = 0) -> int:
    """The line of the file at which ``needle`` first appears after ``start``."""
    return text.count("\n", 0, text.index(needle, start)) + 1


def test_children_inside_a_wrapper_element_are_read_and_the_wrapper_named(tmp_path: Path) -> None:
    text = xml_return()
    plain = load_data(write_data(tmp_path / "P", {2023: {"return.xml": text}}))
    at = text.index("  <CHILD>", text.index("<CHILDID>C2</CHILDID>") - 40)
    wrapped = (
        text[:at]
        + "<CHILDREN>\n"
        + text[at:].replace("</EXPSSDA903>", "</CHILDREN>\n</EXPSSDA903>")
    )
    result = load_data(write_data(tmp_path / "W", {2023: {"return.xml": wrapped}}))
    assert plain.dataset is not None and result.dataset is not None
    assert result.dataset.episodes.equals(plain.dataset.episodes)
    assert result.dataset.episodes.get_column("CHILD").n_unique() == 3
    assert [
        (p.severity, p.code, p.row, p.value, p.message)
        for p in result.problems
        if p.code.startswith("xml")
    ] == [
        (
            "warning",
            "xml_wrapped_child",
            _line(wrapped, "<CHILDREN>"),
            "CHILDREN",
            "CHILD elements inside CHILDREN, not directly under the return's root element "
            "(EXPSSDA903 > CHILD): read as the return's children",
        )
    ]


def test_an_episode_after_its_child_is_an_error_naming_its_line(tmp_path: Path) -> None:
    text = xml_return()
    c1 = text.index("<CHILDID>C1</CHILDID>")
    start = text.index("    <EPISODE>", c1)
    end = text.index("</EPISODE>", start) + len("</EPISODE>\n")
    close = text.index("  </CHILD>\n", c1) + len("  </CHILD>\n")
    moved = text[:start] + text[end:close] + text[start:end] + text[close:]
    result = load_data(write_data(tmp_path / "E", {2023: {"return.xml": moved}}))
    assert result.dataset is None
    errors = [(p.code, p.row, p.value) for p in result.problems if p.severity == "error"]
    assert [e for e in errors if e[0] == "xml_outside_child"] == [
        ("xml_outside_child", _line(moved, "    <EPISODE>", close - (end - start)), "EPISODE")
    ]


def test_a_stray_field_under_the_root_is_an_error(tmp_path: Path) -> None:
    text = xml_return().replace("</EXPSSDA903>", "<DECOM>01/04/2023</DECOM>\n</EXPSSDA903>")
    result = load_data(write_data(tmp_path / "F", {2023: {"return.xml": text}}))
    assert [
        (p.severity, p.code, p.row, p.value) for p in result.problems if p.severity == "error"
    ] == [("error", "xml_outside_child", _line(text, "<DECOM>01/04/2023</DECOM>\n</EXP"), "DECOM")]
