"""Single sign-on with the council's identity provider (OpenID Connect): the IdP's groups claim
decides the role. A user in no mapped group cannot sign in; the role is refreshed at every sign-in,
so removing someone from a group at the IdP removes their access here.

Settings (environment): ``OIDC_GROUPS_CLAIM`` (default ``groups``) and ``OIDC_ROLE_GROUPS``, e.g.
``admin=SG-Suff-Admins;analyst=SG-Performance;home_finder=SG-Placements,SG-Fostering``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sufficiency.web.accounts.roles import ROLES


def parse_role_groups(text: str) -> dict[str, tuple[str, ...]]:
    """``role=group,group;role=group`` -> {role: groups}; raises ValueError naming a bad part."""
    mapping: dict[str, tuple[str, ...]] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        role, sep, groups = part.partition("=")
        role = role.strip()
        if not sep or role not in ROLES:
            raise ValueError(
                f"OIDC_ROLE_GROUPS: {part!r} should be ROLE=GROUP[,GROUP] with ROLE one of {', '.join(ROLES)}"
            )
        mapping[role] = tuple(g.strip() for g in groups.split(",") if g.strip())
    return mapping


def claim_groups(claims: Mapping[str, Any], claim: str = "groups") -> list[str]:
    """The groups in an IdP claim: a list, or one string separated by commas or spaces."""
    value = claims.get(claim)
    if value is None:
        return []
    if isinstance(value, str):
        return [g for g in value.replace(",", " ").split() if g]
    if isinstance(value, Iterable):
        return [str(g) for g in value]
    return [str(value)]


def role_for_groups(groups: Iterable[str], mapping: Mapping[str, Iterable[str]]) -> str | None:
    """The most trusted role (ROLES order: admin first) any of ``groups`` maps to, or None.

    Group names compare case-insensitively (IdPs differ in how they report them).
    """
    have = {g.casefold() for g in groups}
    for role in ROLES:
        if any(g.casefold() in have for g in mapping.get(role, ())):
            return role
    return None


def username_from_email(email: str, claims: Mapping[str, Any] | None = None) -> str:
    """Single sign-on users are known by their email address (mozilla-django-oidc's default is an
    unreadable hash of it), so the audit log and the page header name them."""
    return email.strip().lower()[:150]


class RoleMappingOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc backend that gives each signed-in user the role of their IdP groups."""

    def _role(self, claims: Mapping[str, Any]) -> str | None:
        mapping = parse_role_groups(getattr(settings, "OIDC_ROLE_GROUPS", ""))
        return role_for_groups(
            claim_groups(claims, getattr(settings, "OIDC_GROUPS_CLAIM", "groups")), mapping
        )

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """Allowed only with an email and a group that maps to a role."""
        return bool(claims.get("email")) and self._role(claims) is not None

    def create_user(self, claims: dict[str, Any]) -> Any:
        user = super().create_user(claims)
        user.set_unusable_password()
        return self.update_user(user, claims)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        from sufficiency.web.operations import set_role

        role = self._role(claims)
        if role is None:  # verify_claims refuses these; kept as a guard
            return None
        user.first_name = str(claims.get("given_name", user.first_name))[:150]
        user.last_name = str(claims.get("family_name", user.last_name))[:150]
        set_role(user, role)
        return user
