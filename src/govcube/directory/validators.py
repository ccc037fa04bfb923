"""Validators for Chinese identifiers, with translated messages."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_uscc(value: str) -> str:
    return uscc.compact(value or "")


def validate_uscc(value: str) -> None:
    """The unified social credit code: 18 characters, GB 32100-2015 check digit."""
    try:
        uscc.validate(value)
    except InvalidLength:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="length") from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check digit of this unified social credit code is wrong."), code="checksum"
        ) from None
    except (InvalidFormat, InvalidComponent, StdnumError):
        raise ValidationError(_("This is not a valid unified social credit code."), code="format") from None


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(_("Enter an 11-digit mainland mobile number starting with 1."), code="mobile")


def mask_mobile(value: str) -> str:
    """138****1234: lists never show a whole mobile number."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"
