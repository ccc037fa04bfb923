"""The service request's declared workflow (受理 → 派遣 → 处置 ⇄ 等待企业 → 办结 → 评价/关闭)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govcube.accounts.selectors import users_of_people
from govcube.core.workflows import Transition, Workflow
from govcube.services.models import OPEN_STATUSES
from govcube.services.models import RequestStatus as S
from govcube.services.permissions import handles, is_dispatcher, is_owner, is_requester_side


def system_or_dispatcher(user, request) -> bool:
    """Routing assigns automatically (no user); a dispatcher may assign by hand."""
    return user is None or is_dispatcher(user, request)


def owner_or_requester(user, request) -> bool:
    return is_owner(user, request) or is_requester_side(user, request)


def requester_or_dispatcher(user, request) -> bool:
    return is_requester_side(user, request) or is_dispatcher(user, request)


def followers(request, actor):
    """The requester, the requesters of merged duplicates, and the owner."""

    people = [request.requester_id, *request.duplicates.values_list("requester_id", flat=True)]
    users = list(users_of_people(people))
    if request.owner_id:
        users.append(request.owner)
    return users


def owner_only(request, actor):
    return [request.owner] if request.owner_id else []


REQUEST_FLOW = Workflow(
    "services.request",
    [
        Transition(
            S.SUBMITTED,
            "assign",
            S.ASSIGNED,
            allowed=system_or_dispatcher,
            requires=("owner",),
            label=_("Assign"),
            notify=owner_only,
        ),
        Transition(
            (S.SUBMITTED, S.ASSIGNED), "accept", S.IN_PROGRESS, allowed=handles, label=_("Accept"), notify=followers
        ),
        Transition(
            S.IN_PROGRESS,
            "ask",
            S.WAITING,
            allowed=is_owner,
            requires=("message",),
            label=_("Ask the enterprise"),
            notify=followers,
        ),
        Transition(
            S.WAITING, "resume", S.IN_PROGRESS, allowed=owner_or_requester, label=_("Resume"), notify=owner_only
        ),
        Transition(
            S.IN_PROGRESS,
            "resolve",
            S.RESOLVED,
            allowed=is_owner,
            requires=("answer",),
            label=_("Resolve"),
            notify=followers,
        ),
        Transition(S.RESOLVED, "close", S.CLOSED, allowed=requester_or_dispatcher, label=_("Close")),
        Transition(
            (S.RESOLVED, S.CLOSED),
            "reopen",
            S.IN_PROGRESS,
            allowed=is_requester_side,
            requires=("reason",),
            label=_("Reopen"),
            notify=owner_only,
        ),
        Transition(
            OPEN_STATUSES,
            "transfer",
            S.SUBMITTED,
            allowed=handles,
            requires=("department", "reason"),
            label=_("Transfer to another department"),
        ),
        Transition(
            (S.SUBMITTED, S.ASSIGNED),
            "withdraw",
            S.WITHDRAWN,
            allowed=is_requester_side,
            label=_("Withdraw"),
            notify=owner_only,
        ),
        Transition(
            OPEN_STATUSES,
            "merge",
            S.MERGED,
            allowed=is_dispatcher,
            requires=("merged_into",),
            label=_("Merge into another request"),
            notify=followers,
        ),
    ],
)

TRANSFER_REASONS = {
    "wrong_department": _("Another department is responsible"),
    "needs_joint_handling": _("Needs another department's approval"),
    "outside_district": _("Handled by a city-level office"),
}
