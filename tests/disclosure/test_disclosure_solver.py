"""The audit's linear programmes, solved by HiGHS in a fresh interpreter: exact ranges on a table
whose answer is known, nothing printed on stdout (which carries a command's JSON), and no
scipy import on the way (half a second of every statement's build)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from sufficiency.disclosure.audit import audit
    from sufficiency.disclosure.linear import Relation, System, Var

    # a 2 x 2 table with its margins: a b | 13 / c d | 30, columns 13 and 30
    s = System()
    for k, v in {"a": 3, "b": 10, "c": 10, "d": 20, "r1": 13, "r2": 30, "k1": 13, "k2": 30}.items():
        s.add_var(k, Var(v))
    for total, parts in (("r1", "ab"), ("r2", "cd"), ("k1", "ac"), ("k2", "bd")):
        s.relate(Relation.equal([total], list(parts), total))
    row = audit(s, {"a", "b"})
    table = audit(s, {"a", "b", "c", "d"})
    print(json.dumps({
        "row": sorted((e.ref, e.low, e.high) for e in row),
        "table": [e.ref for e in table],
        "scipy": any(m == "scipy" or m.startswith("scipy.") for m in sys.modules),
    }))
    """
)


def test_the_audit_solves_exactly_prints_nothing_and_leaves_scipy_alone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    )
    out = json.loads(done.stdout)  # stdout is the script's one line of JSON and nothing else
    # hiding a row's two cells: the known column totals pin both (3 programmes' rows, not one
    # line, so HiGHS solves it)
    assert out["row"] == [["a", 3.0, 3.0], ["b", 10.0, 10.0]]
    # hiding all four: a is still any of 1 to 5, and each other cell moves with it
    assert out["table"] == []
    assert out["scipy"] is False
    assert done.stdout.count("\n") == 1
