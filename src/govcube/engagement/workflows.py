"""The visit's declared workflow: planned → done (recorded) or cancelled."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govcube.core.workflows import Transition, Workflow
from govcube.engagement.models import VisitStatus as S


def is_visit_cadre(user, visit) -> bool:
    return bool(user and user.is_authenticated and visit.cadre_id == user.pk)


VISIT_FLOW = Workflow(
    "engagement.visit",
    [
        Transition(
            S.PLANNED, "record", S.DONE, allowed=is_visit_cadre, requires=("findings",), label=_("Record the visit")
        ),
        Transition(
            S.PLANNED, "cancel", S.CANCELLED, allowed=is_visit_cadre, requires=("reason",), label=_("Cancel the visit")
        ),
    ],
)
