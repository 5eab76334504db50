"""The regional pages under /region/ (capability ``region_view``): the region and its members,
the regional needs analysis, one regional market, the vacancy pool with a referral matched
across it, and the regional forecast, gap and block contract. With no region set
(``SUFFICIENCY_REGION``), or a region file that cannot be used, each page says so and how to
put it right. Every table downloads as CSV (``?download=ID``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sufficiency.web.accounts.roles import requires
from sufficiency.web.exports import csv_response
from sufficiency.web.region import pages
from sufficiency.web.region.forms import REFERRAL_ID, RegionalReferralForm
from sufficiency.web.region.source import Loaded, RegionUnavailable, load

#: The region's pages, in the sub-navigation's order: URL, title.
PAGES = (
    ("/region/", "The region"),
    ("/region/needs/", "Regional needs"),
    ("/region/market/", "Regional market"),
    ("/region/pool/", "Vacancy pool and matching"),
    ("/region/outlook/", "Regional forecast and gap"),
)


def _page(
    request: HttpRequest,
    path: str,
    fill: Callable[[Loaded], dict[str, Any]],
    template: str = "web/region.html",
) -> HttpResponse:
    """The region page at ``path``: ``fill``'s context for the loaded region, or why none."""
    title = dict(PAGES)[path]
    ctx: dict[str, Any] = {"page_title": title, "pages": PAGES, "current": path}
    try:
        loaded = load()
    except RegionUnavailable as exc:
        ctx.update(problem=str(exc), configured=exc.configured)
        return render(request, template, ctx, status=200 if not exc.configured else 503)
    ctx["region"] = pages.summary(loaded)
    ctx.update(fill(loaded))
    wanted = request.GET.get("download", "")
    if wanted:
        return _download(ctx, wanted)
    status = ctx.pop("status", 503 if ctx.get("problem") else 200)
    return render(request, template, ctx, status=status)


def _download(ctx: dict[str, Any], table_id: str) -> HttpResponse:
    """One of the page's tables as CSV (the figures the page shows: ``[c]`` where it has it)."""
    for table in ctx.get("tables") or []:
        if table["id"] == table_id:
            return csv_response(
                f"{table_id}.csv",
                table["columns"],
                [[row["header"], *(c["csv"] for c in row["cells"])] for row in table["rows"]],
            )
    shown = ", ".join(t["id"] for t in ctx.get("tables") or []) or "none"
    return HttpResponse(
        f"download: expected one of the page's tables ({shown}), not {table_id!r}.",
        status=404,
        content_type="text/plain; charset=utf-8",
    )


def _tables(key: str) -> Callable[[Loaded], dict[str, Any]]:
    def fill(loaded: Loaded) -> dict[str, Any]:
        found = pages.region_tables(loaded)
        if found["error"]:
            return {"problem": found["error"], "configured": True}
        return {"tables": found[key], "at": found["at"], "threshold": found["threshold"]}

    return fill


@requires("region_view")
def region_home(request: HttpRequest) -> HttpResponse:
    """The region: its name, members, what each offers the pool, the date and the threshold."""
    return _page(request, "/region/", lambda loaded: {})


@requires("region_view")
def region_needs(request: HttpRequest) -> HttpResponse:
    """Every headline measure per council side by side and for the region, protected together
    (the regional statement's needs analysis)."""
    return _page(request, "/region/needs/", _tables("needs"))


@requires("region_view")
def region_market(request: HttpRequest) -> HttpResponse:
    """Homes by type, capacity against need, where each council's children live, and homes by
    URN (who uses which home, each council's weekly price)."""
    return _page(request, "/region/market/", _tables("market"))


@requires("region_view")
def region_pool(request: HttpRequest) -> HttpResponse:
    """The vacancies members offer the region, and a referral from one member matched across
    the pool with the hard rules' exclusions and each option's reasons (nothing is stored)."""

    def fill(loaded: Loaded) -> dict[str, Any]:
        from sufficiency.matching.referral import ReferralError, parse_referral

        names = {m["code"]: m["name"] for m in pages.summary(loaded)["members"]}
        form = RegionalReferralForm(request.POST or None, councils=names)
        result = None
        if request.method == "POST" and form.is_valid():
            data = form.referral_json(REFERRAL_ID)
            try:
                referral = parse_referral(data, source="form")
                result = pages.match(loaded, form.cleaned_data["council"], referral)
            except ReferralError as exc:
                form.add_error(None, str(exc))
        return {
            "status": 400 if form.errors else 200,
            "form": form,
            "result": result,
            "tables": [pages.pool_table(loaded)],
        }

    return _page(request, "/region/pool/", fill, "web/region_pool.html")


@requires("region_view")
def region_outlook(request: HttpRequest) -> HttpResponse:
    """Each council's baseline forecast by placement type and the region's need (their sum) at
    each 31 March of the horizon, the regional gap priced, and what the REGION.toml's block
    contract would save (``region.outlook.regional_outlook``), protected as the published
    regional statement is."""

    def fill(loaded: Loaded) -> dict[str, Any]:
        found = pages.outlook_tables(loaded)
        if found["error"]:
            return {"problem": found["error"], "configured": True}
        parts = {f"{k}_tables": found[k] for k in ("forecast", "gap", "block")}
        return {
            "tables": [t for ts in parts.values() for t in ts],
            **parts,
            **{k: found[k] for k in ("at", "threshold", "years", "hidden")},
        }

    return _page(request, "/region/outlook/", fill, "web/region_outlook.html")
