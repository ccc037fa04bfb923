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


# --- Special petitions ----------------------------------------------------------------------------

from govcube.engagement.models import PetitionStatus as P  # noqa: E402
from govcube.engagement.models import TargetStatus as T  # noqa: E402


def is_petition_manager(user, petition) -> bool:
    """The committee's convener or deputy (or an official over its territory) acts for the committee."""
    from govcube.bodies.permissions import is_manager

    return bool(user and user.is_authenticated) and is_manager(user, petition.body)


def is_department_staff(user, target) -> bool:
    from govcube.services.permissions import staff_departments

    return bool(user and user.is_authenticated) and target.department_id in staff_departments(user)


def _committee_users(petition, actor):
    from govcube.bodies.selectors import manager_users

    users = manager_users(petition.body)
    if petition.submitted_by_id and all(u.pk != petition.submitted_by_id for u in users):
        users.append(petition.submitted_by)
    return users


def _department_users(target, actor):
    department = target.department
    users = list(department.staff.filter(is_active=True))
    if department.coordinator_id and all(u.pk != department.coordinator_id for u in users):
        users.append(department.coordinator)
    return users


def _petition_departments(petition, actor):
    users = []
    for target in petition.targets.select_related("department__coordinator"):
        users.extend(_department_users(target, actor))
    return users


def _system(user, obj) -> bool:
    return True


PETITION_FLOW = Workflow(
    "engagement.petition",
    [
        # every department has answered (taken by the service when the last answer arrives)
        Transition((P.SUBMITTED, P.CONTESTED), "all_answered", P.ANSWERED, allowed=_system, notify=_committee_users),
        Transition(P.ANSWERED, "accept", P.ACCEPTED, allowed=is_petition_manager, label=_("Accept the answer")),
        Transition(
            P.ANSWERED,
            "contest",
            P.CONTESTED,
            allowed=is_petition_manager,
            requires=("reason",),
            label=_("Contest the answer"),
            notify=_petition_departments,
        ),
        Transition(
            P.ANSWERED,
            "close",
            P.CLOSED,
            allowed=is_petition_manager,
            requires=("reason",),
            label=_("Close as unresolved"),
        ),
        Transition(
            (P.SUBMITTED, P.CONTESTED),
            "withdraw",
            P.WITHDRAWN,
            allowed=is_petition_manager,
            requires=("reason",),
            label=_("Withdraw the petition"),
            notify=_petition_departments,
        ),
    ],
)

TARGET_FLOW = Workflow(
    "engagement.petition_target",
    [
        Transition(T.SENT, "acknowledge", T.ACKNOWLEDGED, allowed=is_department_staff, label=_("Acknowledge")),
        Transition(
            (T.SENT, T.ACKNOWLEDGED),
            "answer",
            T.ANSWERED,
            allowed=is_department_staff,
            requires=("answer",),
            label=_("Answer"),
        ),
        # the committee contested: the department answers again (taken by the service)
        Transition(T.ANSWERED, "reopen", T.ACKNOWLEDGED, allowed=_system),
    ],
)
