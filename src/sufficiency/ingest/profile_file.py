"""Reading la.toml into the council's profile, or problems naming the field that is wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from sufficiency.ingest.problems import Problem
from sufficiency.profile import LAProfile


def load_profile(path: Path) -> tuple[LAProfile | None, list[Problem]]:
    """Read la.toml; return the profile or problems naming the field that is wrong."""
    name = str(path)
    if not path.exists():
        return None, [
            Problem(
                "error",
                "profile_missing",
                name,
                None,
                None,
                None,
                "la.toml not found: the data folder needs the council's profile "
                "(name, code, region, neighbours, population_under_18)",
            )
        ]
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [
            Problem(
                "error",
                "profile_unreadable",
                name,
                None,
                None,
                None,
                f"la.toml is not valid TOML: {exc}",
            )
        ]
    try:
        return LAProfile.model_validate(raw), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(x) for x in err["loc"])
            problems.append(
                Problem(
                    "error",
                    "profile_invalid",
                    name,
                    None,
                    field,
                    str(err.get("input", ""))[:80],
                    f"{field}: {err['msg']}",
                )
            )
        return None, problems
