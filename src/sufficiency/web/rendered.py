"""Pages rendered once and shown again from memory while nothing they show can have changed.

A page is kept per role (what a page shows depends on the role: its links, suppression,
editing) or, for a page that shows what is the user's own (saved scenarios), per user; per
address with its query, per day and per data version (``page_cache.remembered``); and only
until any request that could write has finished in any server process (``data_version.mark``):
a holding, an approval or a saved scenario is shown at once. What differs between the users
and sessions of a role is rendered as a placeholder and put in for each request: the user name
in the header, and the CSRF token. A page with a message to show (a banner after a change) is
never kept, and neither is one whose building left a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape

from sufficiency.web import data_version, page_cache
from sufficiency.web.accounts.roles import role_of

#: What a kept page holds where the request's CSRF token and user name go (letters and digits
#: only: never changed by escaping).
TOKEN_PLACEHOLDER = "csrfplaceholderd41d8cd98f00b204e9800998ecf8427e"
USER_PLACEHOLDER = "userplaceholder5f4dcc3b5aa765d61d8327deb882cf99"


class _AnyUserOfTheRole:
    """The ``user`` a kept page is rendered for: signed in, named by the placeholder, and
    nothing else of anyone's (a template asking for more gets nothing, not another's data)."""

    is_authenticated = True
    is_anonymous = False
    username = USER_PLACEHOLDER


def today() -> str:
    """The day a page is kept for (what it shows of dates, deadlines and expiries moves on)."""
    return dt.date.today().isoformat()


def _pending_messages(request: HttpRequest) -> bool:
    return len(get_messages(request)) > 0


def page(
    request: HttpRequest,
    template: str,
    build: Callable[[], Mapping[str, Any]],
    key: tuple[Hashable, ...] = (),
    per_user: bool = False,
) -> HttpResponse:
    """``render(request, template, build())``, or the same page kept from an earlier request.

    ``key`` holds anything else the page shows that no write request changes (e.g. holds that
    lapse with time); ``per_user`` keeps the page for this user only (it shows what is theirs).
    """
    if _pending_messages(request):
        return HttpResponse(render_to_string(template, dict(build()), request))
    full = (
        "page",
        data_version.mark(),  # first: a write finishing while the page is built is not missed
        today(),
        role_of(request.user),
        request.user.pk if per_user else None,
        template,
        request.get_full_path(),
        *key,
    )

    def render() -> str:
        shared = {"csrf_token": TOKEN_PLACEHOLDER, "user": _AnyUserOfTheRole()}
        html: str = render_to_string(template, {**build(), **shared}, request)
        return html

    # a page whose building left a message (an error to show) is this answer only, not kept
    html = page_cache.remembered(full, render, keep=lambda: not _pending_messages(request))
    html = html.replace(TOKEN_PLACEHOLDER, get_token(request))
    return HttpResponse(html.replace(USER_PLACEHOLDER, escape(request.user.get_username())))
