"""Load a DATA folder into a Dataset (STUB: the ingest helper implements this)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sufficiency.dataset import Dataset
from sufficiency.ingest.problems import Problem


@dataclass
class ReturnSummary:
    year: int
    children: int
    episodes: int


@dataclass
class LoadResult:
    """What a load produced: a Dataset when there were no errors, and every problem found."""

    dataset: Dataset | None
    problems: list[Problem] = field(default_factory=list)
    returns: list[ReturnSummary] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not any(p.severity == "error" for p in self.problems)


def load_data(path: Path) -> LoadResult:
    """Read DATA/la.toml, DATA/ssda903/<year>/*, DATA/registers/*, DATA/narrative/*.md."""
    raise NotImplementedError
