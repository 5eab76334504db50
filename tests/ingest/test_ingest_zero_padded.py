"""Which CHILD ids clash between returns only by leading zeros (``zero_padded_ids``)."""

from __future__ import annotations

import polars as pl

from sufficiency.ingest.copied_returns import ReturnRows
from sufficiency.ingest.return_checks import zero_padded_ids


def _ret(year: int, *ids: str | None) -> ReturnRows:
    return ReturnRows(
        year, f"ssda903/{year}", pl.DataFrame({"CHILD": list(ids)}, {"CHILD": pl.Utf8})
    )


def _clashes(*returns: ReturnRows) -> str | None:
    problems = zero_padded_ids(returns)
    assert len(problems) <= 1
    return problems[0].message.split(" (", 1)[1].split(")", 1)[0] if problems else None


def test_ids_padded_alike_in_every_return_do_not_clash() -> None:
    assert _clashes(_ret(2023, "007", "0100", "5", None), _ret(2024, "007", "0100", "6")) is None


def test_an_id_and_its_unpadded_form_clash_whichever_return_holds_which() -> None:
    found = _clashes(_ret(2023, "007", "8", "9"), _ret(2024, "7", "0008", "9", "0010"))
    assert (
        found
        == "007 in ssda903/2023 and 7 in ssda903/2024; 8 in ssda903/2023 and 0008 in ssda903/2024"
    )


def test_ids_of_zeros_alone_clash_with_each_other() -> None:
    assert _clashes(_ret(2023, "0", "1"), _ret(2024, "00", "1")) == (
        "0 in ssda903/2023 and 00 in ssda903/2024"
    )


def test_padding_that_differs_within_one_return_is_found_too() -> None:
    assert _clashes(_ret(2023, "01", "1"), _ret(2024, "2")) == (
        "01 in ssda903/2023 and 1 in ssda903/2023"
    )
