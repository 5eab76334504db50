"""Typed results: what an analysis returns, knowing its unit and which cells count children.

Every measure value is one of these: ``Count``, ``Share``, ``Rate``, ``Money``, ``Number``,
``Days`` (an average over children), ``Breakdown`` (cells by key), ``Table`` (rows of cells),
``Series`` (points by year) or ``Record`` (named figures, some of them child counts). Each
serialises to the JSON documented in DESIGN.md (``to_json``), applies its own small-number
suppression (``suppressed``) and is read by renderers by type, never by guessing from keys. A
suppressed cell holds ``disclosure.SUPPRESSED``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias

from sufficiency.disclosure import (
    SMALL_MAX,
    SUPPRESSED,
    is_number,
    is_small,
    is_suppressed,
    secondary_suppress,
)

#: One published figure: a number, the suppressed symbol, or None (not available).
Cell: TypeAlias = int | float | str | None
Unit = Literal["count", "share", "rate", "money", "days", "number", "nights", "pct"]
#: What a figure of a result is, for disclosure control: a count of children; another count or
#: amount; a rate or percentage (derived from counts, hidden with them); a figure derived from
#: the result's child counts (an average over them), hidden with them.
Role = Literal["children", "number", "money", "rate", "pct", "derived"]
#: A figure's place in a result: () for a single value, ("count",) for a share's count, the keys
#: of a breakdown, table or record.
Path: TypeAlias = tuple[str, ...]
Leaf: TypeAlias = tuple[Path, Any, Role]


class Result:
    """Base of every typed result."""

    #: The unit of the result's figures.
    unit: str = "number"

    def to_json(self) -> Any:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def suppressed(self, small_max: int = SMALL_MAX) -> Result:
        """This result with its small child counts (and what is derived from them) hidden."""
        return self

    def leaves(self) -> Iterator[Leaf]:
        """Every figure of the result: its path, value and role (which ones count children).
        Worked out once per result (a result is not changed once made; the disclosure step reads
        each one's figures many times)."""
        found: tuple[Leaf, ...] | None = self.__dict__.get("_leaves")
        if found is None:
            found = tuple(self._figures())
            object.__setattr__(self, "_leaves", found)
        return iter(found)

    def _figures(self) -> Iterator[Leaf]:
        """The figures ``leaves`` gives, as each kind of result lays them out."""
        return iter(())

    def numbers_at(self, pattern: Path) -> tuple[Path, ...]:
        """The paths of the result's numeric figures that match ``pattern`` (``*``: any key), in
        order; remembered per pattern (the disclosure step asks for the same ones each year)."""
        known: dict[Path, tuple[Path, ...]] | None = self.__dict__.get("_numbers_at")
        if known is None:
            known = {}
            object.__setattr__(self, "_numbers_at", known)
        found = known.get(pattern)
        if found is None:
            found = tuple(
                path
                for path, value, _ in self.leaves()
                if len(path) == len(pattern)
                and all(w in ("*", p) for w, p in zip(pattern, path, strict=True))
                and is_number(value)
            )
            known[pattern] = found
        return found

    def hiding(self, paths: Collection[Path]) -> Result:
        """This result with the figures at ``paths`` suppressed, and what is derived from them."""
        return self

    def withholding(self, paths: Collection[Path]) -> Result:
        """This result with the figures at ``paths`` not shown at all (null), and what is derived
        from them: another measure's figures it prints again, where that measure is withheld. A
        result that cannot leave a figure out hides it."""
        return self.hiding(paths)

    def get(self, *keys: str) -> Any:
        """The figure at a key path (a Share's "count"/"pct", a breakdown's key ...) or None."""
        value: Any = self.to_json()
        for key in keys:
            if not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value

    @property
    def headline(self) -> Cell:
        """The one number that stands for the result (a share's percentage), else None."""
        return None

    @property
    def hidden(self) -> bool:
        """True when suppression hid the headline figure."""
        return is_suppressed(self.headline)


@dataclass(frozen=True)
class Count(Result):
    """A count; ``children`` when it counts children (suppressed when small)."""

    value: int | str | None
    children: bool = True
    unit: str = "count"

    def to_json(self) -> Any:
        return self.value

    def suppressed(self, small_max: int = SMALL_MAX) -> Count:
        if self.children and is_small(self.value, small_max):
            return replace(self, value=SUPPRESSED)
        return self

    def _figures(self) -> Iterator[Leaf]:
        yield (), self.value, "children" if self.children else "number"

    def hiding(self, paths: Collection[Path]) -> Count:
        return replace(self, value=SUPPRESSED) if () in paths and self.value is not None else self

    @property
    def headline(self) -> Cell:
        return self.value


@dataclass(frozen=True)
class Number(Result):
    """A plain number that counts no children (nights, weeks, months, a ratio)."""

    value: float | int | str | None
    unit: str = "number"

    def to_json(self) -> Any:
        return self.value

    @property
    def headline(self) -> Cell:
        return self.value

    def hide(self) -> Number:
        """This number suppressed (because the count it is built on is)."""
        return self if self.value is None else replace(self, value=SUPPRESSED)

    def _figures(self) -> Iterator[Leaf]:
        role: Role = (
            "rate" if self.unit == "rate" else "money" if self.unit == "money" else "number"
        )
        yield (), self.value, role

    def hiding(self, paths: Collection[Path]) -> Number:
        return self.hide() if () in paths else self


@dataclass(frozen=True)
class Rate(Number):
    """A rate (per 10,000 children, per 100 ...), suppressed with the count it is built on."""

    unit: str = "rate"


@dataclass(frozen=True)
class Money(Number):
    """An amount of money in pounds."""

    unit: str = "money"


@dataclass(frozen=True)
class Share(Result):
    """A count of children out of a denominator; ``pct`` to one decimal (None when 0/0)."""

    count: int | str
    denominator: int | str
    unit: str = "share"

    @property
    def pct(self) -> float | str | None:
        if is_suppressed(self.count) or is_suppressed(self.denominator):
            return SUPPRESSED
        assert isinstance(self.count, int) and isinstance(self.denominator, int)
        if self.denominator == 0:
            return None
        return round(100.0 * self.count / self.denominator, 1)

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "denominator": self.denominator, "pct": self.pct}

    def suppressed(self, small_max: int = SMALL_MAX) -> Share:
        count, denominator = self.count, self.denominator
        if is_small(count, small_max) or is_small(denominator, small_max):
            count = SUPPRESSED
        if is_small(denominator, small_max):
            denominator = SUPPRESSED
        return replace(self, count=count, denominator=denominator)

    def _figures(self) -> Iterator[Leaf]:
        yield ("count",), self.count, "children"
        yield ("denominator",), self.denominator, "children"
        yield ("pct",), self.pct, "pct"

    def hiding(self, paths: Collection[Path]) -> Share:
        out = self
        if ("count",) in paths or ("pct",) in paths:
            out = replace(out, count=SUPPRESSED)
        if ("denominator",) in paths:
            out = replace(out, denominator=SUPPRESSED)
        return out

    def hide(self) -> Share:
        """This share's count and percentage suppressed (because the count it is built on is).
        Its denominator is another figure, hidden only where the disclosure step hides it: the
        step does not know of this rule, and a figure hidden behind its back that arithmetic
        gives back anyway fails the audit (31 looked after, none of unknown distance: the 31 of
        known distance)."""
        return replace(self, count=SUPPRESSED)

    @property
    def headline(self) -> Cell:
        return self.pct


