"""What the deliberation engine's notifications say (registered once, from ``AppConfig.ready``).

Workflow notifications carry ``object`` (the topic's or the item's title) and ``state``;
registration notifications carry ``object`` (the meeting's title) and ``code`` (the check-in code).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govcube.deliberation.models import MeetingStatus, RegistrationStatus, TopicStatus
from govcube.notifications import messages

TOPIC_MESSAGES = {
    "screen": (
        _("Your topic is being screened: %(object)s"),
        _("The body has started screening the topic “%(object)s”."),
    ),
    "accept": (
        _("Topic accepted: %(object)s"),
        _("The topic “%(object)s” was accepted and will be put on a meeting's agenda."),
    ),
    "decline": (
        _("Topic declined: %(object)s"),
        _("The topic “%(object)s” was declined. Open the topic to read the reason."),
    ),
    "merge": (
        _("Topic merged: %(object)s"),
        _("The topic “%(object)s” was merged into a similar topic; you now follow that one."),
    ),
    "refer": (
        _("Topic referred: %(object)s"),
        _("The topic “%(object)s” was referred elsewhere. Open the topic to see where and why."),
    ),
    "schedule": (
        _("Topic on the agenda: %(object)s"),
        _("The topic “%(object)s” is on the agenda of a meeting."),
    ),
    "deliberate": (
        _("Topic deliberated: %(object)s"),
        _("The topic “%(object)s” was deliberated in a meeting."),
    ),
    "decide": (
        _("Decision on your topic: %(object)s"),
        _("A decision was recorded on the topic “%(object)s”. Open the topic to read it."),
    ),
    "close": (
        _("Topic closed: %(object)s"),
        _("The topic “%(object)s” is closed."),
    ),
}

OTHER_MESSAGES = {
    f"deliberation.registration.{RegistrationStatus.REGISTERED}": (
        _("You are registered to observe: %(object)s"),
        _("You are registered as an observer of “%(object)s”. Your check-in code is %(code)s."),
    ),
    f"deliberation.registration.{RegistrationStatus.WAITING}": (
        _("On the waiting list: %(object)s"),
        _(
            "All observer seats of “%(object)s” are taken. You are on the waiting list and will be told when a seat frees up."
        ),
    ),
    "deliberation.registration.promoted": (
        _("A seat is yours: %(object)s"),
        _("A seat freed up: you are now registered as an observer of “%(object)s”. Your check-in code is %(code)s."),
    ),
    "deliberation.minutes.publish": (
        _("Minutes published: %(object)s"),
        _("The minutes of “%(object)s” are published."),
    ),
}

ACTIONS = {
    "merge": _("merged into another topic"),
    "refer": _("referred elsewhere"),
    "deliberate": _("deliberated"),
    "decide": _("decided"),
    "unschedule": _("taken off the agenda"),
}


def register_all() -> None:
    for action, (subject, body) in TOPIC_MESSAGES.items():
        messages.register(f"deliberation.topic.{action}", subject=subject, body=body)
    for code, (subject, body) in OTHER_MESSAGES.items():
        messages.register(code, subject=subject, body=body)
    for action, label in ACTIONS.items():
        messages.register_action(action, label)
    for choices in (TopicStatus, MeetingStatus, RegistrationStatus):
        for value, label in choices.choices:
            messages.register_state(value, label)


register_all()
