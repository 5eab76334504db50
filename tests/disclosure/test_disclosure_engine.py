"""The disclosure engine on small hand-made systems: primary and secondary choice, the audit's
reader, magnitudes, withholding, and the threshold."""

from __future__ import annotations

import pytest

from sufficiency.disclosure import SMALL_MAX
from sufficiency.disclosure.audit import DisclosureError, audit
from sufficiency.disclosure.linear import Relation, System, Var, protect


def _system(values: dict[str, float], *lines: tuple[str, list[str]], **kinds: str) -> System:
    s = System()
    for k, v in values.items():
        s.add_var(k, Var(v, kinds.get(k, "children")))  # type: ignore[arg-type]
    for total, parts in lines:
        s.relate(Relation.equal([total], parts, f"{total} = sum"))
    return s


def test_the_default_threshold_is_the_dfes() -> None:
    assert SMALL_MAX == 5
    s = _system({"a": 5, "b": 6, "c": 0})
    assert s.small() == {"a"} and s.small(10) == {"a", "b"}


def test_a_small_cell_beside_a_published_total_takes_the_next_smallest_with_it() -> None:
    s = _system({"a": 3, "b": 40, "c": 20, "t": 63}, ("t", ["a", "b", "c"]))
    (exposed,) = audit(s, {"a"})
    assert (exposed.ref, exposed.low, exposed.high) == ("a", 3, 3)
    chosen = protect(s, {"a"})
    assert chosen.hidden == {"a", "c"} and not chosen.withheld
    assert audit(s, chosen.hidden) == []


def test_two_small_cells_that_pin_each_other_need_a_third() -> None:
    # 4 + 5 = 9 of a total: each c is 1 to 5, so both are 4 or 5 -- two values only
    s = _system({"a": 4, "b": 5, "c": 20, "t": 29}, ("t", ["a", "b", "c"]))
    assert {e.ref for e in audit(s, {"a", "b"})} == {"a", "b"}
    assert protect(s, {"a", "b"}).hidden == {"a", "b", "c"}


def test_a_second_relation_that_pins_the_secondary_is_seen() -> None:
    # hiding b beside a is undone by b's own row (b = 10 - 0): the chooser avoids it
    s = _system(
        {"a": 2, "b": 10, "c": 30, "t": 42, "b0": 0, "rb": 10},
        ("t", ["a", "b", "c"]),
        ("rb", ["b", "b0"]),
    )
    chosen = protect(s, {"a"})
    assert "c" in chosen.hidden and audit(s, chosen.hidden) == []


def test_a_derivable_remainder_is_protected_too() -> None:
    # in touch 53 of 57: the 4 not in touch are children a reader can count
    s = System()
    s.add_var("den", Var(57))
    s.add_var("count", Var(53))
    s.add_var("rest", Var(4, shown=False))
    s.relate(Relation.equal(["den"], ["count", "rest"]))
    assert [e.ref for e in audit(s, set())] == ["rest"]
    hidden = protect(s, set()).hidden
    assert hidden & {"den", "count"} and audit(s, hidden) == []


def test_a_percentage_pins_a_count_unless_it_goes_too() -> None:
    # 100 x count within half a tenth of 7.5% of 40: count is 3
    s = _system({"count": 3, "den": 40})
    s.relate(Relation((("count", 100.0), ("den", -7.55)), -1e18, 0.0))
    s.relate(Relation((("count", 100.0), ("den", -7.45)), 0.0, 1e18))
    (exposed,) = audit(s, {"count"})
    assert (exposed.low, exposed.high) == (3, 3)


def test_magnitudes_need_two_childrens_worth_of_range() -> None:
    s = System()
    for k, v in {"n1": 138.0, "n2": 400.0, "n3": 50000.0, "total": 50538.0}.items():
        s.add_var(k, Var(v, "magnitude", scale=365))
    s.relate(Relation.equal(["total"], ["n1", "n2", "n3"]))
    s.sensitive.add("n1")
    # n1 and n2 hidden: each is between 0 and 538 nights, less than two children's years, and no
    # suppressed figure may be undone
    assert [e.ref for e in audit(s, {"n1", "n2"})] == ["n1", "n2"]
    assert audit(s, {"n1", "n2", "n3"}) == []
    # the further suppression that protects alone: n3 (n1 is then 0 to 50,138 nights), n2
    # shown again (protect chose it first, then n3, which n1 needed still)
    assert protect(s, {"n1"}).hidden == {"n1", "n3"}
    assert audit(s, {"n1", "n3"}) == []


def test_changes_follow_the_figures_they_are_worked_out_from() -> None:
    s = _system({"y1": 3, "y2": 9})
    s.add_var("change", Var(6, "number", lower=float("-inf")))
    s.derived["change"] = ("y2", "y1")
    s.relate(Relation.equal(["change", "y1"], ["y2"]))
    assert protect(s, {"y1"}).hidden == {"y1", "change"}


def test_what_no_suppression_can_protect_is_withheld_or_refused() -> None:
    # a 5 made of four small cells is 4 or 5 whatever is hidden: the detail table must go
    values = {"col": 5, "x.a": 2, "x.b": 1, "x.c": 1, "x.d": 1, "rest": 30, "all": 35}
    s = _system(values, ("col", ["x.a", "x.b", "x.c", "x.d"]), ("all", ["col", "rest"]))
    with pytest.raises(DisclosureError, match="col"):
        protect(s, s.small())
    chosen = protect(s, s.small(), group=lambda r: r.split(".")[0] if "." in r else r)
    assert chosen.withheld == {"x"}
    assert audit(chosen.system, chosen.hidden) == []


