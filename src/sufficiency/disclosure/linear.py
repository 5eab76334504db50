"""One output as one system of linear relations: its figures, what a reader knows ties them
together, and the choice of suppressions that leaves no suppressed figure pinned down.

A ``System`` holds every figure of an output by reference (``measure.key@date``) with its true
value and kind, and the relations a reader can use (a breakdown sums to its total, DfE groups are
sums of placement types, a share's count and the rest make its denominator, this year's change
is this year less last year, ...). ``protect`` starts from the primary suppressions (child
counts of 1 to the threshold, and the magnitudes tied to them) and adds the fewest, smallest
further suppressions until ``disclosure.audit`` finds nothing a reader could work out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from sufficiency.disclosure import SMALL_MAX

#: children: a count of children (primary-suppressed when small, needs three possible values
#: when hidden); number: any other integer figure (beds, households, a change); magnitude: a
#: figure tied to children (bed nights, spend, a forecast) that needs a range of two children's
#: worth (``scale`` each) when hidden.
Kind = Literal["children", "number", "magnitude"]
INF = float("inf")


@dataclass(frozen=True)
class Var:
    """One figure of an output: its true value and what kind of figure it is."""

    value: float
    kind: Kind = "children"
    #: A magnitude: what one child amounts to (365 bed nights, a year's spend, 1.0 forecast child).
    scale: float = 1.0
    #: The least a reader knows it can be (0 for counts and money; -inf for a change).
    lower: float = 0.0
    #: False for a figure the output never shows (a remainder, a complement): a reader can only
    #: derive it, and it cannot be suppressed.
    shown: bool = True


@dataclass(frozen=True)
class Relation:
    """lo <= sum(coefficient x figure) <= hi, true of the figures and known to any reader."""

    terms: tuple[tuple[str, float], ...]
    lo: float
    hi: float
    label: str = ""

    @staticmethod
    def equal(
        left: Iterable[str], right: Iterable[str], label: str = "", constant: float = 0.0
    ) -> Relation:
        """sum(left) = sum(right) + constant."""
        terms: dict[str, float] = {}
        for r in left:
            terms[r] = terms.get(r, 0.0) + 1.0
        for r in right:
            terms[r] = terms.get(r, 0.0) - 1.0
        return Relation(tuple((r, a) for r, a in terms.items() if a), constant, constant, label)

    def holds(self, values: Mapping[str, float], tolerance: float = 1e-6) -> bool:
        """True when the figures' true values satisfy the relation."""
        total = sum(a * values[r] for r, a in self.terms)
        slack = tolerance * max(1.0, abs(self.lo) if self.lo > -INF else 1.0, abs(total))
        return self.lo - slack <= total <= self.hi + slack


@dataclass
class System:
    """The figures of an output and the relations between them."""

    vars: dict[str, Var] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    #: Relations dropped because the data does not satisfy them (so no reader can rely on them).
    dropped: list[Relation] = field(default_factory=list)
    #: Magnitudes tied to a hidden child count: protected like it when hidden.
    sensitive: set[str] = field(default_factory=set)
    #: Figures worked out from others (a change from two years): hidden when any of them is.
    derived: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Figures a reader narrows to fewer than three values from outside the output alone, with
    #: how many values each keeps (``audit.outside_floor``): the audit asks no more of it.
    floor: dict[str, int] = field(default_factory=dict)

    def follow(self, hidden: Iterable[str]) -> set[str]:
        """``hidden`` with every derived figure of a hidden one."""
        out = set(hidden)
        changed = True
        while changed:
            changed = False
            for r, bases in self.derived.items():
                if r not in out and any(b in out for b in bases):
                    out.add(r)
                    changed = True
        return out

    def add_var(self, ref: str, var: Var) -> None:
        """Add a figure (the first definition of a reference wins)."""
        self.vars.setdefault(ref, var)

    def relate(self, relation: Relation) -> None:
        """Add a relation when every figure it names is known and it holds on the data."""
        if not relation.terms or any(r not in self.vars for r, _ in relation.terms):
            return
        values = {r: self.vars[r].value for r, _ in relation.terms}
        if relation.holds(values):
            self.relations.append(relation)
        else:
            self.dropped.append(relation)

    def pinned_by(
        self, known: Mapping[str, float], index: Mapping[str, list[int]] | None = None
    ) -> dict[str, float]:
        """``known`` with every figure its relations then pin exactly, one equality at a time
        (all its other figures known): what a reader has before this output shows anything.
        A hidden figure among them is not this output's to protect. (``index``: each figure's
        relations, when the caller has them.)"""
        out = dict(known)
        index = relation_index(self) if index is None else index
        todo = [r for r in out if r in index]
        while todo:
            for i in index.get(todo.pop(), ()):
                rel = self.relations[i]
                left = [r for r, a in rel.terms if a and r not in out]
                if rel.lo == rel.hi and len(left) == 1 and left[0] in self.vars:
                    out[left[0]] = self.vars[left[0]].value
                    todo.append(left[0])
        return out

    def small(self, small_max: int = SMALL_MAX) -> set[str]:
        """Child counts from 1 to the threshold: the primary suppressions."""
        return {
            r
            for r, v in self.vars.items()
            if v.kind == "children" and float(v.value).is_integer() and 1 <= v.value <= small_max
        }


