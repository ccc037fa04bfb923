"""Domain errors: one exception type carrying a stable code, a translated message and a field.

Services raise ``DomainError``; views turn it into a form error, the API into
``{"code", "message", "field"}`` with the given HTTP status.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, code: str = "permission_denied", message: str | None = None):
        super().__init__(code, message or _("You do not have permission to do this."))


class NotFound(DomainError):
    status = 404

    def __init__(self, code: str = "not_found", message: str | None = None):
        super().__init__(code, message or _("Not found."))


class Conflict(DomainError):
    status = 409


def from_validation_error(exc: ValidationError, code_prefix: str) -> DomainError:
    """Turn the first message of a model ValidationError into a DomainError naming its field."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        error = errors[0]
        message = error.messages[0] if hasattr(error, "messages") else str(error)
        code = getattr(error, "code", None) or "invalid"
        return DomainError(f"{code_prefix}.{field}.{code}", message, field=None if field == "__all__" else field)
    message = exc.messages[0]
    return DomainError(f"{code_prefix}.invalid", message)


def check_version(obj, version: int | None, code: str) -> None:
    """Refuse a stale edit: the caller must send the version it read."""
    if version is not None and version != obj.version:
        raise Conflict(code, _("This record was changed by someone else. Reload it and try again."), field="version")