@dataclass(frozen=True)
class Days(Result):
    """An average number of days over children (adoption timeliness), with its child count, the
    three-year average and its count, and the national target where there is one."""

    average: float | str | None
    children: int | str
    three_year_average: float | str | None = None
    three_year_children: int | str | None = None
    target: float | int | None = None
    unit: str = "days"

    def to_json(self) -> dict[str, Any]:
        return {
            "average": self.average,
            "children": self.children,
            "three_year_average": self.three_year_average,
            "three_year_children": self.three_year_children,
            "target": self.target,
        }

    def suppressed(self, small_max: int = SMALL_MAX) -> Days:
        out = self
        if is_small(self.children, small_max):
            out = replace(out, children=SUPPRESSED, average=SUPPRESSED)
        if is_small(self.three_year_children, small_max):
            out = replace(out, three_year_children=SUPPRESSED, three_year_average=SUPPRESSED)
        return out

    def _figures(self) -> Iterator[Leaf]:
        yield ("average",), self.average, "derived"
        yield ("children",), self.children, "children"
        yield ("three_year_average",), self.three_year_average, "derived"
        yield ("three_year_children",), self.three_year_children, "children"
        yield ("target",), self.target, "number"

    def hiding(self, paths: Collection[Path]) -> Days:
        out = self
        if ("children",) in paths or ("average",) in paths:
            out = replace(out, children=SUPPRESSED, average=_hidden(self.average))
        if ("three_year_children",) in paths or ("three_year_average",) in paths:
            out = replace(
                out,
                three_year_children=SUPPRESSED,
                three_year_average=_hidden(self.three_year_average),
            )
        return out

    @property
    def headline(self) -> Cell:
        return self.average