@dataclass(frozen=True)
class Choice:
    """What an output suppresses (shown as ``[c]``) and withholds (not shown at all), and the
    system as published (withheld figures no longer shown)."""

    hidden: frozenset[str]
    withheld: frozenset[str]
    system: System
    #: What a reader has from elsewhere, with what it pins (``System.pinned_by``).
    known: Mapping[str, float] = field(default_factory=dict)


def protect(
    system: System,
    hidden: Iterable[str],
    small_max: int = SMALL_MAX,
    *,
    keep: Iterable[str] = (),
    group: Callable[[str], str | None] | None = None,
    keep_groups: Iterable[str] = (),
    known: Mapping[str, float] | None = None,
    max_rounds: int = 200,
) -> Choice:
    """The suppressions that leave nothing recoverable: ``hidden`` (the primary ones) plus the
    fewest, smallest further figures, chosen round by round from the relations that pin a
    hidden figure down until ``audit`` passes. ``known`` are figures a reader has from elsewhere
    even where this output hides them (another output's, at a lower threshold); what they pin
    exactly is known too (``System.pinned_by``), never hidden as a further suppression and not
    this output's to protect.

    Some figures cannot be protected by hiding more: four suppressed cells of at least 1 each
    that add up to a suppressed 5 pin it to 4 or 5 whatever else is hidden. Then, when ``group``
    names the table each figure belongs to, the table that pins it is withheld (not shown at
    all) instead (``_tables_to_withhold``); ``keep_groups`` only as the last resort. ``keep``
    are figures never to hide.
    Raises ``DisclosureError`` when nothing is left to choose.
    """
    from sufficiency.disclosure.audit import DisclosureError, audit, published_elsewhere

    system = System(
        dict(system.vars),
        list(system.relations),
        list(system.dropped),
        set(system.sensitive),
        dict(system.derived),
        dict(system.floor),
    )
    index = relation_index(system)
    known = system.pinned_by(known or {}, index)
    chosen = system.follow(r for r in hidden if r in system.vars)
    primary = set(chosen)
    kept = set(keep) | set(known)
    withheld: set[str] = set()
    # figures found not hopeless: they stay so while nothing more is kept (each round only
    # hides more, or withholds, and a reader who knows less can narrow nothing further)
    saved: set[str] = set()
    # the same holds for the audit: after a round that only hid or withheld more, a protected
    # figure stays protected, so the next audit reads the exposed figures and the newly unknown
    # ones (``again``; None: every figure); the choice itself always passes a whole audit
    again: set[str] | None = None
    audited: set[str] = set()
    checked: set[str] = set()  # hopeless figures whose floor ``published_elsewhere`` worked out
    for _ in range(max_rounds):
        chosen = system.follow(chosen)
        if again is None:
            exposures = audit(system, chosen, small_max, known=known)
        else:
            fresh = again | (chosen - audited)
            exposures = audit(system, chosen, small_max, known=known, only=fresh, index=index)
            if not exposures:
                exposures = audit(system, chosen, small_max, known=known)
        if not exposures:
            chosen = _show_again(system, chosen, primary, small_max, known)
            return Choice(frozenset(chosen), frozenset(withheld), system, known)
        audited = set(chosen)
        again = {e.ref for e in exposures}
        untested = [e for e in exposures if e.ref not in saved]
        hideable = {  # what could still be hidden: the figures the tests of hopeless ones add
            x
            for x, v in (system.vars.items() if untested else ())
            if x not in chosen and x not in kept and v.shown and v.value != 0
        }
        hopeless = []
        for e in untested:
            if _hopeless(system, index, chosen, hideable, e.ref, small_max, known=known):
                hopeless.append(e)
            else:
                saved.add(e.ref)
        fresh_hopeless = [e for e in hopeless if e.ref not in checked]
        checked.update(e.ref for e in fresh_hopeless)
        if fresh_hopeless and published_elsewhere(system, known, fresh_hopeless):
            saved.clear()
            again = None
            continue
        wasted = [e.ref for e in hopeless if e.ref not in primary and system.vars[e.ref].shown]
        if wasted:  # a further suppression nothing can protect protects nothing: show it again
            chosen -= set(wasted)
            kept |= set(wasted)
            saved.clear()
            again = None
            continue
        if hopeless and group is not None:
            tables = _tables_to_withhold(
                system,
                index,
                chosen,
                hideable,
                hopeless[0].ref,
                group,
                small_max,
                set(keep_groups),
                withheld,
                known,
            )
            if not tables:
                raise DisclosureError(hopeless)
            withheld.update(tables)
            for r, v in list(system.vars.items()):
                if group(r) in tables:
                    system.vars[r] = replace(v, shown=False)
                    chosen.discard(r)
                    again.add(r)
            continue
        added = False
        touched: set[int] = set()
        for e in exposures:
            if touched & set(index.get(e.ref, ())):
                continue  # a figure just hidden beside it may already be enough: audit again
            pick = _candidate(system, index, chosen, kept, e.ref)
            if pick is not None and pick not in chosen:
                chosen.add(pick)
                touched.update(index.get(pick, ()))
                added = True
        if not added:
            raise DisclosureError(exposures)
    raise DisclosureError(audit(system, chosen, small_max, known=known))


