"""Template helpers for deliberation pages (and any page with workflow states or deadlines).

{% load deliberation_tags %}
{% state_badge topic %}                          a model's ``status`` with its display label
{% state_badge item "minutes_status" %}          another choices field of a model
{% state_badge campaign.state campaign_states %}  a bare value with a choices mapping
{% state_badge value label %}                    a bare value and its label
{% time_left meeting.registration_closes_at %}    "3 working days left", coloured
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from django import template
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

# Bootstrap tone of each state value; a state not named here is shown neutral.
STATE_TONES: dict[str, str] = {
    # topics
    "submitted": "info",
    "screening": "warning",
    "accepted": "success",
    "merged": "secondary",
    "declined": "danger",
    "referred": "secondary",
    "on_agenda": "primary",
    "deliberated": "primary",
    "decided": "success",
    "closed": "dark",
    "withdrawn": "light",
    # meetings, minutes, registrations, campaigns
    "draft": "light",
    "scheduled": "primary",
    "in_progress": "warning",
    "ended": "dark",
    "cancelled": "light",
    "approved": "info",
    "published": "success",
    "registered": "success",
    "waiting": "warning",
    "upcoming": "info",
    "open": "success",
}


def register_tone(state: str, tone: str) -> None:
    """Let another app colour its own states (tone: a Bootstrap colour name)."""
    STATE_TONES[state] = tone


def _label_of(value, choices) -> str:
    if isinstance(choices, (str, Promise)):  # the label itself
        return str(choices)
    if choices is None:
        label = getattr(value, "label", None)  # a TextChoices member
        return str(label) if label is not None else str(value).replace("_", " ")
    if isinstance(choices, type) and issubclass(choices, models.Choices):
        choices = dict(choices.choices)
    elif not isinstance(choices, Mapping):
        choices = dict(choices)
    return str(choices.get(str(value), str(value).replace("_", " ")))


@register.simple_tag
def state_badge(obj, field_or_choices=None):
    """A badge for a workflow state: of a model instance's choices field (``status`` unless named),
    or of a bare value labelled by a TextChoices class, a mapping, a list of pairs or the label itself."""
    if isinstance(obj, models.Model):
        field = field_or_choices or "status"
        value = getattr(obj, field, "")
        display = getattr(obj, f"get_{field}_display", None)
        label = str(display()) if callable(display) else _label_of(value, None)
    else:
        value = obj
        label = _label_of(value, field_or_choices)
    value = "" if value is None else str(value)
    tone = STATE_TONES.get(value, "secondary")
    border = " border" if tone == "light" else ""
    return format_html(
        '<span class="badge text-bg-{}{} gc-state gc-state-{}" data-state="{}">{}</span>',
        tone,
        border,
        value,
        value,
        label,
    )


def _working_days(start: datetime, end: datetime) -> int:
    try:
        from govcube.workdays.calendar import working_days_between

        return working_days_between(start, end)
    except Exception:  # the calendar is a convenience here: fall back to calendar days
        return (timezone.localdate(end) - timezone.localdate(start)).days


def time_left_parts(deadline: datetime | None, now: datetime | None = None) -> tuple[str, str]:
    """(text, tone) for a deadline: working days left when more than a day remains, hours otherwise.

    Tones: "danger" once past, "warning" within two working days, "success" otherwise.
    """
    if deadline is None:
        return "", ""
    now = now or timezone.now()
    if deadline <= now:
        days = _working_days(deadline, now)
        if days >= 1:
            text = ngettext("%(n)s working day overdue", "%(n)s working days overdue", days) % {"n": days}
        else:
            text = _("Past")
        return text, "danger"
    remaining = deadline - now
    if remaining < timedelta(days=1):
        hours = max(1, int(remaining.total_seconds() // 3600))
        return ngettext("%(n)s hour left", "%(n)s hours left", hours) % {"n": hours}, "warning"
    days = _working_days(now, deadline)
    if days <= 0:
        return _("Less than a working day left"), "warning"
    text = ngettext("%(n)s working day left", "%(n)s working days left", days) % {"n": days}
    return text, "warning" if days <= 2 else "success"


@register.simple_tag
def time_left(deadline, now=None):
    """A coloured "time left" badge for a deadline (empty for none)."""
    text, tone = time_left_parts(deadline, now)
    if not text:
        return ""
    return format_html(
        '<span class="badge text-bg-{} gc-time-left" title="{}">{}</span>',
        tone,
        timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        text,
    )