@dataclass(frozen=True)
class Breakdown(Result):
    """Figures by key in display order; ``children`` when they count children, in which case
    they sum to a published total (a ``total`` key is that total)."""

    cells: dict[str, Cell]
    unit: str = "count"
    children: bool = True

    def to_json(self) -> dict[str, Any]:
        return dict(self.cells)

    def suppressed(self, small_max: int = SMALL_MAX) -> Breakdown:
        if not self.children:
            return self
        cells: dict[str, Cell] = {
            k: (SUPPRESSED if is_small(v, small_max) else v) for k, v in self.cells.items()
        }
        body = [k for k in cells if k != "total"]
        secondary_suppress(
            [(body, [])], cells.__getitem__, lambda k: cells.__setitem__(k, SUPPRESSED)
        )
        return replace(self, cells=cells)

    def get(self, *keys: str) -> Any:
        if not keys:
            return self.to_json()
        return self.cells.get(keys[0]) if len(keys) == 1 else None

    def _figures(self) -> Iterator[Leaf]:
        role = _role(self.unit, self.children)
        for k, v in self.cells.items():
            yield (k,), v, role

    def hiding(self, paths: Collection[Path]) -> Breakdown:
        cells = {k: (_hidden(v) if (k,) in paths else v) for k, v in self.cells.items()}
        return replace(self, cells=cells)


@dataclass(frozen=True)
class Table(Result):
    """Rows of figures (row key -> column key -> figure); ``children`` when the cells count
    children, in which case rows and columns are additive to published margins."""

    rows: dict[str, dict[str, Cell]]
    unit: str = "count"
    children: bool = True

    def to_json(self) -> dict[str, Any]:
        return {r: dict(row) for r, row in self.rows.items()}

    def _figures(self) -> Iterator[Leaf]:
        role = _role(self.unit, self.children)
        for r, row in self.rows.items():
            for c, v in row.items():
                yield (r, c), v, role

    def hiding(self, paths: Collection[Path]) -> Table:
        rows = {
            r: {c: (_hidden(v) if (r, c) in paths else v) for c, v in row.items()}
            for r, row in self.rows.items()
        }
        return replace(self, rows=rows)

    def suppressed(self, small_max: int = SMALL_MAX) -> Table:
        if not self.children:
            return self
        rows: dict[str, dict[str, Cell]] = {
            r: {c: (SUPPRESSED if is_small(v, small_max) else v) for c, v in row.items()}
            for r, row in self.rows.items()
        }
        columns: list[str] = []
        for row in rows.values():
            columns += [c for c in row if c not in columns]
        lines: list[tuple[list[tuple[str, str]], list[tuple[str, str]]]] = [
            ([(r, c) for c in row], []) for r, row in rows.items()
        ]
        lines += [([(r, c) for r in rows if c in rows[r]], []) for c in columns]

        def hide(cell: tuple[str, str]) -> None:
            rows[cell[0]][cell[1]] = SUPPRESSED

        secondary_suppress(lines, lambda cell: rows[cell[0]][cell[1]], hide)
        return replace(self, rows=rows)


@dataclass(frozen=True)
class Series(Result):
    """Points by year (``"2024"`` -> a figure or a record of figures), oldest first."""

    points: dict[str, Any]
    unit: str = "number"

    def to_json(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in self.points.items()}

    def _figures(self) -> Iterator[Leaf]:
        role: Role = "money" if self.unit == "money" else "number"
        return _nested_leaves(self.points, (), lambda _path: role)

    def hiding(self, paths: Collection[Path]) -> Series:
        return replace(self, points=_nested_hiding(self.points, (), set(paths)))

    def withholding(self, paths: Collection[Path]) -> Series:
        return replace(self, points=_nested_hiding(self.points, (), set(paths), withhold=True))


