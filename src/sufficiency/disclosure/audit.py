"""The attacker audit: what a reader who knows everything an output publishes can work out.

The reader knows every published figure, every relation of the ``System`` (sums, groups,
margins, changes, percentages), that a ``[c]`` standing for a small count is 1 to the threshold
and that any other ``[c]`` is above it. For every suppressed figure (and every small child count
a reader could derive though it is never shown) the audit finds the smallest and largest
values consistent with all of it (HiGHS linear programming, rounded in
to whole numbers): there must be at least three. A suppressed magnitude tied to children (bed nights, spend, a forecast) must
keep a range at least two children's worth wide. Only the relations touching an unknown figure
matter, and they fall apart into small independent pieces, so the audit takes well under a
second for a whole statement.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sufficiency.disclosure import SMALL_MAX
from sufficiency.disclosure.linear import System, Var, relation_index

#: Fewest integer values a hidden small count must keep.
MIN_VALUES = 3
#: A stand-in for "no bound" that keeps every programme bounded.
BIG = 1e9
EPS = 1e-6


@dataclass(frozen=True)
class Exposure:
    """A hidden figure a reader can pin down: its reference and the range they can narrow it to."""

    ref: str
    low: float
    high: float
    value: float
    kind: str

    def __str__(self) -> str:
        if self.kind == "text":
            return f"{self.ref}: a small count of children written in the text"
        if self.kind == "undeclared":
            return f"{self.ref}: a number where the output declares none (nothing protects it)"
        span = (
            f"{math.ceil(self.low - EPS)} to {math.floor(self.high + EPS)}"
            if self.kind == "children"
            else f"{self.low:,.1f} to {self.high:,.1f}"
        )
        return f"{self.ref}: a reader can narrow it to {span}"


class DisclosureError(RuntimeError):
    """An output would let a reader work out a suppressed figure: it is not written."""

    def __init__(self, exposures: Iterable[Exposure], what: str = "output") -> None:
        self.exposures = list(exposures)
        shown = "; ".join(str(e) for e in self.exposures[:10])
        more = len(self.exposures) - 10
        super().__init__(
            f"disclosure audit failed for the {what}: {len(self.exposures)} suppressed "
            f"figure(s) could be worked out ({shown}{f'; and {more} more' if more > 0 else ''})"
        )


def reader_bounds(var: Var, hidden: bool, small_max: int) -> tuple[float, float]:
    """What a reader knows of an unknown figure before any relation: a ``[c]`` for a small
    count is 1 to the threshold, any other ``[c]`` count is above it (zeros are never
    suppressed as a secondary), a figure the output never shows is only bounded below."""
    if var.kind == "children" and hidden:
        if 1 <= var.value <= small_max:
            return 1.0, float(small_max)
        if var.value == 0:  # a share's count on a small suppressed base
            return 0.0, BIG
        return float(small_max + 1), BIG
    return max(var.lower, -BIG), BIG


def needs_protection(var: Var, hidden: bool, sensitive: bool, small_max: int) -> bool:
    """Every suppressed figure (a reader must not undo any ``[c]``), and every small child count
    a reader could derive though the output never shows it (the rest of a total)."""
    if hidden:
        return True
    if var.kind == "children":
        return float(var.value).is_integer() and 1 <= var.value <= small_max
    return sensitive


def audit(
    system: System,
    hidden: Iterable[str],
    small_max: int = SMALL_MAX,
    *,
    sensitive: Iterable[str] = (),
    known: Mapping[str, float] | None = None,
    only: Iterable[str] | None = None,
    index: Mapping[str, Sequence[int]] | None = None,
) -> list[Exposure]:
    """Every hidden (or never shown) figure that needs protection and that a reader can narrow
    to fewer than three values (a magnitude: to less than two children's worth).

    ``hidden`` are the figures shown as ``[c]``; figures with ``shown=False`` are unknown too.
    ``sensitive`` are the magnitudes to protect; ``known`` are figures a reader has from
    elsewhere (the council's previous statement, the DfE's files), treated as published.
    ``only`` limits the audit to those figures; with ``index`` (each figure's relations, by
    position in ``system.relations``) only the relations around them are read.
    """
    extra: Mapping[str, float] = known or {}
    hidden_set = hidden if isinstance(hidden, (set, frozenset)) else set(hidden)
    figures = system.vars
    more_sensitive = set(sensitive)

    def is_unknown(r: str) -> bool:
        return r not in extra and (r in hidden_set or not figures[r].shown)

    narrow = only is not None and index is not None  # only the pieces around ``only``
    if narrow:
        candidates = {r for r in only or () if r in figures and is_unknown(r)}
    else:
        unknown = {r for r in hidden_set if r in figures and r not in extra} | {
            r for r, v in figures.items() if not v.shown and r not in extra
        }
        candidates = unknown if only is None else unknown & set(only)
    targets = [
        r
        for r in sorted(candidates)
        if needs_protection(
            figures[r],
            r in hidden_set,
            r in system.sensitive or r in more_sensitive,
            small_max,
        )
    ]
    if not targets:
        return []
    read: Sequence[int] = range(len(system.relations))
    if narrow:
        read = _around(system, index or {}, targets, is_unknown)
        unknown = set(targets)
        for i in read:
            unknown.update(r for r, _ in system.relations[i].terms if is_unknown(r))
    found = _ranges(
        system,
        read,
        unknown,
        set(targets),
        extra,
        lambda r: reader_bounds(figures[r], r in hidden_set, small_max),
    )
    exposures: list[Exposure] = []
    for r in targets:
        low, high = found[r]
        var = figures[r]
        if not _protected(var, low, high) and not _as_outside(system, r, low, high):
            exposures.append(Exposure(r, low, high, var.value, var.kind))
    return exposures


def _as_outside(system: System, reference: str, low: float, high: float) -> bool:
    """True when a reader narrows the figure no further than from outside the output alone
    (``System.floor``): the output cannot protect what is published elsewhere."""
    floor = system.floor.get(reference)
    return floor is not None and math.floor(high + EPS) - math.ceil(low - EPS) + 1 >= floor


def outside_floor(
    system: System,
    known: Mapping[str, float],
    suppressed: Collection[str],
    seeds: Iterable[str],
) -> dict[str, int]:
    """The figures a reader narrows to fewer than three whole values from outside an output
    alone, and how many values each keeps: the figures published elsewhere (``known``, and
    ``suppressed``, the DfE's ``c``: 1 to 5) with the relations any reader knows, every figure
    of the output unknown. The output can keep no more values than that (``System.floor``).
    Only the pieces around ``seeds`` (what is published elsewhere) are read."""
    figures = system.vars

    def is_unknown(r: str) -> bool:
        return r not in known

    start = sorted({r for r in (*seeds, *suppressed) if r in figures and is_unknown(r)})
    read = _around(system, relation_index(system), start, is_unknown)
    unknown = set(start)
    for i in read:
        unknown.update(r for r, _ in system.relations[i].terms if is_unknown(r))
    wanted = {r for r in unknown if figures[r].kind != "magnitude"}

    def bounds(r: str) -> tuple[float, float]:
        if r in suppressed:
            return 1.0, float(SMALL_MAX)
        return max(figures[r].lower, -BIG), BIG

    found = _ranges(system, read, unknown, wanted, known, bounds)
    out: dict[str, int] = {}
    for r in sorted(wanted):
        values = math.floor(found[r][1] + EPS) - math.ceil(found[r][0] - EPS) + 1
        if values < MIN_VALUES:
            out[r] = max(values, 1)
    return out


def published_elsewhere(
    system: System, known: Mapping[str, float], exposures: Iterable[Exposure]
) -> bool:
    """Whether a reader narrows any of ``exposures`` as far from what is published elsewhere
    alone (``known``: the DfE's figures, the earlier statements') as from the output: each
    figure's floor is worked out (``outside_floor`` from the figure itself) and kept in
    ``System.floor``. No output can hide what another has printed (a council of 25 children:
    its 2025 statement printed 22 of 27 placed inside, so 5 outside is no longer this one's to
    protect). What the relations give with nothing published (a share's 0 any reader can
    guess) is not published elsewhere: the output withholds it (``linear._to_withhold``)."""
    exposures = list(exposures)
    refs = {e.ref for e in exposures}
    found = outside_floor(system, known, (), refs)
    guessed = outside_floor(system, {}, (), refs & set(found))
    for r, values in found.items():
        if r not in guessed:
            system.floor.setdefault(r, values)
    return any(_as_outside(system, e.ref, e.low, e.high) for e in exposures)


def _ranges(
    system: System,
    read: Iterable[int],
    unknown: Collection[str],
    wanted: Collection[str],
    known: Mapping[str, float],
    bounds: Callable[[str], tuple[float, float]],
) -> dict[str, tuple[float, float]]:
    """The range a reader can narrow each ``wanted`` figure to, with ``unknown`` figures
    unknown (each within ``bounds``) and the rest at their known or true values, from the
    relations at positions ``read``; the pieces they fall into are solved one by one."""
    figures = system.vars
    rows: list[Row] = []
    parent: dict[str, str] = {r: r for r in unknown}

    def find(r: str) -> str:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for i in read:
        rel = system.relations[i]
        free = tuple((r, a) for r, a in rel.terms if r in unknown)
        if not free:
            continue
        const = sum(
            a * (known[r] if r in known else figures[r].value)
            for r, a in rel.terms
            if r not in unknown
        )
        tol = EPS * max(1.0, abs(const))
        rows.append((free, rel.lo - const - tol, rel.hi - const + tol))
        first = find(free[0][0])
        for r, _ in free[1:]:
            parent[find(r)] = first
    groups: dict[str, list[str]] = {}
    for r in sorted(unknown):
        groups.setdefault(find(r), []).append(r)
    comp_rows: dict[str, list[int]] = {}
    for i, (free, _, _) in enumerate(rows):
        comp_rows.setdefault(find(free[0][0]), []).append(i)
    found: dict[str, tuple[float, float]] = {}
    for root, members in groups.items():
        piece_wanted = tuple(r for r in members if r in wanted)
        if not piece_wanted:
            continue
        piece = _Piece(
            piece_wanted,
            tuple(members),
            tuple(figures[r] for r in members),
            tuple(bounds(r) for r in members),
            tuple(rows[i] for i in comp_rows.get(root, [])),
        )
        found.update(_spans(piece))
    return found


def _around(
    system: System,
    index: Mapping[str, Sequence[int]],
    targets: Iterable[str],
    is_unknown: Callable[[str], bool],
) -> list[int]:
    """The relations (positions, in order) of the pieces holding ``targets``: every relation
    reached from them through unknown figures. The pieces an audit of all relations makes of
    them are the same."""
    seen: set[int] = set()
    todo = list(targets)
    reached = set(todo)
    while todo:
        for i in index.get(todo.pop(), ()):
            if i in seen:
                continue
            seen.add(i)
            for r, _ in system.relations[i].terms:
                if r not in reached and is_unknown(r):
                    reached.add(r)
                    todo.append(r)
    return sorted(seen)


#: One relation of a piece: (unknown figure, coefficient) pairs, least and greatest sum.
Row = tuple[tuple[tuple[str, float], ...], float, float]


@dataclass(frozen=True)
class _Piece:
    """One independent piece of an audit: its unknown figures (each with the reader's bounds),
    the relations among them, and the figures whose ranges are wanted."""

    wanted: tuple[str, ...]
    members: tuple[str, ...]
    vars: tuple[Var, ...]
    bounds: tuple[tuple[float, float], ...]
    rows: tuple[Row, ...]


@functools.lru_cache(maxsize=4096)
def _spans(piece: _Piece) -> dict[str, tuple[float, float]]:
    """For each wanted figure of one piece, a range a reader can narrow it to (exact for an
    exposed figure, at least wide enough for a protected one); not to be changed by callers:
    remembered by piece, since one audit meets the same piece many times (each round of
    ``protect``, each test of a hopeless figure) and a statement built again meets them all.

    Without relations a figure keeps what a reader knows of it; one line of whole figures and
    its total is solved by interval arithmetic (exact); otherwise HiGHS finds each bound (one
    wanted figure: its two programmes at once), but a figure already seen to take values far
    enough apart in the solutions found so far (the true values are one) is protected without
    its own programmes, or with only its least value's: every value between two feasible
    points is feasible too."""
    members, bounds, rows = piece.members, piece.bounds, piece.rows
    integer = [v.kind != "magnitude" for v in piece.vars]
    pos = {r: j for j, r in enumerate(members)}
    if not rows:
        return {r: bounds[pos[r]] for r in piece.wanted}
    if len(rows) == 1 and all(integer) and all(abs(a) == 1 for _, a in rows[0][0]):
        return {r: _whole(*_line(r, pos, bounds, rows[0])) for r in piece.wanted}
    solver = _Solver(members, bounds, rows)
    if len(piece.wanted) == 1:  # its own two programmes are the exact range
        j = pos[piece.wanted[0]]
        ends = [solver.solve({j: 1.0}, sign) for sign in (1.0, -1.0)]
        low = ends[0][j] if ends[0] else bounds[j][0]
        high = ends[1][j] if ends[1] else bounds[j][1]
        return {piece.wanted[0]: _whole(low, high) if integer[j] else (low, high)}
    seen = [[v.value for v in piece.vars]]
    weights = {pos[r]: 1.0 / piece.vars[pos[r]].scale for r in piece.wanted}
    seen += [p for p in (solver.solve(weights, 1.0), solver.solve(weights, -1.0)) if p]
    out: dict[str, tuple[float, float]] = {}
    for r in piece.wanted:
        j = pos[r]
        low, high = min(p[j] for p in seen), max(p[j] for p in seen)
        if not _protected(piece.vars[j], low, high):  # its least value, then its greatest
            least = solver.solve({j: 1.0}, 1.0)
            seen += [least] if least else []
            low = least[j] if least else bounds[j][0]
            if not _protected(piece.vars[j], low, high):
                most = solver.solve({j: 1.0}, -1.0)
                seen += [most] if most else []
                high = most[j] if most else bounds[j][1]
        out[r] = _whole(low, high) if integer[j] else (low, high)
    return out


def _whole(low: float, high: float) -> tuple[float, float]:
    """A range of a whole figure rounded inwards to whole numbers."""
    return float(math.ceil(low - EPS)), float(math.floor(high + EPS))


def _protected(var: Var, low: float, high: float) -> bool:
    """Whether a range leaves a figure protected: three whole values, or two children's worth."""
    if var.kind == "magnitude":
        return high - low >= 2 * var.scale * (1 - EPS)
    return math.floor(high + EPS) - math.ceil(low - EPS) + 1 >= MIN_VALUES


def _line(
    target: str, pos: Mapping[str, int], bounds: Sequence[tuple[float, float]], row: Row
) -> tuple[float, float]:
    """A figure's range on one line of whole figures and its total (interval arithmetic)."""
    free, lo, hi = row
    coef = dict(free)
    j = pos[target]
    others_min = sum(
        min(coef[r] * bounds[pos[r]][0], coef[r] * bounds[pos[r]][1]) for r in coef if r != target
    )
    others_max = sum(
        max(coef[r] * bounds[pos[r]][0], coef[r] * bounds[pos[r]][1]) for r in coef if r != target
    )
    a = coef[target]
    ends = sorted(((lo - others_max) / a, (hi - others_min) / a))
    return max(bounds[j][0], ends[0]), min(bounds[j][1], ends[1])


class _Solver:
    """One piece's linear programme in HiGHS, solved for any objective: each solve starts from
    the last one's basis. HiGHS is called directly (``highspy``), not through scipy's ``milp``,
    whose import (scipy.optimize, half a second) was a fifth of a statement's build."""

    def __init__(
        self,
        members: Sequence[str],
        bounds: Sequence[tuple[float, float]],
        rows: Sequence[Row],
    ) -> None:
        import numpy as np
        from highspy._core import _Highs

        pos = {r: k for k, r in enumerate(members)}
        self.n = len(members)
        # the core class, as scipy uses it: ``highspy.Highs`` adds callbacks that print a banner
        # on stdout (which carries a command's JSON)
        self.highs = _Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.addVars(
            self.n, np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
        )
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        for free, _, _ in rows:
            starts.append(len(index))
            for r, a in free:
                index.append(pos[r])
                value.append(a)
        self.highs.addRows(
            len(rows),
            np.array([lo for _, lo, _ in rows]),
            np.array([hi for _, _, hi in rows]),
            len(index),
            np.array(starts, dtype=np.int32),
            np.array(index, dtype=np.int32),
            np.array(value, dtype=np.float64),
        )
        self.columns = np.arange(self.n, dtype=np.int32)

    def solve(self, weights: Mapping[int, float], sign: float) -> list[float] | None:
        """The solution minimising ``sign`` x the weighted figures (None if HiGHS fails)."""
        import highspy
        import numpy as np

        c = np.zeros(self.n)
        for j, w in weights.items():
            c[j] = sign * w
        self.highs.changeColsCost(self.n, self.columns, c)
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None  # cannot happen: the true values satisfy it
        return [float(v) for v in self.highs.getSolution().col_value]
