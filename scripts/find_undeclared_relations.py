"""Find equalities between published child counts that hold in every synthetic council but
that the disclosure identities (``measures.identities``) do not imply: each is a way a reader
might subtract a hidden count the protection does not know of.

For several synthetic councils, every child count a statement shows is a vector over the
samples (council x date). Equal vectors, a figure equal to another's the year before, and a
figure equal to the sum of some of a table's cells are candidates; a candidate the identities
(with every zero, which is never hidden, as known) do not imply is printed with the samples it
was checked in. Some hold only by how ``synth`` builds councils (every child placed with
parents has a reunification plan): judge each against the measures' definitions before adding
it to ``SUMS``. Takes a minute or two:

    .venv/bin/python scripts/find_undeclared_relations.py
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from sufficiency.dates import same_day
from sufficiency.ingest import load_data
from sufficiency.measures.identities import canonical, figures, measure_system, ref, split
from sufficiency.report.build import statement_inputs
from sufficiency.synth import generate, write_data_folder

COUNCILS = [
    (1, 60, "E06000019"),
    (12, 40, "E09000001"),
    (23, 120, "E08000025"),
    (5, 300, "E10000015"),
    (7, 200, "E06000053"),
    (9, 500, "E08000025"),
]
Vector = tuple[float | None, ...]


def _samples() -> list[tuple[tuple[int, dt.date], dict[str, float], Any, Any]]:
    out = []
    for seed, children, la in COUNCILS:
        folder = Path(tempfile.mkdtemp()) / "data"
        council = generate(seed=seed, children=children, years=list(range(2022, 2027)), la_code=la)
        write_data_folder(council, folder)
        ds = load_data(folder).dataset
        assert ds is not None
        shown, extra = statement_inputs(ds, 2026)
        merged = {at: {**extra.get(at, {}), **r} for at, r in shown.items()}
        system = measure_system(merged)
        for at, results in shown.items():
            values = {}
            for r, (v, role) in figures(results, at).items():
                if role == "children" and isinstance(v, int | float) and not isinstance(v, bool):
                    mid, path, _ = split(r)
                    values[".".join((mid, *path))] = float(v)
            out.append(((seed, at), values, system, merged))
    return out


def main() -> None:
    samples = _samples()

    def vector(key: str, back: int = 0) -> Vector:
        found: list[float | None] = []
        for (council, at), values, _, _ in samples:
            if not back:
                found.append(values.get(key))
                continue
            before = same_day(at.year - back, at)
            prev = next((v for (c, a), v, _, _ in samples if c == council and a == before), None)
            found.append(None if prev is None else prev.get(key))
        return tuple(found)

    def informative(v: Vector) -> bool:
        xs = [x for x in v if x is not None]
        return len(xs) >= 6 and len(set(xs)) >= 4

    def implied(terms: dict[Any, float], i: int) -> bool | None:
        (_, at), _, system, merged = samples[i]
        refs: dict[str, float] = collections.defaultdict(float)
        for key, a in terms.items():
            day = same_day(at.year - 1, at) if isinstance(key, tuple) else at
            name = key[1] if isinstance(key, tuple) else key
            mid, *path = name.split(".")
            refs[canonical(ref(mid, tuple(path), day), merged)] += a
        refs = {r: a for r, a in refs.items() if a}
        if not refs:  # the same figure under two names (an alias)
            return True
        if any(r not in system.vars for r in refs):
            return None
        equal = [rel for rel in system.relations if rel.lo == rel.hi]
        by_var = collections.defaultdict(list)
        for n, rel in enumerate(equal):
            for r, _ in rel.terms:
                by_var[r].append(n)
        seen, todo, rows = set(refs), list(refs), set()
        while todo:
            for n in by_var.get(todo.pop(), ()):
                if n not in rows:
                    rows.add(n)
                    new = {r for r, _ in equal[n].terms} - seen
                    seen |= new
                    todo += new
        cols = {r: j for j, r in enumerate(sorted(seen))}
        zeros = [r for r in cols if system.vars[r].value == 0 and system.vars[r].shown]
        matrix = np.zeros((len(rows) + len(zeros), len(cols)))
        for k, n in enumerate(sorted(rows)):
            for r, a in equal[n].terms:
                matrix[k, cols[r]] += a
        for k, r in enumerate(zeros):  # a zero is never hidden: a reader knows it
            matrix[len(rows) + k, cols[r]] = 1.0
        target = np.zeros(len(cols))
        for r, a in refs.items():
            target[cols[r]] = a
        if not len(matrix):
            return False
        y, *_ = np.linalg.lstsq(matrix.T, target, rcond=None)
        return bool(np.abs(matrix.T @ y - target).max() < 1e-6)

    def check(terms: dict[Any, float], label: str) -> None:
        results = [r for r in (implied(terms, i) for i in range(len(samples))) if r is not None]
        if results and not all(results):
            print(f"{label}  (not implied in {results.count(False)} of {len(results)} samples)")

    keys = sorted({k for _, values, _, _ in samples for k in values})
    vectors = {k: vector(k) for k in keys}
    groups: dict[Vector, list[str]] = collections.defaultdict(list)
    for k, v in vectors.items():
        if informative(v):
            groups[v].append(k)
    for ks in groups.values():
        for a, b in itertools.combinations(ks, 2):
            check({a: 1, b: -1}, f"{a} = {b}")
    for k in keys:
        for a in groups.get(vector(k, 1), []):
            check({a: 1, ("prev", k): -1}, f"{a} = {k} a year before")
    families: dict[str, list[str]] = collections.defaultdict(list)
    for k in keys:
        parent = k.rpartition(".")[0]
        if parent and not k.endswith(".total") and any(vectors[k]):
            families[parent].append(k)
    for kids in families.values():
        if not 2 <= len(kids) <= 12:
            continue
        for size in range(2, len(kids) + 1):
            for combo in itertools.combinations(kids, size):
                total = tuple(
                    None
                    if any(vectors[k][i] is None for k in combo)
                    else sum(vectors[k][i] or 0.0 for k in combo)
                    for i in range(len(samples))
                )
                for whole in groups.get(total, []) if informative(total) else []:
                    if whole not in combo:
                        check({whole: 1, **{k: -1 for k in combo}}, f"{whole} = sum {combo}")


if __name__ == "__main__":
    main()
