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
