"""Config files (model configs, scenarios, scoring): one way to validate what a file holds.

A bad value must stop with one line naming the file and the field (``file: field: message``),
never a pydantic traceback; each reader raises its own error type so callers can catch it.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def validated(
    model: type[M], raw: object, source: str, error: type[Exception], whole: str = ""
) -> M:
    """``raw`` validated as ``model``; else ``error("source: field: message")`` for the first bad
    field (``whole`` names the field when the fault is in the whole mapping)."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or whole
        raise error(f"{source}: {where}: {err['msg']}") from None