#: The most further suppressions ``_show_again`` tries to show again (largest first).
SHOW_AGAIN_TRIES = 60


def _show_again(
    system: System,
    chosen: set[str],
    primary: set[str],
    small_max: int,
    known: Mapping[str, float],
) -> set[str]:
    """``chosen`` without the further suppressions the audit does not need, largest first.
    ``protect`` hides one figure an exposure at a time, and a later choice often protects what
    an earlier one was chosen for: the demo's statement hid its in-house fostering (140), IFA
    (99) and kinship fostering (69) for a handful of small counts. A figure is shown again with
    the figures that showing it lets a reader work out (hidden, they protect nothing), when
    then no small count is exposed."""
    from sufficiency.disclosure.audit import audit

    further = sorted(
        (r for r in chosen - primary if system.vars[r].shown),
        key=lambda r: (-abs(system.vars[r].value), r),
    )
    for r in further[:SHOW_AGAIN_TRIES]:
        if r not in chosen:
            continue
        shown = {r}
        while True:
            trial = system.follow(chosen - shown - _derived_from(system, shown))
            if shown & trial:  # derived from another hidden figure: hidden with it
                break
            exposed = {e.ref for e in audit(system, trial, small_max, known=known)}
            if not exposed:
                chosen = trial
                break
            if exposed & primary or not exposed <= chosen or len(shown) > 8:
                break
            shown |= exposed  # worked out once the others show: hidden, they protect nothing
    return chosen


def _derived_from(system: System, refs: set[str]) -> set[str]:
    """The derived figures with a base among ``refs``."""
    return {d for d, bases in system.derived.items() if any(b in refs for b in bases)}


def protect_sums(
    values: Mapping[str, float],
    sums: Iterable[tuple[str, Iterable[str]]],
    small_max: int = SMALL_MAX,
    *,
    hidden: Iterable[str] = (),
    known: Iterable[str] = (),
    unshown: Iterable[str] = (),
) -> frozenset[str]:
    """What to suppress of a table of child counts whose ``sums`` (a total and its parts) any
    reader knows: its small counts and ``hidden``, and what ``protect`` adds. ``known`` figures
    are published elsewhere (never suppressed); ``unshown`` ones the output never shows."""
    never = set(unshown)
    system = System()
    for key, value in values.items():
        system.add_var(key, Var(float(value), shown=key not in never))
    for total, parts in sums:
        system.relate(Relation.equal([total], parts, label=f"sum {total}"))
    primary = system.small(small_max) | {k for k in hidden if k in values}
    return protect(system, primary, small_max, keep=set(known)).hidden


