"""Desk panels of the evaluation app (see ``govcube.core.desk``).

Someone working in the buildings a committee covers sees the open evaluation rounds they have not
answered yet; a convener (or deputy) sees the rounds running in their bodies with the answers so far
against the threshold. Each panel runs at most three queries whatever the number of rounds, and
shows only when something is there.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.bodies.models import MANAGING_ROLES
from govcube.bodies.permissions import body_roles
from govcube.core.desk import DeskItem, Panel, register
from govcube.evaluation import selectors
from govcube.evaluation.models import EvaluationRound, RoundStatus

LIMIT = 10
TONES = {"danger": "danger", "warning": "warning"}  # time left's tones shown on a desk (on time: none)


def _closes(round_: EvaluationRound, now) -> tuple[str, str]:
    """("closes 2026-11-29 · 3 working days left", tone)."""
    from govcube.deliberation.templatetags.deliberation_tags import time_left_parts

    left, tone = time_left_parts(round_.closes_at, now)
    meta = _("closes %(date)s") % {"date": f"{timezone.localtime(round_.closes_at):%Y-%m-%d}"}
    return (f"{meta} · {left}" if left else meta), TONES.get(tone, "")


def rounds_to_answer(user) -> Panel | None:
    """Open rounds of the committees covering the user's building that they have not answered."""
    if not user.person_id:
        return None
    now = timezone.now()
    rows = list(selectors.rounds_to_answer(user.person, now).select_related("body").order_by("closes_at", "pk")[:LIMIT])
    if not rows:
        return None
    items = []
    for round_ in rows:
        meta, tone = _closes(round_, now)
        items.append(
            DeskItem(
                label=f"{round_.title} · {round_.body.name}",
                url=reverse("evaluation:round_detail", args=[round_.pk]),
                meta=meta,
                tone=tone,
            )
        )
    return Panel(
        title=_("Evaluation rounds to answer"),
        items=items,
        more_url=reverse("evaluation:round_list") + "?state=open",
        order=30,
    )


def running_rounds(user) -> Panel | None:
    """Rounds still running in the bodies the user convenes, with the answers against the threshold."""
    body_ids = sorted(body_id for body_id, roles in body_roles(user).items() if roles & MANAGING_ROLES)
    if not body_ids:
        return None
    now = timezone.now()
    rows = list(
        EvaluationRound.objects.filter(body_id__in=body_ids, status=RoundStatus.OPEN, closes_at__gt=now)
        .select_related("body")
        .order_by("closes_at", "pk")[:LIMIT]
    )
    if not rows:
        return None
    items = []
    for round_ in rows:
        closes, tone = _closes(round_, now)
        count = _("%(count)s of %(needed)s answers") % {"count": round_.answer_count, "needed": round_.min_answers}
        behind = round_.answer_count < round_.min_answers
        items.append(
            DeskItem(
                label=f"{round_.title} · {round_.body.name}" if len(body_ids) > 1 else round_.title,
                url=reverse("evaluation:round_detail", args=[round_.pk]),
                meta=f"{count} · {closes}",
                tone=tone if behind else "",
            )
        )
    more_url = reverse("evaluation:round_list") + (f"?body={body_ids[0]}" if len(body_ids) == 1 else "")
    return Panel(title=_("Evaluation rounds running"), items=items, more_url=more_url, order=31)


register("evaluation.rounds_to_answer", rounds_to_answer)
register("evaluation.running_rounds", running_rounds)
