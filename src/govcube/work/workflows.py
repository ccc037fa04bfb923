"""The project's and the claim's declared workflows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govcube.core.workflows import Transition, Workflow
from govcube.work.models import ClaimStatus as C
from govcube.work.models import ProjectStatus as S
from govcube.work.permissions import acts_for_claim, is_project_manager, works_on


def _claimant_users(project, actor):
    from govcube.work.selectors import claimant_users

    return claimant_users(project)


def _managers(project, actor):
    from govcube.work.selectors import manager_users

    return manager_users(project.body)


def _claim_managers(claim, actor):
    return _managers(claim.project, actor)


def _claim_users(claim, actor):
    from govcube.work.selectors import users_acting_for

    return users_acting_for(enterprise_id=claim.enterprise_id, party_organisation_id=claim.party_organisation_id)


def _claim_manager(user, claim) -> bool:
    return is_project_manager(user, claim.project)


PROJECT_FLOW = Workflow(
    "work.project",
    [
        Transition(S.DRAFT, "publish", S.OPEN, allowed=is_project_manager, label=_("Publish for claiming")),
        Transition(
            S.OPEN, "start", S.IN_PROGRESS, allowed=is_project_manager, label=_("Start"), notify=_claimant_users
        ),
        Transition(
            S.IN_PROGRESS,
            "complete",
            S.COMPLETED,
            allowed=works_on,
            requires=("outcome",),
            label=_("Report completion"),
            notify=_managers,
        ),
        Transition(
            S.COMPLETED, "verify", S.VERIFIED, allowed=is_project_manager, label=_("Verify"), notify=_claimant_users
        ),
        Transition(
            S.COMPLETED,
            "send_back",
            S.IN_PROGRESS,
            allowed=is_project_manager,
            requires=("reason",),
            label=_("Send back"),
            notify=_claimant_users,
        ),
        Transition(
            (S.DRAFT, S.OPEN, S.IN_PROGRESS),
            "cancel",
            S.CANCELLED,
            allowed=is_project_manager,
            requires=("reason",),
            label=_("Cancel the project"),
            notify=_claimant_users,
        ),
    ],
)

CLAIM_FLOW = Workflow(
    "work.claim",
    [
        Transition(C.PENDING, "approve", C.APPROVED, allowed=_claim_manager, label=_("Approve"), notify=_claim_users),
        Transition(
            C.PENDING,
            "reject",
            C.REJECTED,
            allowed=_claim_manager,
            requires=("reason",),
            label=_("Do not approve"),
            notify=_claim_users,
        ),
        Transition(
            (C.PENDING, C.APPROVED),
            "withdraw",
            C.WITHDRAWN,
            allowed=acts_for_claim,
            requires=("reason",),
            label=_("Withdraw the claim"),
            notify=_claim_managers,
        ),
    ],
)
