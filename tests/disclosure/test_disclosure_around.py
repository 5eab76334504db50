"""An audit of some figures reads only the relations around them when given the relations'
index (issue 18: ``protect`` asks that of every exposure): it finds what an audit of every
relation finds for them."""

from __future__ import annotations

from sufficiency.disclosure.audit import audit
from sufficiency.disclosure.linear import Relation, System, Var, relation_index


def _system() -> System:
    s = System()
    values = {
        # one table: a small a and b beside c, its total, and a second line through b
        "a": 3, "b": 4, "c": 30, "t": 37, "b2": 40, "rb": 44,
        # an unrelated table with its own small cell
        "x": 2, "y": 50, "u": 52,
    }  # fmt: skip
    for ref, value in values.items():
        s.add_var(ref, Var(value))
    s.relate(Relation.equal(["t"], ["a", "b", "c"]))
    s.relate(Relation.equal(["rb"], ["b", "b2"]))
    s.relate(Relation.equal(["u"], ["x", "y"]))
    return s


def test_an_audit_around_a_figure_finds_what_a_whole_audit_finds() -> None:
    s = _system()
    index = relation_index(s)
    for hidden in ({"a", "b"}, {"a", "b", "c"}, {"a", "b", "c", "x"}, {"x", "y", "a", "c"}):
        for ref in sorted(hidden):
            whole = audit(s, hidden, only={ref})
            around = audit(s, hidden, only={ref}, index=index)
            assert around == whole
    # the real figures: b's second line gives b away, and a with it, unless c is hidden too
    assert [(e.ref, e.low, e.high) for e in audit(s, {"a", "b"}, only={"a"}, index=index)] == [
        ("a", 3.0, 3.0)
    ]
    assert audit(s, {"a", "b", "c"}, only={"a"}, index=index) == []
    assert [e.ref for e in audit(s, {"x"}, only={"x"}, index=index)] == ["x"]
