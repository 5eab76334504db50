"""Reading la.toml into the council's profile, or problems naming the field that is wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from sufficiency.ingest.problems import Problem
from sufficiency.ingest.text_format import decode_text
from sufficiency.profile import LAProfile
from sufficiency.schema import REGISTERS

#: The population register's columns, whose declarations check la.toml's population too.
_POPULATION = ("year", "population_under_18")


def _whole_file(name: str, code: str, message: str) -> list[Problem]:
    """The one problem of a la.toml that cannot be read at all (no field to name)."""
    return [Problem("error", code, name, None, None, None, message)]


def load_profile(path: Path) -> tuple[LAProfile | None, list[Problem]]:
    """Read la.toml; return the profile or problems naming the field that is wrong."""
    name = str(path)
    if not path.exists():
        return None, _whole_file(
            name,
            "profile_missing",
            "la.toml not found: the data folder needs the council's profile "
            "(name, code, region, neighbours, population_under_18)",
        )
    # any encoding the returns may be in: Notepad's UTF-8 with a byte-order mark, UTF-16, cp1252
    try:
        data = path.read_bytes()
    except OSError as exc:  # a folder named la.toml, no permission to read it
        return None, _whole_file(
            name, "profile_unreadable", f"cannot read la.toml: {exc.strerror or exc}"
        )
    text, encoding = decode_text(data)
    if text is None:
        return None, _whole_file(
            name, "profile_unreadable", f"la.toml is not text ({encoding}): save it as UTF-8 text"
        )
    try:
        raw = tomllib.loads(text.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        return None, _whole_file(name, "profile_unreadable", f"la.toml is not valid TOML: {exc}")
    known = list(LAProfile.model_fields)
    unknown = [
        Problem(
            "error",
            "profile_unknown_key",
            name,
            None,
            key,
            None,
            f"la.toml has a key '{key}' it does not know (a misspelling is read as if the key "
            f"were absent): expected {', '.join(known)}",
        )
        for key in raw
        if key not in known
    ]
    tables = {k: v for k, v in raw.items() if isinstance(v, dict)}
    misplaced = [(t, key) for t, keys in tables.items() for key in keys if key in known]
    if misplaced:  # TOML reads every key after a [table] line as the table's
        return None, unknown + [
            _error(
                name,
                key,
                None,
                f"{key} is written after the [{t}] table, so TOML reads it as part of that "
                f"table: move the line '{key} = ...' above [{t}]",
            )
            for t, key in misplaced
        ]
    try:
        profile = LAProfile.model_validate(raw)
    except ValidationError as exc:
        return None, unknown + [_invalid(name, err) for err in exc.errors()]
    problems = unknown + _council_codes(name, profile)
    problems = problems or _region(name, profile)
    return (None, problems) if problems else (profile, _no_neighbours(name, profile))


def _no_neighbours(name: str, profile: LAProfile) -> list[Problem]:
    """The warning for a council with no neighbours listed: every placement outside it would be
    banded distant, none neighbouring (53 -> 0 on a synthetic council), without a word."""
    if profile.neighbours or not profile.code:
        return []
    return [
        Problem(
            "warning",
            "profile_no_neighbours",
            name,
            None,
            "neighbours",
            None,
            "neighbours: none listed, so every placement outside the council is banded distant "
            "and none neighbouring: list the councils bordering it (neighbours = "
            '["E06000051", ...]; `sufficiency synth --la CODE` writes them for any council)',
        )
    ]


def _region_words(region: str) -> frozenset[str]:
    """A region's name as words to compare (``Yorkshire & the Humber`` is the DfE's
    ``Yorkshire and The Humber``)."""
    return frozenset(region.lower().replace("&", " and ").split())


def _region(name: str, profile: LAProfile) -> list[Problem]:
    """la.toml's region, when given, is the one the council is in: another is most likely a
    code mistyped into another council's (one digit off), whose comparators would be used."""
    from sufficiency.published.areas import UnknownArea, resolve_la

    if not profile.region.strip():
        return []
    try:
        la = resolve_la(profile.code)
    except UnknownArea:
        return []
    if _region_words(profile.region) == _region_words(la.region_name):
        return []
    message = (
        f"region: '{profile.region}', but {profile.code} is {la.name}, in "
        f"{'' if la.region_name == 'London' else 'the '}{la.region_name}: check the code "
        "(comparators and placements follow it), or write the region as the DfE does"
    )
    return [_error(name, "region", profile.region, message)]


