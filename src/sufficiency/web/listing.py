"""A list page a page at a time, with its filters: what the filters are (``Filter``), their values
read from the query string (``read``), and the page asked for with what its template needs
(``context``). Pages hold ``settings.LIST_PAGE_SIZE`` rows; a ``?page=`` that is not a number
gives page 1, one past the end the last page. The template shows the filters with
``web/includes/list_filters.html`` and the paging links with
``web/includes/search_pagination.html``; both keep the filters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

#: Longest filter text read (longer text is cut).
MAX_TEXT = 100


@dataclass(frozen=True)
class Filter:
    """A query-string parameter that narrows a list: free text when ``choices`` is None, else
    one of the choices' values (anything else reads as no filter, and so does every value when
    there are no choices: a list of years with none kept is not a text filter)."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...] | None = None
    any_label: str = "Any"


def read(request: HttpRequest, filters: Sequence[Filter]) -> dict[str, str]:
    """Each filter's value from the query string; '' when absent or not one of its choices."""
    values = {}
    for f in filters:
        value = request.GET.get(f.name, "").strip()[:MAX_TEXT]
        if f.choices is not None and value not in dict(f.choices):
            value = ""
        values[f.name] = value
    return values


def context(
    request: HttpRequest,
    rows: Sequence[Any] | QuerySet[Any],
    filters: Sequence[Filter],
    values: Mapping[str, str],
    keep: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The template's ``page`` of ``rows`` (already filtered by ``values``), the filter form's
    fields (``filter_fields``), and ``query``: the filters set and the ``keep`` parameters (other
    settings of the page, kept in the form as hidden fields) for the paging links."""
    page = Paginator(rows, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in (keep or {}).items() if v}
    return {
        "page": page,
        "filters": dict(values),
        "filtered": any(values.values()),
        "filter_fields": [
            {"name": f.name, "label": f.label, "choices": f.choices, "any_label": f.any_label}
            | {"value": values.get(f.name, "")}
            for f in filters
        ],
        "kept": sorted(kept.items()),
        "kept_query": urlencode(kept),
        "query": urlencode(kept | {k: v for k, v in values.items() if v}),
    }
