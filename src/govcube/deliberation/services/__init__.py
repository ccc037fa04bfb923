"""Writes of the deliberation engine, one module per area; import from here."""

from govcube.deliberation.services.campaigns import campaign_close, campaign_create
from govcube.deliberation.services.decisions import decision_close, decision_record, follow_up_add, vote_cast
from govcube.deliberation.services.meetings import (
    agenda_item_add,
    attendance_record,
    meeting_action,
    meeting_create,
    minutes_action,
    minutes_save,
)
from govcube.deliberation.services.registrations import registration_cancel, registration_check_in, registration_create
from govcube.deliberation.services.topics import (
    topic_action,
    topic_edit,
    topic_submit,
    topic_support,
    topic_unsupport,
)

__all__ = [
    "agenda_item_add",
    "attendance_record",
    "campaign_close",
    "campaign_create",
    "decision_close",
    "decision_record",
    "follow_up_add",
    "meeting_action",
    "meeting_create",
    "minutes_action",
    "minutes_save",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "topic_action",
    "topic_edit",
    "topic_submit",
    "topic_support",
    "topic_unsupport",
    "vote_cast",
]