def _council_codes(name: str, profile: LAProfile) -> list[Problem]:
    """The council's and its neighbours' codes: each neighbour once and not the council; an
    English code a council's (current or former, as the DfE's list of councils has them: a
    mistyped one, E06000091 for E06000019, would read every placement as outside the council,
    with no published comparators, and no word said); the council's not one abolished into
    councils nothing maps it to."""

    from sufficiency.geo.authorities import SUCCESSOR_CODES
    from sufficiency.published.areas import UnknownArea, former_council, resolve_la

    codes = [("code", profile.code)]
    codes += [(f"neighbours.{i}", code) for i, code in enumerate(profile.neighbours)]
    problems = []
    seen = {profile.code: "the council itself (code)"}
    for field, code in codes[1:]:
        if code in seen:  # a neighbour twice, or the council its own: a list mistyped
            problems.append(
                _error(
                    name,
                    field,
                    code,
                    f"{field}: {code} is {seen[code]} already: each neighbour once, and not "
                    "the council itself",
                )
            )
        seen.setdefault(code, f"listed as {field}")
    for field, code in codes:
        if not code.startswith("E"):
            continue  # a neighbour across the border: its shape is all that is checked
        former = former_council(code) if field == "code" and code not in SUCCESSOR_CODES else None
        if former is not None:
            # its postcodes carry its successors' codes, which nothing maps it to: every
            # placement would read as outside the council
            problems.append(
                _error(
                    name,
                    field,
                    code,
                    f"code: {former}; give the code of the council these returns are from "
                    "(placements are placed by today's postcodes, which name those councils)",
                )
            )
            continue
        try:
            resolve_la(code)
        except UnknownArea:
            problems.append(
                _error(
                    name,
                    field,
                    code,
                    f"{field}: no English council has the code '{code}' (the DfE's list of "
                    "councils, current and former): check the code, e.g. E06000019 for "
                    "Herefordshire",
                )
            )
    return problems


def _toml(key: str, value: object) -> str:
    """``key = value`` as la.toml writes it (a table on one line: ``[key] "2026" = 36736``)."""
    if isinstance(value, dict):
        return f"[{key}] " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items())
    return f"{key} = {_toml_value(value)}"


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


def _expected(key: str) -> str:
    """What la.toml's ``key`` holds in plain words, with an example, from the profile's own
    field declaration (its description and first example)."""
    info = LAProfile.model_fields[key]
    example = f", e.g. {_toml(key, info.examples[0])}" if info.examples else ""
    return f"{info.description}{example}"


def _invalid(name: str, err: ErrorDetails) -> Problem:
    """The problem for one field pydantic refused: the field as la.toml names it (a key of
    population_under_18 is that table's), its value and what was expected."""
    loc = [str(x) for x in err["loc"]]
    if loc[-1] == "[key]":  # a table's key: the table is the field, the key the value
        loc = loc[:-2]
    field = ".".join(loc)
    if err["type"] == "missing":  # pydantic's input is then the whole file: not shown
        message = f"{field}: missing from la.toml; expected {_expected(loc[0])}"
        return _error(name, field, None, message)
    value = str(err.get("input", ""))[:80]
    if err["type"] == "string_pattern_mismatch" and not value.strip():
        message = f"{field}: '{value}' is blank: expected {_expected(loc[0])}"
    elif err["type"] == "string_pattern_mismatch":
        border = ", or W06, S12 or N09 for one across the border" if loc[0] == "neighbours" else ""
        message = (
            f"{field}: '{value}' is not an ONS upper-tier council code (expected E06, E08, E09 "
            f"or E10{border}, and six digits, e.g. E06000019)"
        )
    elif loc[0] == "population_under_18" and len(err["loc"]) > 1:  # one year's entry
        year, count = (REGISTERS["population"].column(c) for c in _POPULATION)
        message = (
            f"{field}: {err['msg']} (expected a year of 31 March {year.range_text()} = the "
            f"children under 18 then, {count.expected()})"
        )
    else:
        message = f"{field}: la.toml has '{value}'; expected {_expected(loc[0])}"
    return _error(name, field, value, message)


def _error(name: str, field: str, value: str | None, message: str) -> Problem:
    """A la.toml field's error (``profile_invalid``): the field as la.toml names it."""
    return Problem("error", "profile_invalid", name, None, field, value, message)
