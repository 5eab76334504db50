"""A list filter of choices with none to offer reads any value as no filter (before, the returns
page's "Return" filter, with no earlier versions kept, took ``?year=abc`` as a year: a 500)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client, RequestFactory

from sufficiency.web import listing


def test_the_returns_page_with_a_junk_year_and_no_versions_kept(
    client_for: Callable[[str], Client],
) -> None:
    for query in ("?year=abc", "?year=1999", "?year="):
        response = client_for("analyst").get("/data/" + query)
        assert response.status_code == 200, query


def test_a_choice_filter_reads_only_its_choices_and_a_text_filter_any_text() -> None:
    request = RequestFactory().get("/", {"year": "abc", "q": " Oak "})
    none_kept = listing.Filter("year", "Return", ())
    years = listing.Filter("year", "Return", (("2024", "2023-24 return"),))
    text = listing.Filter("q", "Name contains")
    assert listing.read(request, [none_kept, text]) == {"year": "", "q": "Oak"}
    assert listing.read(RequestFactory().get("/", {"year": "2024"}), [years]) == {"year": "2024"}
    assert listing.read(request, [years]) == {"year": ""}