def _tables_to_withhold(
    system: System,
    index: Mapping[str, list[int]],
    hidden: set[str],
    hideable: set[str],
    ref: str,
    group: Callable[[str], str | None],
    small_max: int,
    keep_groups: set[str],
    withheld: set[str],
    known: Mapping[str, float] | None,
) -> list[str]:
    """The fewest tables to withhold that protect the hopeless ``ref``: one of those it is tied
    to (``_to_withhold``'s, in its order) alone; else of the tables other than ``keep_groups``,
    those it is tied to together (or, when they cannot, every one, less each not needed). Else,
    the last resort, tables of ``keep_groups`` too: a 49-child council's placement types, when
    the DfE's 16% of 49 gives its children's homes, 8, and 6 of them are in external homes, pin
    the in-house 2 whatever else is hidden; a 60-child council's 1 placed for adoption is a
    placement type, a national group and a location cell. Empty when nothing protects it."""
    members: dict[str, list[str]] = {}
    for r in system.vars:
        g = group(r)
        if g is not None and g not in withheld:
            members.setdefault(g, []).append(r)
    tables = set(members)
    tied = _to_withhold(system, index, ref, group, keep_groups | withheld, known)
    core = _to_withhold(system, index, ref, group, withheld | (tables - keep_groups), known)

    def helps(chosen: Iterable[str]) -> bool:
        """Whether withholding every table of ``chosen`` would protect ``ref``."""
        gone = {r for g in chosen for r in members[g]}
        trial = replace(system, vars=dict(system.vars))
        for r in gone:
            trial.vars[r] = replace(system.vars[r], shown=False)
        return not _hopeless(
            trial, index, hidden - gone, hideable - gone, ref, small_max, known=known
        )

    for g in tied:
        if helps({g}):
            return [g]
    candidates = tables - keep_groups
    if not helps(candidates):  # the last resort
        for g in core:
            if helps({g}):
                return [g]
        if not helps(tables):
            return []
        candidates = tables
    own = {g} & candidates if (g := group(ref)) is not None else set()
    near = (set(tied) | set(core) | own) & candidates
    rest = sorted(candidates - near) if not helps(near) else []
    return _fewest(
        near | set(rest), [rest, *([g] for g in [*reversed(core), *reversed(tied)])], helps
    )


