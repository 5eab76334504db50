"""The Dataset rebuilt after each change: a register edit reuses the returns' files and their
checks (read from the database once), and a replaced return is read again, never the old one."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ingest.ingest_data import CARERS
from tests.web.test_web_data import EPISODES, HEADER, PROFILE


@pytest.fixture
def rendered(db: None, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The council's profile; the years whose return files were made from the database."""
    from sufficiency.web import bridge
    from sufficiency.web.data.models import CouncilProfile

    CouncilProfile.objects.create(toml=PROFILE)
    years: list[int] = []
    real = bridge._render_return

    def counted(year: object) -> dict[str, bytes]:
        years.append(year.year)  # type: ignore[attr-defined]
        return real(year)  # type: ignore[arg-type]

    monkeypatch.setattr(bridge, "_render_return", counted)
    return years


def _load(files: dict[str, bytes]) -> None:
    """One return uploaded and confirmed (a replacement when its year is loaded)."""
    from django.contrib.auth.models import User

    from sufficiency.web.data import returns
    from sufficiency.web.operations import create_user

    if not User.objects.filter(username="loader").exists():
        create_user("loader", "analyst", "loader-password-12345")
    checked, staged = returns.stage(files, User.objects.get(username="loader"))
    assert staged is not None, checked.problems
    returns.confirm(staged, staged.created_by)


def test_a_register_edit_does_not_make_the_returns_again(
    rendered: list[int], tmp_path: Path
) -> None:
    from sufficiency.web import bridge

    _load({"header.csv": HEADER, "episodes.csv": EPISODES})
    first = bridge.current_dataset().dataset
    assert first is not None and first.episodes.height == 2 and "carers" not in first.registers
    made = len(rendered)
    (tmp_path / "carers.csv").write_text(CARERS)
    bridge.import_registers(tmp_path)
    after = bridge.current_dataset().dataset
    assert after is not None and after.registers["carers"].height == 2
    assert after.episodes.equals(first.episodes)
    assert len(rendered) == made  # the return's files were not made again


def test_a_replaced_return_is_read_again(rendered: list[int]) -> None:
    from sufficiency.web import bridge

    _load({"header.csv": HEADER, "episodes.csv": EPISODES})
    before = bridge.current_dataset().dataset
    assert before is not None and before.episodes.height == 2
    third = b"C0003,01/01/2024,S,C2,N1,U4,PR1,,,,HR1 2AB,HR4 9AA,\n"
    header = HEADER + b"C0003,1,01/05/2013,WBRI,A123456789014,,\n"
    _load({"header.csv": header, "episodes.csv": EPISODES + third})
    after = bridge.current_dataset().dataset
    assert after is not None and after.episodes.height == 3
    assert sorted(after.children.get_column("CHILD")) == ["C0001", "C0002", "C0003"]
    assert rendered.count(2024) >= 2