@dataclass(frozen=True)
class Record(Result):
    """Named figures of mixed kinds. ``child_keys`` count children (suppressed when small) and
    ``derived_keys`` are built on them (suppressed with them once any is)."""

    fields: dict[str, Any]
    child_keys: tuple[str, ...] = ()
    derived_keys: tuple[str, ...] = ()
    unit: str = "number"

    def to_json(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in self.fields.items()}

    def suppressed(self, small_max: int = SMALL_MAX) -> Record:
        fields = dict(self.fields)
        hidden = False
        for key in self.child_keys:
            if is_small(fields.get(key), small_max):
                fields[key] = SUPPRESSED
                hidden = True
        if hidden:
            for key in self.derived_keys:
                if fields.get(key) is not None:
                    fields[key] = SUPPRESSED
        return replace(self, fields=fields)

    def _figures(self) -> Iterator[Leaf]:
        base: Role = "money" if self.unit == "money" else "number"

        def role(path: Path) -> Role:
            if path[0] in self.child_keys:
                return "children"
            if path[0] in self.derived_keys:
                return "derived"
            return base

        return _nested_leaves(self.fields, (), role)

    def hiding(self, paths: Collection[Path]) -> Record:
        return self._without(paths, withhold=False)

    def withholding(self, paths: Collection[Path]) -> Record:
        return self._without(paths, withhold=True)

    def _without(self, paths: Collection[Path], *, withhold: bool) -> Record:
        wanted = set(paths)
        fields = _nested_hiding(self.fields, (), wanted, withhold=withhold)
        if any((k,) in wanted for k in self.child_keys):
            for key in self.derived_keys:
                if fields.get(key) is not None:
                    fields[key] = None if withhold else SUPPRESSED
        return replace(self, fields=fields)


@dataclass(frozen=True)
class Missing(Result):
    """No value: the data the result needs is absent (JSON null)."""

    reason: str = field(default="")

    def to_json(self) -> None:
        return None

    def get(self, *keys: str) -> Any:
        return None


def _role(unit: str, children: bool) -> Role:
    if children:
        return "children"
    return "money" if unit == "money" else "rate" if unit == "rate" else "number"


def _hidden(value: Any) -> Any:
    """A figure suppressed (nothing to hide in an absent one)."""
    return value if value is None else SUPPRESSED


def _nested_leaves(value: Any, path: Path, role: Any) -> Iterator[Leaf]:
    if isinstance(value, Result):
        for sub, v, r in value.leaves():
            yield (*path, *sub), v, r
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _nested_leaves(v, (*path, str(k)), role)
    elif not isinstance(value, list | tuple) and path:
        yield path, value, role(path)


def _nested_hiding(value: Any, path: Path, paths: set[Path], *, withhold: bool = False) -> Any:
    """``value`` with the figures at ``paths`` suppressed (or, ``withhold``, left out: null)."""
    if path in paths:
        if isinstance(value, Mapping | Result):
            return value
        return None if withhold else _hidden(value)
    if isinstance(value, Result):
        inner = {p[len(path) :] for p in paths if p[: len(path)] == path}
        return value.withholding(inner) if withhold else value.hiding(inner)
    if isinstance(value, Mapping):
        return {
            k: _nested_hiding(v, (*path, str(k)), paths, withhold=withhold)
            for k, v in value.items()
        }
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Result):
        return value.to_json()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def to_json(value: Any) -> Any:
    """Plain JSON of a result, or of a mapping / list holding results."""
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return _plain(value)


def scalar(value: Any) -> float | int | None:
    """The headline number of a result (a Share's percentage), a plain number as it is, else
    None (no headline, or a suppressed one)."""
    if isinstance(value, Result):
        value = value.headline
    return value if is_number(value) else None


__all__ = [
    "SUPPRESSED",
    "Breakdown",
    "Cell",
    "Count",
    "Days",
    "Missing",
    "Money",
    "Number",
    "Rate",
    "Record",
    "Result",
    "Series",
    "Share",
    "Table",
    "scalar",
    "to_json",
]
