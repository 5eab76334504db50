"""Which register a URL names and who may change it (shared by the register views)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from sufficiency.web.accounts.roles import (
    can,
    register_edit_capability,
    register_view_capability,
)
from sufficiency.web.registers.models import EDITABLE_REGISTERS, Versioned


def model_or_404(name: str) -> type[Versioned]:
    """The model of register ``name``; 404 for a name that is not a register."""
    model = EDITABLE_REGISTERS.get(name)
    if model is None:
        raise Http404
    return model


def may_view(request: HttpRequest, name: str) -> bool:
    """Child-level registers (a child's disability, plans, a referral) are seen as a child's
    record is; the others by every role that sees registers (``roles.register_view_capability``)."""
    return can(request.user, register_view_capability(name))


def viewable_model(request: HttpRequest, name: str, what: str) -> type[Versioned]:
    """The model of register ``name`` if the user may see it (else 403 / 404); a child-level
    register's view (``what`` the user sees: the list, a search, a row's history) is audited,
    as a child's page is."""
    model = model_or_404(name)
    if not may_view(request, name):
        raise PermissionDenied
    if register_view_capability(name) != "registers_view":
        from sufficiency.web.audited import record_view

        record_view(request, model, f"{name} register: {what}")
    return model


def may_edit(request: HttpRequest, name: str) -> bool:
    """Home finders edit vacancies; fostering managers the fostering registers; commissioners and
    admins every register (``roles.register_edit_capability``)."""
    return can(request.user, register_edit_capability(name))


def editable_model(request: HttpRequest, name: str) -> type[Versioned]:
    """The model of register ``name`` if the user may change it (else 403 / 404)."""
    model = model_or_404(name)
    if not may_edit(request, name):
        raise PermissionDenied
    return model


def title(name: str) -> str:
    """A register's name as a heading ("Supported accommodation")."""
    return name.replace("_", " ").capitalize()
