"""Returns: list loaded years, upload a year (validated by the library), delete, child records."""

from __future__ import annotations

from typing import Any

from auditlog.signals import accessed
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sufficiency.web import bridge
from sufficiency.web.accounts.roles import post_only, requires
from sufficiency.web.data.forms import UploadReturnForm
from sufficiency.web.data.models import Child, CouncilProfile, Episode, ReturnYear


@requires("upload")
def returns(request: HttpRequest) -> HttpResponse:
    """Loaded returns and the upload form; a failed upload shows every problem, stores nothing."""
    problems = []
    form = UploadReturnForm(request.POST or None, request.FILES or None)
    has_profile = CouncilProfile.objects.exists()
    if request.method == "POST" and not has_profile:
        messages.error(
            request, "Set the council profile first: returns are checked against its council code."
        )
    elif request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        files = {f.name: f.read() for f in form.cleaned_data["files"]}
        result = bridge.import_return(year, files, request.user)
        problems = result.problems
        if result.ok:
            messages.success(
                request,
                f"The {year - 1}-{str(year)[2:]} return was loaded "
                f"({len([p for p in problems if p.severity == 'warning'])} warnings).",
            )
            if not problems:
                return redirect("/data/")
        else:
            messages.error(
                request,
                f"The {year - 1}-{str(year)[2:]} return was not loaded: "
                f"{_count(problems, 'error')}. Nothing was saved.",
            )
    years = ReturnYear.objects.all()
    return render(
        request,
        "web/returns.html",
        {
            "page_title": "Returns",
            "form": form,
            "years": years,
            "problems": problems,
            "has_profile": has_profile,
        },
    )


def _count(problems: list[Any], severity: str) -> str:
    n = sum(1 for p in problems if p.severity == severity)
    return f"{n} {severity}{'' if n == 1 else 's'}"


@requires("upload")
@post_only
def delete_year(request: HttpRequest, year: int) -> HttpResponse:
    if bridge.delete_year(year):
        messages.success(request, f"The {year - 1}-{str(year)[2:]} return was deleted.")
    return redirect("/data/")


@requires("child_data")
def children(request: HttpRequest) -> HttpResponse:
    """The list of children's ids (child-level data): each view is written to the audit log."""
    q = request.GET.get("q", "").strip()
    _audit_list_view(request, q)
    qs = Child.objects.select_related("return_year").order_by("child", "return_year__year")
    if q:
        qs = qs.filter(child__icontains=q)
    seen: dict[str, list[int]] = {}
    for c in qs[:2000]:
        seen.setdefault(c.child, []).append(c.return_year.year)
    rows = [
        [{"href": f"/data/children/{cid}/", "text": cid}, ", ".join(str(y) for y in ys)]
        for cid, ys in seen.items()
    ]
    return render(
        request,
        "web/table.html",
        {
            "page_title": "Children",
            "headers": ["Child", "Returns"],
            "rows": rows,
            "intro": "Child-level records. Opening a record is written to the audit log.",
        },
    )


def _audit_list_view(request: HttpRequest, q: str) -> None:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Child),
        object_pk="",
        object_repr=f"children list{f' (search {q!r})' if q else ''}",
        action=LogEntry.Action.ACCESS,
        actor=request.user,
        remote_addr=request.META.get("REMOTE_ADDR"),
    )


@requires("child_data")
def child_detail(request: HttpRequest, child: str) -> HttpResponse:
    """One child's header and episodes; the access is audited (who, what, when)."""
    header = (
        Child.objects.filter(child=child)
        .select_related("return_year")
        .order_by("-return_year__year")
        .first()
    )
    if header is None:
        raise Http404
    accessed.send(sender=Child, instance=header)
    episodes = Episode.objects.filter(child=child).select_related("return_year").order_by("decom")
    rows = [
        [
            e.decom.strftime("%d/%m/%Y"),
            e.dec.strftime("%d/%m/%Y") if e.dec else "open",
            e.rne,
            e.ls,
            e.cin,
            e.place,
            e.place_provider,
            e.rec,
            e.reason_place_change,
            e.pl_post,
            e.urn,
            e.return_year.year,
        ]
        for e in episodes
    ]
    return render(
        request,
        "web/child.html",
        {
            "page_title": f"Child {child}",
            "header": header,
            "headers": [
                "Start",
                "End",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "Provider",
                "REC",
                "RPC",
                "Placement postcode",
                "URN",
                "Return",
            ],
            "rows": rows,
        },
    )


@requires("upload")
def profile(request: HttpRequest) -> HttpResponse:
    """The council's profile (la.toml): checked by the library's profile loader before saving."""
    from sufficiency.web.data.models import CouncilProfile

    current = CouncilProfile.objects.order_by("-updated_at").first()
    text = (
        request.POST.get("toml", current.toml if current else "")
        if request.method == "POST"
        else (current.toml if current else "")
    )
    problems: list[Any] = []
    if request.method == "POST":
        problems = profile_problems(text)
        if not problems:
            with transaction.atomic():
                CouncilProfile.objects.all().delete()
                CouncilProfile.objects.create(toml=text)
            messages.success(request, "The council profile was saved.")
            return redirect("/data/profile/")
    return render(
        request,
        "web/profile.html",
        {
            "page_title": "Council profile",
            "text": text,
            "problems": problems,
            "missing": current is None,
        },
        status=400 if problems else 200,
    )


def profile_problems(text: str) -> list[Any]:
    """What the library's la.toml loader says about ``text`` (empty when it is a valid profile)."""
    import tempfile
    from pathlib import Path

    from sufficiency.ingest.profile_file import load_profile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "la.toml"
        path.write_text(text, encoding="utf-8")
        _, problems = load_profile(path)
    return problems
