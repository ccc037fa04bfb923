"""Writes of the engagement app: liaison and visits (``liaison``), special petitions (``petitions``)."""

from govcube.engagement.services.liaison import (  # noqa: F401
    PLAN_AHEAD_DAYS,
    liaison_assign,
    liaison_end,
    liaison_handover,
    overdue_visit_sweep,
    visit_cancel,
    visit_finding_to_request,
    visit_finding_to_topic,
    visit_plan,
    visit_record,
)
from govcube.engagement.services.petitions import (  # noqa: F401
    petition_action,
    petition_deadlines,
    petition_submit,
    petition_sweep,
    target_acknowledge,
    target_answer,
)
