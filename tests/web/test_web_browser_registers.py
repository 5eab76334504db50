"""Browser journeys for registers and scenarios (Playwright, Debian's chromium), on the server
and browser fixtures of ``conftest``: a file that would wipe a register changes nothing,
an import lands only after its change is shown and confirmed, a row is retired with a reason and
restored, and a scenario is copied by others but never changed by them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_journeys import Session

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _refused(s: Session, path: str) -> None:
    """The form at ``path`` answered 400 with its named errors: expected, not a page error."""
    s.errors = [e for e in s.errors if e != f"HTTP 400 {s.base}{path}"]


def _check_file(s: Session, name: str, file: Path, go: bool = True) -> None:
    """Have ``file`` checked for an import into register ``name``, on a fresh import page unless
    ``go`` is false (the person is on one already)."""
    if go:
        s.go(f"/registers/{name}/import/")
    s.page.set_input_files("#id_file", str(file))
    s.page.click("input[type=submit][value='Check the file']")
    s.settle()


def test_commissioner_imports_carers_only_after_seeing_what_changes(
    app: str,
    browser: Any,
    small_council: Path,
    tmp_path: Path,
) -> None:
    carers = (small_council / "registers" / "carers.csv").read_text().splitlines(keepends=True)
    count = len(carers) - 1
    s = Session(browser, app, "commissioner", start="/registers/carers/import/")
    header_only = tmp_path / "carers.csv"
    header_only.write_text(carers[0])
    _check_file(s, "carers", header_only, go=False)
    summary = s.page.inner_text(".govuk-error-summary")
    assert (
        f"the file has no rows: an import replaces the whole register, so it would remove all {count} carers"
        in summary
    )
    _refused(s, "/registers/carers/import/")
    text = tmp_path / "carers.txt"
    text.write_text("".join(carers))
    _check_file(s, "carers", text)
    assert "not .txt" in s.page.inner_text(".govuk-error-summary")
    _refused(s, "/registers/carers/import/")
    s.go("/registers/carers/")
    assert s.page.inner_text("#row-count").startswith(f"{count} rows")
    # the same file less its last household: shown, then imported on confirmation
    fewer = tmp_path / "fewer" / "carers.csv"
    fewer.parent.mkdir()
    fewer.write_text("".join(carers[:-1]))
    _check_file(s, "carers", fewer)
    change = s.page.inner_text("#change")
    assert change == (
        f"Replaces {count} carers with {count - 1}: 1 retired (not in the file), "
        f"{count - 1} unchanged"
    )
    s.shot("11-commissioner-register-import-check")
    s.page.click("#confirm")
    s.settle()
    assert "Imported carers.csv" in s.page.inner_text("main")
    assert s.page.inner_text("#row-count").startswith(f"{count - 1} rows")
    s.page.click("#retired-link")
    s.settle()
    assert "Not in carers.csv, imported by commissioner" in s.page.inner_text("main")
    s.close()


def test_commissioner_retires_a_home_with_a_reason_and_restores_it(
    app: str,
    browser: Any,
) -> None:
    s = Session(browser, app, "commissioner", start="/registers/homes/")
    first = s.page.locator("table.govuk-table tbody tr").first.locator("a").first
    urn = first.inner_text()
    first.click()
    s.settle()
    s.page.click("text=Retire this row")
    s.settle()
    s.page.click("input[type=submit][value='Retire this row']")
    s.settle()
    assert "Enter why this row is retired" in s.page.inner_text(".govuk-error-summary")
    _refused(s, s.page.url.removeprefix(s.base))
    s.page.fill("#id_reason", "Home closed in March")
    s.page.click("input[type=submit][value='Retire this row']")
    s.settle()
    assert f"{urn} retired" in s.page.inner_text("main")
    s.go("/registers/homes/?retired=1")
    row = s.page.locator("table.govuk-table tbody tr", has_text=urn)
    assert "Home closed in March" in row.inner_text()
    row.locator("text=History").click()
    s.settle()
    s.page.click("#restore")
    s.settle()
    assert f"{urn} restored" in s.page.inner_text("main")
    history = s.page.inner_text("#history")
    assert "Retire" in history and "Restore" in history and "Home closed in March" in history
    s.shot("12-commissioner-register-row-history")
    s.close()


def test_a_scenario_is_copied_by_others_and_bounded(
    app: str,
    browser: Any,
) -> None:
    owner = Session(browser, app, "commissioner", start="/forecast/scenarios/new/")
    owner.page.fill("#id_name", "millions")
    owner.page.fill(
        "#id_text", "entries:\n  - {category: external_residential, multiply: 1000000}\n"
    )
    owner.page.click("input[type=submit][value='Save scenario']")
    owner.settle()
    assert "entries[0].multiply: 1,000,000 is outside 0 to 5" in owner.page.inner_text(
        ".govuk-error-summary"
    )
    _refused(owner, "/forecast/scenarios/new/")
    owner.page.fill("#id_name", "owned_plan")
    owner.page.fill("#id_text", "entries:\n  - {category: external_residential, multiply: 0.8}\n")
    owner.page.click("input[type=submit][value='Save scenario']")
    owner.settle()
    owner.close()
    other = Session(browser, app, "analyst", start="/forecast/")
    row = other.page.locator("#saved-scenarios .govuk-summary-list__row", has_text="owned_plan")
    assert "Saved by commissioner" in row.inner_text()
    assert row.locator("a", has_text="Change").count() == 0
    assert row.locator("button", has_text="Delete").count() == 0
    row.locator("a", has_text="Copy").click()
    other.settle()
    assert other.page.input_value("#id_name") == "owned_plan_copy"
    other.page.click("input[type=submit][value='Save scenario']")
    other.settle()
    assert "Scenario owned_plan_copy saved" in other.page.inner_text("main")
    mine = other.page.locator(
        "#saved-scenarios .govuk-summary-list__row", has_text="owned_plan_copy"
    )
    assert "Yours" in mine.inner_text()
    other.shot("13-analyst-copies-a-scenario")
    other.close()
