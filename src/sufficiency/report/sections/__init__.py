"""The statement's sections: one small module each, registered with ``registry.section``.

Each module lays out blocks from the typed results in ``inputs.StatementInputs``; none of them
reads the Dataset or computes a measure (that is ``measures/``, ``supply/`` and ``forecast/``).
"""

from __future__ import annotations

import importlib

#: The section modules, imported once so that each registers itself.
MODULES = (
    "introduction",
    "key_messages",
    "children_looked_after",
    "placements",
    "stability",
    "costs",
    "residential",
    "fostering",
    "supported_accommodation",
    "care_leavers",
    "disabled_children",
    "send",
    "permanence",
    "care_leavers_25",
    "early_help",
    "forecast",
    "gap",
    "home_finding",
    "progress",
    "action_plan",
    "sign_off",
    "definitions",
)


def load_all() -> None:
    """Import every section module (each registers its section on import)."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