def _fewest(
    tables: set[str], batches: Iterable[list[str]], helps: Callable[[Iterable[str]], bool]
) -> list[str]:
    """``tables`` less those not needed, tried batch by batch in order: a batch that cannot go
    whole is halved (the many tables a figure is not tied to go at once)."""
    out = set(tables)

    def drop(batch: list[str]) -> None:
        batch = [g for g in batch if g in out]
        if not batch:
            return
        if helps(out - set(batch)):
            out.difference_update(batch)
        elif len(batch) > 1:
            drop(batch[: len(batch) // 2])
            drop(batch[len(batch) // 2 :])

    for batch in batches:
        drop(batch)
    return sorted(out)


def _hopeless(
    system: System,
    index: Mapping[str, list[int]],
    hidden: set[str],
    hideable: set[str],
    ref: str,
    small_max: int,
    *,
    known: Mapping[str, float] | None = None,
) -> bool:
    """True when ``ref`` stays exposed even with every other figure that could be hidden
    (``hideable``: shown, not kept, not zero) hidden too (and ``known`` known all the same):
    only withholding a table can protect it. (Tried first with the figures two relations out,
    which is cheaper and usually decides it.)"""
    from sufficiency.disclosure.audit import audit

    near: set[str] = set()
    frontier = {ref}
    for _ in range(2):
        rels = {i for r in frontier for i in index.get(r, ())}
        frontier = {x for i in rels for x, _ in system.relations[i].terms}
        near |= frontier
    near_hidden = hidden | (near & hideable)
    if not audit(system, near_hidden, small_max, only={ref}, index=index, known=known):
        return False
    return bool(audit(system, hidden | hideable, small_max, only={ref}, index=index, known=known))


def _to_withhold(
    system: System,
    index: Mapping[str, list[int]],
    ref: str,
    group: Callable[[str], str | None],
    kept: set[str],
    known: Mapping[str, float] | None = None,
) -> list[str]:
    """The tables to withhold for ``ref``, best first: its own when it is a zero (see below);
    else the tables its relations tie it to (its own aside; one relation further out counting
    half), the most figures in them first.
    When those are all kept or withheld already, the nearest table further out (a small
    council's children's homes pinned through each home's location cells, three relations off),
    and last its own (UASC 7, known from the DfE, beside ages 13-15 = 1 and 16-17 = 6: the ages
    table not shown)."""
    own = group(ref)
    if system.vars[ref].value == 0 and own is not None and own not in kept:
        # a share's count of 0 on a small base ("none of the few"): where another table
        # prints the same 0, that table (it says the same of the few); else its own, pinned
        # only by relations any reader can guess (the rest is none)
        for i in index.get(ref, ()):
            rel = system.relations[i]
            if rel.lo == rel.hi == 0 and len(rel.terms) == 2:
                other = next(r for r, _ in rel.terms if r != ref)
                g = group(other)
                if system.vars[other].shown and g is not None and g != own and g not in kept:
                    return [g, own]
        return [own]
    counts: dict[str, float] = {}
    frontier = {ref}
    seen: set[int] = set()
    for hop, weight in enumerate((1.0, 0.5, 0.25, 0.125, 0.0625)):
        if hop >= 2 and counts:
            break
        rels = {i for r in frontier for i in index.get(r, ())} - seen
        seen |= rels
        frontier = set()
        for i in rels:
            for r, _ in system.relations[i].terms:
                frontier.add(r)
                g = group(r)
                if (
                    g is not None
                    and g != own
                    and g not in kept
                    and system.vars[r].shown
                    and r not in (known or {})  # a reader has it whether shown or not
                ):
                    counts[g] = counts.get(g, 0.0) + weight
    last = [own] if own is not None and own not in kept else []
    # last, its own table: not shown, the figure is only a sum's part
    return sorted(counts, key=lambda g: (-counts[g], g)) + last


def relation_index(system: System) -> dict[str, list[int]]:
    """Each figure's relations, by position in ``system.relations``."""
    index: dict[str, list[int]] = {}
    for i, rel in enumerate(system.relations):
        for r, _ in rel.terms:
            index.setdefault(r, []).append(i)
    return index


def _candidate(
    system: System, index: Mapping[str, list[int]], hidden: set[str], kept: set[str], ref: str
) -> str | None:
    """The cheapest shown figure to hide next for ``ref``: searched outwards from its own
    relations (tightest first: the fewest unknown figures), one a reader could not work out
    at once preferred, then the smallest non-zero figure weighted by how many relations it is
    in (a total that every breakdown adds up to costs most)."""
    seen_rel: set[int] = set()
    frontier = {ref}
    seen_var = {ref}
    while frontier:
        rels = sorted(
            {i for r in frontier for i in index.get(r, ()) if i not in seen_rel},
            key=lambda i: sum(
                1 for r, _ in system.relations[i].terms if r in hidden or not system.vars[r].shown
            ),
        )
        for i in rels:
            options = [
                r
                for r, _ in system.relations[i].terms
                if r not in hidden
                and r not in kept
                and system.vars[r].shown
                and system.vars[r].value != 0
            ]
            if options:
                return min(
                    options,
                    key=lambda r: (
                        _pinned(system, index, hidden, r),
                        system.vars[r].kind != system.vars[ref].kind,
                        abs(system.vars[r].value) / system.vars[r].scale * len(index.get(r, ())),
                        r,
                    ),
                )
        seen_rel.update(rels)
        nxt = {
            r
            for i in rels
            for r, _ in system.relations[i].terms
            if r not in seen_var and (r in hidden or not system.vars[r].shown)
        }
        seen_var |= nxt
        frontier = nxt
    return None


def _pinned(system: System, index: Mapping[str, list[int]], hidden: set[str], r: str) -> bool:
    """True when hiding ``r`` would be undone at once: a relation of ``r`` has no other unknown
    figure, so a reader works ``r`` out from it."""
    for i in index.get(r, ()):
        others = [
            x
            for x, _ in system.relations[i].terms
            if x != r and (x in hidden or not system.vars[x].shown)
        ]
        if not others:
            return True
    return False
