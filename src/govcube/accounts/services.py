"""Accounts, roles and tokens: written only by these functions."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.models import ApiToken, RoleAssignment, User, hash_token
from govcube.accounts.permissions import forget_assignments
from govcube.accounts.roles import ADMIN_ROLES, Role
from govcube.audit.services import audit_record
from govcube.core.errors import DomainError
from govcube.core.services import require_perm, validate

ENTERPRISE_ROLES = {Role.ENTERPRISE_CONTACT}


def user_create(
    *,
    actor,
    username: str,
    password: str,
    display_name: str = "",
    person=None,
    email: str = "",
    language: str = "zh-hans",
) -> User:
    require_perm(actor, "accounts.manage_user")
    return _user_create(
        actor=actor,
        username=username,
        password=password,
        display_name=display_name,
        person=person,
        email=email,
        language=language,
    )


def _user_create(
    *, actor, username, password, display_name="", person=None, email="", language="zh-hans", is_demo=False
) -> User:
    user = User(
        username=(username or "").strip(),
        display_name=display_name,
        person=person,
        email=email,
        language=language,
        is_demo=is_demo,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("accounts.user.password.weak", exc.messages[0], field="password") from None
    user.set_password(password)
    validate(user, "accounts.user", exclude=["password"])
    with transaction.atomic():
        user.save()
        audit_record(actor=actor, action="accounts.user.created", obj=user, after={"username": user.username})
    return user


def role_assign(
    *,
    actor,
    user: User,
    role: str,
    node=None,
    enterprise=None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> RoleAssignment:
    """Give a user a role at a node (or for an enterprise). Administrator duties stay separated."""
    require_perm(actor, "accounts.manage_roleassignment")
    return _role_assign(
        actor=actor, user=user, role=role, node=node, enterprise=enterprise, valid_from=valid_from, valid_to=valid_to
    )


def _role_assign(*, actor, user, role, node=None, enterprise=None, valid_from=None, valid_to=None) -> RoleAssignment:
    if role not in Role.values:
        raise DomainError("accounts.role.unknown", _("Unknown role."), field="role")
    if role in ENTERPRISE_ROLES and enterprise is None:
        raise DomainError(
            "accounts.role.enterprise_required", _("This role is held for an enterprise."), field="enterprise"
        )
    if role not in ENTERPRISE_ROLES and node is None:
        raise DomainError(
            "accounts.role.node_required", _("This role is held at a place in the territory."), field="node"
        )
    if actor is not None and actor.pk == user.pk:
        raise DomainError("accounts.role.self", _("You cannot change your own roles."), field="user")
    if role in ADMIN_ROLES:
        held = set(RoleAssignment.objects.active().filter(user=user).values_list("role", flat=True))
        if held - {role}:
            raise DomainError(
                "accounts.role.separation_of_duties",
                _("An administrator role cannot be combined with any other role (separation of duties)."),
                field="role",
            )
    elif RoleAssignment.objects.active().filter(user=user, role__in=[str(r) for r in ADMIN_ROLES]).exists():
        raise DomainError(
            "accounts.role.separation_of_duties",
            _("An administrator role cannot be combined with any other role (separation of duties)."),
            field="role",
        )
    assignment = RoleAssignment(
        user=user,
        role=role,
        node=node,
        enterprise=enterprise,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
    )
    if valid_to is not None and valid_to < assignment.valid_from:
        raise DomainError(
            "accounts.role.valid_to.before_from", _("The end date cannot be before the start date."), field="valid_to"
        )
    with transaction.atomic():
        assignment.save()
        audit_record(
            actor=actor,
            action="accounts.role.assigned",
            obj=user,
            after={"role": role, "node": getattr(node, "pk", None), "enterprise": getattr(enterprise, "pk", None)},
        )
    forget_assignments(user)
    return assignment


def role_assign_by_codes(
    *,
    actor,
    user: User,
    role: str,
    node_code: str = "",
    enterprise_uscc: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> RoleAssignment:
    """The form's version of ``role_assign``: the place is named by its territory code or the enterprise's USCC."""
    from govcube.directory.models import Enterprise
    from govcube.directory.validators import normalise_uscc
    from govcube.territory.models import Node

    node = enterprise = None
    if node_code.strip():
        node = Node.objects.filter(code=node_code.strip()).first()
        if node is None:
            raise DomainError(
                "accounts.role.node.unknown", _("No place in the territory has this code."), field="node_code"
            )
    if enterprise_uscc.strip():
        enterprise = Enterprise.objects.filter(uscc=normalise_uscc(enterprise_uscc)).first()
        if enterprise is None:
            raise DomainError(
                "accounts.role.enterprise.unknown", _("No enterprise has this credit code."), field="enterprise_uscc"
            )
    try:
        return role_assign(
            actor=actor,
            user=user,
            role=role,
            node=node,
            enterprise=enterprise,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    except DomainError as exc:
        exc.field = {"node": "node_code", "enterprise": "enterprise_uscc"}.get(exc.field, exc.field)
        raise


def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    require_perm(actor, "accounts.manage_roleassignment")
    if actor.pk == assignment.user_id:
        raise DomainError("accounts.role.self", _("You cannot change your own roles."), field="user")
    with transaction.atomic():
        assignment.valid_to = max(assignment.valid_from - timedelta(days=1), timezone.localdate() - timedelta(days=1))
        assignment.save(update_fields=["valid_to"])
        audit_record(actor=actor, action="accounts.role.revoked", obj=assignment.user, after={"role": assignment.role})
    return assignment


def user_unlock(*, actor, user: User) -> None:
    """Lift a login lockout (security administrator)."""
    require_perm(actor, "accounts.manage_user")
    from axes.utils import reset

    with transaction.atomic():
        reset(username=user.username)
        audit_record(actor=actor, action="accounts.user.unlocked", obj=user)


def user_set_active(*, actor, user: User, active: bool) -> User:
    require_perm(actor, "accounts.manage_user")
    if actor.pk == user.pk:
        raise DomainError("accounts.user.self", _("You cannot deactivate yourself."), field="is_active")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        audit_record(actor=actor, action="accounts.user.activated" if active else "accounts.user.deactivated", obj=user)
    return user


def api_token_create(*, actor, name: str, expires=None) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(
            "accounts.token.name.invalid", _("Give the token a name of at most 100 characters."), field="name"
        )
    raw = ApiToken.generate()
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=actor, name=name, key_prefix=raw[:10], key_hash=hash_token(raw), expires=expires
        )
        audit_record(
            actor=actor, action="accounts.token.created", obj=actor, after={"token": row.key_prefix, "name": name}
        )
    return row, raw


def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    row = get_object_or_404(ApiToken.objects.filter(user=actor), pk=token_id)
    if row.revoked is None:
        with transaction.atomic():
            row.revoked = timezone.now()
            row.save(update_fields=["revoked"])
            audit_record(actor=actor, action="accounts.token.revoked", obj=actor, after={"token": row.key_prefix})
    return row