def test_a_zero_of_a_share_pinned_by_guessable_relations_withholds_its_own_table() -> None:
    """Three care leavers in touch, all three in EET: the NEET share's count of 0 on its small
    base is suppressed ("none of the few"), and the relations any reader can guess (EET's rest
    is none, so NEET is in touch less EET) pin it whatever else is hidden or withheld. Not
    showing the NEET table protects it (a 25-child council's statement was refused for it)."""
    values = {"touch.den": 3, "eet.count": 3, "eet.den": 3, "neet.count": 0, "neet.den": 3}
    s = _system(
        values,
        ("touch.den", ["eet.count", "neet.count"]),
        ("eet.den", ["eet.count"]),
        ("eet.den", ["touch.den"]),
        ("neet.den", ["touch.den"]),
    )
    primary = s.small() | {"neet.count"}
    with pytest.raises(DisclosureError, match=r"neet\.count"):
        protect(s, primary)
    chosen = protect(s, primary, group=lambda r: r.split(".")[0])
    assert chosen.withheld == {"neet"}
    assert audit(chosen.system, chosen.hidden) == []


def test_figures_a_reader_has_from_elsewhere_are_published() -> None:
    s = _system({"a": 3, "b": 30, "c": 20, "t": 53}, ("t", ["a", "b", "c"]))
    chosen = protect(s, {"a"}).hidden
    assert audit(s, chosen) == []
    # the council's previous statement gave c: hiding it here protects nothing
    assert [e.ref for e in audit(s, chosen, known={"c": 20})] == ["a"]


def test_a_piece_audited_again_is_not_solved_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # two lines sharing hidden figures: a piece for HiGHS; the second audit reuses its ranges
    from sufficiency.disclosure import audit as audit_module

    s = _system(
        {"a": 3, "b": 4, "c": 30, "d": 41, "t": 78, "u": 44},
        ("t", ["a", "b", "c", "d"]),
        ("u", ["a", "d"]),
    )
    first = audit(s, {"a", "b", "c", "d"})
    monkeypatch.setattr(audit_module, "_Solver", None)  # any new programme would fail
    assert audit(s, {"a", "b", "c", "d"}) == first


def test_protect_sums_hides_a_small_part_with_another_and_keeps_what_is_known() -> None:
    from sufficiency.disclosure.linear import protect_sums

    # where one council's children live: 89 at home, 1 with a neighbour, 33 elsewhere, 123 in all
    values = {"own": 89, "member": 1, "within": 90, "outside": 33, "all": 123}
    sums = [("within", ["own", "member"]), ("all", ["within", "outside"])]
    hidden = protect_sums(values, sums, known=["all"])
    assert {"member", "own"} <= hidden and "all" not in hidden
    system = _system(values, *sums)
    assert not audit(system, hidden)
    # a figure hidden by another output is hidden here, and protected like a small one
    forced = protect_sums({"a": 40, "b": 30, "t": 70}, [("t", ["a", "b"])], hidden=["a"])
    assert forced == {"a", "b"}
    # a total the output never shows cannot be hidden, but a part can be worked out from it
    unshown = protect_sums({"a": 2, "b": 30, "t": 32}, [("t", ["a", "b"])], unshown=["t"])
    assert unshown == {"a"}


def test_a_figure_known_from_elsewhere_though_hidden_here_is_not_relied_on() -> None:
    """A region hides a council's 4 (its threshold is 5; the council's own, 3, showed it) beside
    a 3 it must protect: the two [c]s of one total protect each other only while both are
    unknown, and the reader has the 4 from the council."""
    s = _system({"a": 4, "d": 3, "b": 30, "c": 40, "t": 77}, ("t", ["a", "d", "b", "c"]))
    assert protect(s, {"a", "d"}).hidden == {"a", "d"}
    assert audit(s, {"a", "d"}, known={"a": 4})  # that choice is undone by the 4
    chosen = protect(s, {"a", "d"}, known={"a": 4})
    assert len(chosen.hidden - {"a", "d"}) >= 1
    assert not audit(s, chosen.hidden, known={"a": 4})


def test_what_known_figures_pin_is_known_and_not_this_outputs_to_protect() -> None:
    """An earlier statement printed this year's UASC arrivals as the forecast's entries (6) and
    last year's (9) while hiding this year's own figure: this output hides it and its change
    (-3) too, but a reader has both already; no suppression protects them, and none need."""
    s = _system({"y1": 9, "y2": 6, "entries": 6}, ("entries", ["y2"]))
    s.add_var("change", Var(-3, "number", lower=float("-inf")))
    s.derived["change"] = ("y2", "y1")
    s.relate(Relation.equal(["change", "y1"], ["y2"]))
    known = {"entries": 6.0, "y1": 9.0}
    assert s.pinned_by(known) == {"entries": 6.0, "y1": 9.0, "y2": 6.0, "change": -3.0}
    assert s.pinned_by({"y1": 9.0}) == {"y1": 9.0}  # one unknown left per line, no more
    chosen = protect(s, {"y2"}, known=known)
    assert chosen.hidden == {"y2", "change"} and chosen.known["change"] == -3.0
    assert audit(s, chosen.hidden, known=chosen.known) == []
    # what the output itself shows still counts: without the earlier statement, entries would
    # give y2 away, so it goes too
    assert {"y2", "change", "entries"} <= protect(s, {"y2"}).hidden
