"""Reads for the demo commands: the demo accounts with their roles, and their current TOTP code."""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from govcube.accounts.models import RoleAssignment, User
from govcube.accounts.roles import SECOND_FACTOR_ROLES, Role
from govcube.core.errors import DomainError
from govcube.demo import content as c


@dataclass(frozen=True)
class AccountRow:
    username: str
    role: str
    scope: str
    second_factor: bool


def demo_account_rows() -> list[AccountRow]:
    """Active demo accounts in the order of the persona table, with their active roles and scopes."""
    assignments = (
        RoleAssignment.objects.active()
        .filter(user__is_demo=True, user__is_active=True)
        .select_related("user", "node", "enterprise")
        .order_by("pk")
    )
    by_user: dict[str, list[RoleAssignment]] = {}
    for assignment in assignments:
        by_user.setdefault(assignment.user.username, []).append(assignment)
    order = {spec.username: n for n, spec in enumerate(c.DEMO_ACCOUNTS)}
    rows = []
    for username in sorted(by_user, key=lambda name: (order.get(name, len(order)), name)):
        held = by_user[username]
        roles = sorted({a.role for a in held})
        rows.append(
            AccountRow(
                username=username,
                role=" / ".join(str(Role(role).label) for role in roles),
                scope="、".join(str(a.node or a.enterprise) for a in held),
                second_factor=bool(set(roles) & {str(role) for role in SECOND_FACTOR_ROLES}),
            )
        )
    return rows


def demo_password_is_default() -> bool:
    """Whether the demo accounts still use the published default password (one hash check)."""
    user = User.objects.filter(is_demo=True, is_active=True).order_by("pk").first()
    return user is not None and user.check_password(c.DEFAULT_PASSWORD)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_demo_accounts(rows: list[AccountRow], password: str | None) -> str:
    """A plain-text table of the demo accounts, the password and how to get a TOTP code."""
    if not rows:
        return _("No active demo accounts.")
    personas = {spec.username for spec in c.DEMO_ACCOUNTS}
    shown = [row for row in rows if row.username in personas] or rows
    others = len(rows) - len(shown)
    headers = (_("username"), _("role"), _("scope"))
    table = [(row.username + (" *" if row.second_factor else ""), row.role, row.scope) for row in shown]
    widths = [max(_width(line[i]) for line in [headers, *table]) for i in range(3)]
    lines = [_("GovCube demo accounts")]
    for line in [headers, tuple("-" * w for w in widths), *table]:
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(line)).rstrip())
    if others:
        lines.append(
            _("… and %(count)s more accounts (service team, liaison cadres): see Accounts as district_security.")
            % {"count": others}
        )
    if password:
        lines.append(_("Password for every demo account: %(password)s") % {"password": password})
    else:
        lines.append(_("Password: the one given to `manage.py load_demo --password`."))
    lines.append(
        _(
            "* signs in with a second factor: `python manage.py demo_totp <username>` prints the current "
            "6-digit code (or add the demo secret %(secret)s to an authenticator app)."
        )
        % {"secret": c.DEMO_TOTP_SECRET}
    )
    lines.append(_("Remove the demo accounts before going live: `python manage.py demo_remove`."))
    return "\n".join(lines)


def demo_totp_code(username: str, *, at: float | None = None) -> tuple[str, int]:
    """The current TOTP code of an active demo account and the seconds it stays valid.

    Refuses any account that is not an active demo account: real users' second factors stay secret.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    user = User.objects.filter(username=username).first()
    if user is None or not user.is_demo or not user.is_active:
        raise DomainError(
            "demo.totp.not_demo",
            _("%(username)s is not an active demo account.") % {"username": username},
            field="username",
        )
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        raise DomainError(
            "demo.totp.not_enrolled",
            _("%(username)s does not sign in with a second factor.") % {"username": username},
            field="username",
        )
    secret = decrypt(authenticator.data["secret"])
    now = int(time.time() if at is None else at)
    counter = now // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter)), app_settings.TOTP_PERIOD - now % app_settings.TOTP_PERIOD
