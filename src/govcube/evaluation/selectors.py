"""Reads of ratings and evaluation rounds, and a committee's public record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from govcube.bodies.permissions import is_manager
from govcube.bodies.selectors import body_list
from govcube.core.errors import Conflict
from govcube.evaluation.models import Answer, EvaluationRound, QuestionKind, Rating, RoundStatus


def round_list(*, user) -> QuerySet[EvaluationRound]:
    if not user.is_authenticated:
        return EvaluationRound.objects.none()
    return EvaluationRound.objects.filter(body__in=body_list(user=user).values("pk")).exclude(status=RoundStatus.DRAFT)


def round_get(*, user, pk: int) -> EvaluationRound:
    return get_object_or_404(round_list(user=user).select_related("body"), pk=pk)


def has_answered(round_: EvaluationRound, person) -> bool:
    return person is not None and round_.participations.filter(person=person).exists()


def rating_summary(kind: str, item_id: int) -> dict:
    """{"count": n, "average": x.x or None} of an item's ratings."""
    data = Rating.objects.filter(item_kind=kind, item_id=item_id).aggregate(count=Count("pk"), average=Avg("score"))
    return {"count": data["count"], "average": round(data["average"], 1) if data["average"] is not None else None}


def my_rating(kind: str, item_id: int, person):
    if person is None:
        return None
    return Rating.objects.filter(item_kind=kind, item_id=item_id, person=person).first()


@dataclass
class QuestionResult:
    label: str
    subject: str
    kind: str
    count: int
    average: float | None
    distribution: list[int]  # answers with score 1..5
    texts: list[str]


def round_results(round_: EvaluationRound) -> list[QuestionResult]:
    """The round's results; refused (409, with the reason) until it closed with enough answers."""
    if not round_.is_finished():
        raise Conflict(
            "evaluation.round.results.not_closed",
            _("Results are shown after the round closes, so that no answer can be traced."),
        )
    if round_.answer_count < round_.min_answers:
        raise Conflict(
            "evaluation.round.results.too_few",
            _(
                "Results are shown only when at least %(needed)s people have answered (%(count)s did), to protect their anonymity."
            )
            % {"needed": round_.min_answers, "count": round_.answer_count},
        )
    questions = list(round_.questions.all())
    counts = {
        (row["question_id"], row["score"]): row["n"]
        for row in Answer.objects.filter(question__round=round_, score__isnull=False)
        .values("question_id", "score")
        .annotate(n=Count("pk"))
    }
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        Answer.objects.filter(question__round=round_, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("text")
        .values_list("question_id", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    results = []
    for question in questions:
        distribution = [counts.get((question.pk, score), 0) for score in range(1, 6)]
        total = sum(distribution)
        average = (
            round(sum(s * n for s, n in zip(range(1, 6), distribution, strict=True)) / total, 1) if total else None
        )
        results.append(
            QuestionResult(
                label=question.label,
                subject=question.get_subject_display(),
                kind=question.kind,
                count=total if question.kind == QuestionKind.SCORE else len(texts.get(question.pk, [])),
                average=average,
                distribution=distribution,
                texts=texts.get(question.pk, []),
            )
        )
    return results


def may_manage(user, round_: EvaluationRound) -> bool:
    return user.is_authenticated and is_manager(user, round_.body)


def public_record(body) -> dict:
    """What a committee's public page shows of its record (a fixed number of aggregate queries)."""
    from govcube.deliberation.models import Decision, Topic, TopicStatus
    from govcube.engagement.models import Petition, PetitionStatus
    from govcube.work.models import Project, ProjectStatus

    topics = Topic.objects.filter(body=body).aggregate(
        raised=Count("pk"),
        resolved=Count("pk", filter=Q(status__in=[TopicStatus.DECIDED, TopicStatus.CLOSED])),
    )
    decisions = Decision.objects.filter(item__meeting__body=body, passed=True).count()
    projects = Project.objects.filter(body=body).aggregate(
        delivered=Count("pk", filter=Q(status=ProjectStatus.VERIFIED)),
        running=Count(
            "pk", filter=Q(status__in=[ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED])
        ),
    )
    petitions = Petition.objects.filter(body=body).aggregate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(answered_on_time__isnull=False)),
        on_time=Count("pk", filter=Q(answered_on_time=True)),
        settled=Count("pk", filter=Q(status__in=[PetitionStatus.ACCEPTED, PetitionStatus.CLOSED])),
    )
    ratings = Rating.objects.filter(body=body).aggregate(count=Count("pk"), average=Avg("score"))
    rounds = [
        r
        for r in EvaluationRound.objects.filter(body=body).exclude(status=RoundStatus.DRAFT).order_by("-closes_at")[:3]
        if r.results_available
    ]
    return {
        "topics_raised": topics["raised"],
        "topics_resolved": topics["resolved"],
        "decisions": decisions,
        "projects_delivered": projects["delivered"],
        "projects_running": projects["running"],
        "petitions_sent": petitions["sent"],
        "petitions_answered": petitions["answered"],
        "petitions_on_time": petitions["on_time"],
        "petitions_settled": petitions["settled"],
        "ratings_count": ratings["count"],
        "ratings_average": round(ratings["average"], 1) if ratings["average"] is not None else None,
        "rounds": rounds,
    }
