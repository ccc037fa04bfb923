"""Small helpers every service uses: permission checks, validation, snapshots for the audit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from govcube.core.errors import DomainError, PermissionDenied, from_validation_error


def require_perm(actor, permission: str, obj=None) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(f"{permission}.denied")


def validate(obj, code_prefix: str, *, exclude: list[str] | None = None) -> None:
    """Run the model's full validation; the first problem becomes a DomainError naming its field."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_validation_error(exc, code_prefix) from None


def snapshot(obj, fields: list[str] | None = None) -> dict:
    data = model_to_dict(obj, fields=fields)
    return {
        key: (value.pk if hasattr(value, "pk") else value) for key, value in data.items() if not isinstance(value, list)
    }


def apply_changes(obj, changes: dict, allowed: set[str], code_prefix: str) -> dict:
    """Set the allowed fields from ``changes``; returns the before-values of what changed."""
    unknown = set(changes) - allowed
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(f"{code_prefix}.{field}.not_editable", "This field cannot be changed here.", field=field)
    before = {}
    for name, value in changes.items():
        old = getattr(obj, name)
        if old != value:
            before[name] = old
            setattr(obj, name, value)
    return before


def _plain(value):
    return getattr(value, "pk", value)


def versioned_update(
    *, actor, obj, version: int | None, changes: dict, allowed: set[str], code: str, action: str | None = None
):
    """The edit every versioned record shares: lock, refuse a stale version (409), set the allowed
    fields, validate, bump the version, save and audit ``<code>.updated`` with before/after values.

    The caller checks the permission first. Nothing is written (and nothing audited) when no
    value changes. ``code`` is the error and audit namespace, e.g. ``"territory.building"``.
    """
    from django.db import transaction

    from govcube.audit.services import audit_record
    from govcube.core.errors import check_version

    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        check_version(locked, version, f"{code}.stale")
        before = apply_changes(locked, changes, allowed, code)
        if not before:
            return locked
        validate(locked, code)
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            action=action or f"{code}.updated",
            obj=locked,
            before={key: _plain(value) for key, value in before.items()},
            after={key: _plain(getattr(locked, key)) for key in before},
        )
    return locked
