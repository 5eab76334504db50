"""The statement's sections: one small module each, registered with ``registry.section``.

Each module lays out blocks from the typed results in ``inputs.StatementInputs``; none of them
reads the Dataset or computes a measure (that is ``measures/``, ``supply/`` and ``forecast/``).
"""

from __future__ import annotations

import importlib
import pkgutil

#: Modules of this package that lay out no section (shared by the sections).
HELPERS = frozenset(
    {"registry", "inputs", "blocks", "titles", "supply", "duty", "finance", "trajectory"}
)


def section_modules() -> tuple[str, ...]:
    """Every module of this package that lays out a section: a new section is a new module."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in HELPERS))


def load_all() -> None:
    """Import every section module (each registers its section on import)."""
    for name in section_modules():
        importlib.import_module(f"{__name__}.{name}")
