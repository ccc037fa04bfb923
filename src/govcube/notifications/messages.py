"""The message registry: what a notification code says, rendered in the reader's language.

Apps register their codes once (in ``AppConfig.ready``)::

    from django.utils.translation import gettext_lazy as _
    from govcube.notifications import messages

    messages.register(
        "deliberation.topic.decline",
        subject=_("Topic declined: %(object)s"),
        body=_("%(object)s was declined. Reason: %(reason)s"),
    )

Subjects and bodies are lazy translations (``%(name)s`` placeholders filled from the
notification's params) or callables ``f(params) -> str`` evaluated with the reader's
language active. A code nobody registered still renders: workflow codes
(``<workflow>.<action>``) as "<object>: <action>", anything else as a generic message.
Rendering never raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

Text = str | Callable[[Mapping], str]


@dataclass(frozen=True)
class Message:
    subject: Text
    body: Text


_REGISTRY: dict[str, Message] = {}

# Labels for the verbs workflows use as actions (code ``<workflow>.<action>``).
ACTION_LABELS: dict[str, str] = {
    "submit": _("submitted"),
    "resubmit": _("submitted again"),
    "screen": _("taken up for screening"),
    "accept": _("accepted"),
    "approve": _("approved"),
    "reject": _("rejected"),
    "decline": _("declined"),
    "return": _("returned for changes"),
    "assign": _("assigned"),
    "claim": _("claimed"),
    "start": _("started"),
    "schedule": _("scheduled"),
    "complete": _("completed"),
    "close": _("closed"),
    "reopen": _("reopened"),
    "cancel": _("cancelled"),
    "withdraw": _("withdrawn"),
    "escalate": _("escalated"),
    "remind": _("reminder"),
    "overdue": _("overdue"),
    "publish": _("published"),
    "archive": _("archived"),
}

STATE_LABELS: dict[str, str] = {}


def register(code: str, *, subject: Text, body: Text) -> None:
    """Declare what notifications of kind ``code`` say (a later registration replaces an earlier one)."""
    _REGISTRY[code] = Message(subject=subject, body=body)


def register_action(action: str, label: str) -> None:
    """Name a workflow action for the generic "<object>: <action>" message."""
    ACTION_LABELS[action] = label


def register_state(state: str, label: str) -> None:
    """Name a workflow state for the generic message (otherwise its value is shown)."""
    STATE_LABELS[state] = label


def unregister(code: str) -> None:
    _REGISTRY.pop(code, None)


def is_registered(code: str) -> bool:
    return code in _REGISTRY


class _Params(dict):
    """Params for ``%`` formatting: a missing placeholder becomes empty rather than an error."""

    def __missing__(self, key):
        return ""


def _language(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if language in codes:
        return language
    return settings.LANGUAGE_CODE


def _fill(text: Text, params: Mapping) -> str:
    if callable(text):
        return str(text(params))
    template = str(text)
    if "%" not in template:
        return template
    return template % _Params(params)


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action.replace("_", " ")


def state_label(state: str) -> str:
    label = STATE_LABELS.get(state)
    return str(label) if label is not None else state.replace("_", " ")


def _generic(code: str, params: Mapping) -> tuple[str, str]:
    subject_of = str(params.get("object") or "").strip()
    action = action_label(code.rsplit(".", 1)[1]).strip() if "." in code else ""
    if action:
        subject = gettext("%(object)s: %(action)s") % {"object": subject_of, "action": action} if subject_of else action
        state = state_label(str(params.get("state") or "").strip())
        if not state or state.casefold() == action.casefold():
            return subject, subject
        return subject, gettext("%(subject)s (now: %(state)s)") % {"subject": subject, "state": state}
    subject = gettext("New notification")
    body = gettext("Something changed: %(object)s") % {"object": subject_of} if subject_of else subject
    return subject, body


def render_code(code: str, params: Mapping | None, language: str | None) -> tuple[str, str]:
    """(subject, body) for a code and params, in ``language`` (the default language when unknown)."""
    params = params if isinstance(params, Mapping) else {}
    with translation.override(_language(language)):
        message = _REGISTRY.get(code)
        if message is not None:
            try:
                subject, body = _fill(message.subject, params), _fill(message.body, params)
                if subject.strip():
                    return subject, body or subject
            except Exception:  # a broken template or callable must not break an inbox or a worker
                logger.exception("notification message %s failed to render", code)
        try:
            return _generic(code, params)
        except Exception:
            logger.exception("generic notification message for %s failed to render", code)
            return gettext("New notification"), gettext("New notification")


def render(notification, language: str | None = None) -> tuple[str, str]:
    """(subject, body) of a notification, in ``language`` or else the recipient's own language."""
    if language is None:
        language = getattr(notification.recipient, "language", None)
    return render_code(notification.code, notification.params, language)


def single_line(text: str, limit: int = 200) -> str:
    """An email subject: one line, bounded."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
