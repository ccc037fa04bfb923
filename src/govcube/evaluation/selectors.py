"""Reads of ratings and evaluation rounds, and a committee's public record."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govcube.bodies.models import Body
from govcube.bodies.permissions import is_manager
from govcube.bodies.selectors import body_list, buildings_of_person
from govcube.core.errors import Conflict
from govcube.evaluation.models import (
    Answer,
    EvaluationQuestion,
    EvaluationRound,
    Participation,
    QuestionKind,
    Rating,
    RoundStatus,
)

PUBLIC_ROUNDS = 3

# What a round is to its readers (a round past its closing time is over, closed by hand or not).
ROUND_STATES = {
    "upcoming": gettext_lazy("Upcoming"),
    "open": gettext_lazy("Open"),
    "closed": gettext_lazy("Closed"),
}


def round_state(round_: EvaluationRound, now=None) -> str:
    now = now or timezone.now()
    if round_.is_finished(now):
        return "closed"
    return "upcoming" if now < round_.opens_at else "open"


def round_search(qs: QuerySet[EvaluationRound], *, body=None, state: str = "", now=None) -> QuerySet[EvaluationRound]:
    """Narrow rounds to one body and to a state of ``ROUND_STATES``."""
    now = now or timezone.now()
    if body:
        qs = qs.filter(body_id=body)
    running = Q(status=RoundStatus.OPEN, closes_at__gt=now)
    if state == "upcoming":
        qs = qs.filter(running, opens_at__gt=now)
    elif state == "open":
        qs = qs.filter(running, opens_at__lte=now)
    elif state == "closed":
        qs = qs.exclude(running)
    return qs


def rounds_open_now(now=None) -> QuerySet[EvaluationRound]:
    now = now or timezone.now()
    return EvaluationRound.objects.filter(status=RoundStatus.OPEN, opens_at__lte=now, closes_at__gt=now)


def rounds_to_answer(person, now=None) -> QuerySet[EvaluationRound]:
    """Open rounds of active bodies covering the buildings the person works in, not answered by them yet."""
    buildings = buildings_of_person(person)
    if not buildings:
        return EvaluationRound.objects.none()
    covering = Body.buildings.through.objects.filter(body_id=OuterRef("body_id"), building_id__in=buildings)
    answered = Participation.objects.filter(round_id=OuterRef("pk"), person=person)
    return rounds_open_now(now).filter(Exists(covering), ~Exists(answered), body__is_active=True)


def answered_round_ids(person, round_ids) -> set[int]:
    """Which of these rounds the person answered (one query)."""
    if person is None or not round_ids:
        return set()
    return set(
        Participation.objects.filter(person=person, round_id__in=list(round_ids)).values_list("round_id", flat=True)
    )


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


def results_available_q(now=None) -> Q:
    """Rounds whose results may be shown: over (closed, or past their closing time) with enough answers."""
    now = now or timezone.now()
    over = Q(status=RoundStatus.CLOSED) | Q(status=RoundStatus.OPEN, closes_at__lte=now)
    return over & Q(answer_count__gte=F("min_answers"))


@dataclass
class QuestionAverage:
    label: str
    count: int
    average: float | None


def round_averages(rounds: list[EvaluationRound]) -> dict[int, list[QuestionAverage]]:
    """The average of each score question of these rounds (one query whatever their number).

    Only for rounds whose results are available; no free text."""
    shown = [r.pk for r in rounds if r.results_available]
    averages: dict[int, list[QuestionAverage]] = {pk: [] for pk in shown}
    if not shown:
        return averages
    questions = (
        EvaluationQuestion.objects.filter(round_id__in=shown, kind=QuestionKind.SCORE)
        .annotate(n=Count("answers__score"), avg=Avg("answers__score"))
        .order_by("round_id", "order", "pk")
    )
    for question in questions:
        average = round(question.avg, 1) if question.avg is not None else None
        averages[question.round_id].append(QuestionAverage(label=question.label, count=question.n, average=average))
    return averages


def public_record(body) -> dict:
    """What a committee's public page shows of its record (a fixed number of aggregate queries).

    Decisions count once published (as the public page lists them); the latest rounds are those
    whose results are available, each with ``averages`` per score question (never free text)."""
    from govcube.deliberation.models import Topic, TopicStatus
    from govcube.deliberation.public_selectors import public_decisions
    from govcube.engagement.models import Petition, PetitionStatus
    from govcube.work.models import Project, ProjectStatus

    topics = Topic.objects.filter(body=body).aggregate(
        raised=Count("pk"),
        resolved=Count("pk", filter=Q(status__in=[TopicStatus.DECIDED, TopicStatus.CLOSED])),
    )
    decisions = public_decisions().filter(item__meeting__body=body, passed=True).order_by().count()
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
    rounds = list(
        EvaluationRound.objects.filter(results_available_q(), body=body).order_by("-closes_at", "-pk")[:PUBLIC_ROUNDS]
    )
    averages = round_averages(rounds)
    for round_ in rounds:
        round_.averages = averages.get(round_.pk, [])
    answered = petitions["answered"]
    return {
        "topics_raised": topics["raised"],
        "topics_resolved": topics["resolved"],
        "decisions": decisions,
        "projects_delivered": projects["delivered"],
        "projects_running": projects["running"],
        "petitions_sent": petitions["sent"],
        "petitions_answered": answered,
        "petitions_on_time": petitions["on_time"],
        "petitions_on_time_percent": round(100 * petitions["on_time"] / answered) if answered else None,
        "petitions_settled": petitions["settled"],
        "ratings_count": ratings["count"],
        "ratings_average": round(ratings["average"], 1) if ratings["average"] is not None else None,
        "rounds": rounds,
    }
