"""From a count on the dashboard to the children behind it, and a child's timeline (issue 20):
analysts and directors only, every list audited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from sufficiency.measures import compute
from sufficiency.measures.behind import COUNT, NUMERATOR, children_behind
from sufficiency.measures.timeline import child_events

AT = dt.date(2024, 3, 31)


def _links(html: str, measure: str) -> list[str]:
    return [
        h.replace("&amp;", "&")
        for h in re.findall(rf'href="(/data/children/counted/{measure}/\?[^"]+)"', html)
    ]


def _listed(html: str) -> int:
    found = re.search(r'data-children-behind="(\d+)"', html)
    return int(found.group(1)) if found else 0


def test_counts_link_to_exactly_the_children_behind_them(
    loaded: Any, users: dict[str, object], client_for: Callable[[str], Client]
) -> None:
    from auditlog.models import LogEntry

    from sufficiency.web import bridge

    ds = bridge.current_dataset().dataset
    assert ds is not None
    results = compute(
        ds, AT, ids=["cla_count", "cla_by_age_band", "fostering_share", "uasc_forecast"]
    ).values
    director = client_for("director")
    page = director.get("/", {"theme": "population", "year": "2024", "suppress": "0"})
    html = page.content.decode()
    by_age = _links(html, "cla_by_age_band")
    ages = results["cla_by_age_band"].to_json()
    assert len(by_age) == sum(1 for n in ages.values() if n)  # one link per non-zero cell
    key = max(ages, key=lambda k: ages[k])  # the biggest cell
    href = next(h for h in by_age if f"r={list(ages).index(key)}&" in h)
    listed = director.get(href)
    assert listed.status_code == 200
    assert _listed(listed.content.decode()) == ages[key]
    assert "Age on 31 March 2024" in listed.content.decode()
    ids = children_behind(ds, "cla_by_age_band", AT, key).get_column("CHILD").to_list()
    assert all(f"/data/children/{cid}/" in listed.content.decode() for cid in ids[:50])
    # a record's figures: a stream's start, entries and end link to their children; its exits
    # (start + entries - end: not a set of children) and projections do not
    flows = results["uasc_forecast"].to_json()
    streams = _links(html, "uasc_forecast")
    rows = [re.search(r"r=(\d+)&", h).group(1) for h in streams]  # type: ignore[union-attr]
    keys = list(flows)
    assert [keys[int(r)] for r in rows] == [k for k in ("start", "entries", "end") if flows[k]]
    ended = director.get(streams[-1]).content.decode()
    assert _listed(ended) == flows["end"] == len(children_behind(ds, "uasc_forecast", AT, "end"))
    # from a child in the list to their timeline: care, placements and moves in date order
    record = director.get(f"/data/children/{ids[0]}/").content.decode()
    events = child_events(ds, ids[0])
    assert f'data-timeline="{events.height}"' in record
    assert events.height >= 2 and events.row(0)[1] == "Started to be looked after"
    table = record[record.index("data-timeline=") : record.index("Episodes as recorded")]
    shown = re.findall(r'<td class="govuk-table__cell">(\d\d/\d\d/\d{4})</td>', table)
    assert shown == [d.strftime("%d/%m/%Y") for d in events.get_column("date")]
    assert 'id="child-placements" class="app-chart"' in record
    assert LogEntry.objects.filter(actor=users["director"], object_repr=f"child {ids[0]}").exists()
    # a share: its count links to the children counted; the percentage does not link
    overview = client_for("analyst").get("/", {"year": "2024", "suppress": "0"}).content.decode()
    fostered = _links(overview, "fostering_share")
    assert [re.search(r"c=(\d)", h).group(1) for h in fostered] == ["0", "1"]  # type: ignore[union-attr]
    listed = client_for("analyst").get(fostered[0]).content.decode()
    share = results["fostering_share"].to_json()
    assert (
        _listed(listed)
        == share["count"]
        == children_behind(ds, "fostering_share", AT, column=NUMERATOR).height
    )
    count = _links(overview, "cla_count")
    assert (
        _listed(client_for("analyst").get(count[0]).content.decode())
        == results["cla_count"].to_json()
        == children_behind(ds, "cla_count", AT, COUNT).height
    )
    entry = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_repr__startswith="children behind fostering_share"
    ).get()
    assert entry.actor == users["analyst"]
    assert entry.additional_data["children"] == share["count"]
    assert entry.additional_data["column"] == "count"
    assert entry.additional_data["year"] == 2024
    # filters narrow the list as they narrow the count
    filtered = client_for("analyst").get(
        "/data/children/counted/cla_count/", {"r": 0, "c": 1, "year": 2024, "uasc": "yes"}
    )
    assert _listed(filtered.content.decode()) == results["cla_count"].to_json() - (
        results["cla_count"].to_json()
        - compute(ds, AT, ids=["uasc_count"]).values["uasc_count"].to_json()
    )
    # a cell that counts nobody (the percentage) or does not exist is not found
    assert client_for("analyst").get(fostered[0].replace("c=0", "c=2")).status_code == 404
    assert client_for("analyst").get("/data/children/counted/bed_nights_total/").status_code == 404
    # other roles see no links and are refused the lists
    url = "/data/children/counted/cla_count/?r=0&c=1&year=2024"
    # the same tables an analyst drills into, without links (a filter keeps the page quick)
    page = client_for("commissioner").get("/", {"theme": "population", "uasc": "no"})
    assert 'data-measure="cla_by_age_band"' in page.content.decode()
    assert "/data/children/counted/" not in page.content.decode()
    for role in ("viewer", "commissioner", "home_finder", "fostering_manager"):
        assert client_for(role).get(url).status_code == 403, role
