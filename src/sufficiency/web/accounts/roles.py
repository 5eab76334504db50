"""Roles (Django groups) and the permission checks views use.

admin: everything; analyst: all data, and the child-level registers (a child's disability, plans,
care leavers); home_finder: referrals (their registers too), vacancies, matching; commissioner:
the registers but the child-level ones, forecasts, statement; viewer: published (suppressed)
figures only; fostering_manager: the fostering registers (carers, recruitment, adopters),
seeing the others but the child-level ones; director: every page
an analyst sees, unsuppressed, read-only (no uploads, register, scenario or narrative edits)
apart from publishing the approved statement, which the director and the admin do; regional: a
regional team's pages (the region's councils together, /region/), which the director and the
admin also see.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ROLES: tuple[str, ...] = (
    "admin",
    "analyst",
    "home_finder",
    "commissioner",
    "viewer",
    "fostering_manager",
    "director",
    "regional",
)

ROLE_TITLES = {
    "admin": "Administrator",
    "analyst": "Performance analyst",
    "home_finder": "Home finder",
    "commissioner": "Commissioner",
    "viewer": "Viewer",
    "fostering_manager": "Fostering manager",
    "director": "Director",
    "regional": "Regional team",
}

#: The registers a fostering manager keeps (``fostering_registers_edit``).
FOSTERING_REGISTERS: frozenset[str] = frozenset({"carers", "recruitment", "adopters"})
#: The child-level registers home finding keeps (referrals and what became of them): seen and
#: changed by those who find homes, and by those who may see children's records.
MATCHING_REGISTERS: frozenset[str] = frozenset({"referrals", "outcomes"})

#: Capability -> roles allowed. Views name a capability, never a role list of their own.
CAPABILITIES: dict[str, frozenset[str]] = {
    "account": frozenset(ROLES),
    "dashboard": frozenset(ROLES),
    "dashboard_unsuppressed": frozenset({"admin", "analyst", "director"}),
    #: Filters split children into groups a viewer could subtract from one another.
    "dashboard_filters": frozenset(
        {"admin", "analyst", "home_finder", "commissioner", "fostering_manager", "director"}
    ),
    "child_data": frozenset({"admin", "analyst", "director"}),
    "upload": frozenset({"admin", "analyst"}),
    "registers_view": frozenset(
        {"admin", "analyst", "commissioner", "home_finder", "fostering_manager", "director"}
    ),
    "registers_edit": frozenset({"admin", "commissioner"}),
    #: May see the home-finding registers (MATCHING_REGISTERS): children referred, by age,
    #: sex and home postcode.
    "referrals_view": frozenset({"admin", "analyst", "director", "home_finder"}),
    #: May change the other child-level registers (a child's disability, plans, a care leaver):
    #: those who keep the children's records.
    "child_registers_edit": frozenset({"admin", "analyst"}),
    #: May edit the fostering registers (FOSTERING_REGISTERS) only.
    "fostering_registers_edit": frozenset({"admin", "commissioner", "fostering_manager"}),
    "vacancies_edit": frozenset({"admin", "commissioner", "home_finder"}),
    #: May edit some register (which one is checked per register: vacancies_edit / registers_edit).
    "register_edit_any": frozenset(
        {"admin", "analyst", "commissioner", "home_finder", "fostering_manager"}
    ),
    "forecast": frozenset({"admin", "analyst", "commissioner", "director"}),
    #: May save, copy and delete forecast scenarios (the forecast page itself is ``forecast``).
    "scenario_edit": frozenset({"admin", "analyst", "commissioner"}),
    "matching": frozenset({"admin", "home_finder"}),
    #: May allocate a vacancy the matcher excluded (with a reason, recorded with the allocation).
    "matching_override": frozenset({"admin"}),
    "statement": frozenset(
        {"admin", "analyst", "commissioner", "viewer", "fostering_manager", "director"}
    ),
    "statement_internal": frozenset({"admin", "analyst", "director"}),
    #: May write the council's narrative for the statement's sections and its sign-off.
    "narrative_edit": frozenset({"admin", "analyst", "commissioner"}),
    #: May publish the approved statement (kept as a version for good): the director, who answers
    #: for it, and the admin; those who write the narrative and record the sign-off do not.
    "statement_publish": frozenset({"admin", "director"}),
    "audit": frozenset({"admin"}),
    #: May see the region (/region/): its councils' needs side by side, the regional market with
    #: providers' prices, and the regional vacancy pool; the director and the admin may too.
    "region_view": frozenset({"admin", "director", "regional"}),
}

F = TypeVar("F", bound=Callable[..., HttpResponse])


#: Where ``role_of`` keeps a user's role on the user object (one per request: a page asks for
#: it several times; a role changed for another account is read afresh with that account).
_ROLE = "_sufficiency_role"


def role_of(user: Any) -> str | None:
    """The user's role: superusers are admins; otherwise the first role group they belong to."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return "admin"
    if _ROLE in vars(user):
        return vars(user)[_ROLE]  # type: ignore[no-any-return]
    names = set(user.groups.values_list("name", flat=True))
    role = next((r for r in ROLES if r in names), None)
    setattr(user, _ROLE, role)
    return role


def forget_role(user: Any) -> None:
    """Forget the role ``role_of`` kept on ``user`` (its role has just been changed)."""
    vars(user).pop(_ROLE, None)


def can(user: Any, capability: str) -> bool:
    role = role_of(user)
    return role is not None and role in CAPABILITIES[capability]


def register_edit_capability(name: str) -> str:
    """The capability that may change register ``name``: vacancies, the fostering registers,
    the child-level registers (home finding's, or the others), or any other register."""
    if name == "vacancies":
        return "vacancies_edit"
    if _child_level(name):
        return "matching" if name in MATCHING_REGISTERS else "child_registers_edit"
    return "fostering_registers_edit" if name in FOSTERING_REGISTERS else "registers_edit"


def register_view_capability(name: str) -> str:
    """The capability that may see register ``name``: a child-level register (``children`` in
    its declaration) as a child's record is seen; any other, ``registers_view``."""
    if not _child_level(name):
        return "registers_view"
    return "referrals_view" if name in MATCHING_REGISTERS else "child_data"


def _child_level(name: str) -> bool:
    from sufficiency.schema import REGISTERS

    schema = REGISTERS.get(name)
    return schema is not None and schema.children


def requires(capability: str) -> Callable[[F], F]:
    """View decorator: 403 (no data in the body) unless the user's role has ``capability``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.capability = capability  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def post_only(view: F) -> F:
    """``require_POST`` with its type kept (405 for any other method)."""
    from django.views.decorators.http import require_POST

    return require_POST(view)  # type: ignore[no-any-return]


def role_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the user's role and what they can do (drives the navigation)."""
    user = getattr(request, "user", None)
    return {
        "role": role_of(user),
        "role_title": ROLE_TITLES.get(role_of(user) or "", ""),
        "caps": {cap: can(user, cap) for cap in CAPABILITIES},
    }
