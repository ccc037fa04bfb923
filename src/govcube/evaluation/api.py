"""The /api/v1 resources of supervision and evaluation: ratings and evaluation rounds.

The same selectors and services as the pages: an item or a round out of the caller's scope is 404,
writes go through ``evaluation.services`` (who may rate or answer: people working in the covered
buildings; who may open and close rounds: the body's managers). Ratings are read as a summary only
(count and average, nobody's rating but the caller's own); a round's results are refused (409, with
the reason) until it closed with enough answers.
"""

from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator

from govcube.bodies.api import api_fields
from govcube.bodies.selectors import body_covers_person, body_list
from govcube.core.api import ERRORS, api_login, page_of
from govcube.core.errors import DomainError, NotFound
from govcube.evaluation import selectors, services
from govcube.evaluation.models import EvaluationRound, RatedKind

router = Router(tags=["evaluation"])


def _aware(value: datetime) -> datetime:
    """A time without an offset is read in the deployment's time zone (Asia/Shanghai)."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


LocalDatetime = Annotated[datetime, AfterValidator(_aware)]


# ---------------------------------------------------------------------------------------------
# Schemas


class RatingIn(Schema):
    kind: str
    item_id: int
    score: int
    comment: str = ""


class RatingSummary(Schema):
    kind: str
    item_id: int
    count: int
    average: float | None
    rateable: bool
    can_rate: bool
    my_score: int | None  # the caller's own rating, if any


class RatingFilter(Schema):
    kind: str
    item_id: int


class PageOut(Schema):
    next_cursor: str | None
    total: int
    total_capped: bool


class RoundOut(Schema):
    id: int
    body_id: int
    body: str
    title: str
    opens_at: datetime
    closes_at: datetime
    status: str
    state: str  # upcoming / open / closed (a round past its closing time is closed)
    answer_count: int
    min_answers: int
    results_available: bool
    version: int


class RoundPage(PageOut):
    items: list[RoundOut]


class RoundFilter(Schema):
    body: int | None = None
    state: str | None = None
    limit: int = 50
    cursor: str | None = None


class RoundIn(Schema):
    body_id: int
    title: str
    opens_at: LocalDatetime
    closes_at: LocalDatetime
    min_answers: int = 5


class QuestionOut(Schema):
    id: int
    order: int
    subject: str
    kind: str  # score (1–5) or text
    label: str


class RoundDetail(RoundOut):
    questions: list[QuestionOut]
    has_answered: bool
    actions: list[str]  # answer, close


class AnswersIn(Schema):
    answers: dict[str, int | str]


class ResultOut(Schema):
    label: str
    subject: str
    kind: str
    count: int
    average: float | None
    distribution: list[int]  # answers with score 1, 2, 3, 4, 5
    texts: list[str]


class ResultsOut(Schema):
    round_id: int
    answer_count: int
    results: list[ResultOut]


# ---------------------------------------------------------------------------------------------
# Helpers


def _item(user, kind: str, item_id: int, field: str = "kind"):
    """The rated item if the caller can see its body; an unknown kind is a 400 naming the field."""
    if kind not in RatedKind.values:
        raise DomainError(
            "evaluation.rating.kind.unknown",
            _("Choose what is rated: %(kinds)s.") % {"kinds": ", ".join(RatedKind.values)},
            field=field,
        )
    item = services.rated_item(kind, item_id)
    if item is None or not body_list(user=user).filter(pk=item.body_id).exists():
        raise NotFound()
    return item


def _summary(user, item) -> dict:
    kind = services.kind_of(item)
    person = user.person if user.person_id else None
    mine = selectors.my_rating(kind, item.pk, person)
    rateable = services.is_rateable(item)
    return selectors.rating_summary(kind, item.pk) | {
        "kind": kind,
        "item_id": item.pk,
        "rateable": rateable,
        "can_rate": rateable and mine is None and body_covers_person(item.body, person),
        "my_score": mine.score if mine else None,
    }


def _round_row(round_: EvaluationRound, now=None) -> dict:
    return {
        "id": round_.pk,
        "body_id": round_.body_id,
        "body": round_.body.name,
        "title": round_.title,
        "opens_at": round_.opens_at,
        "closes_at": round_.closes_at,
        "status": round_.status,
        "state": selectors.round_state(round_, now),
        "answer_count": round_.answer_count,
        "min_answers": round_.min_answers,
        "results_available": round_.results_available,
        "version": round_.version,
    }


def _round_detail(round_: EvaluationRound, user) -> dict:
    person = user.person if user.person_id else None
    answered = selectors.has_answered(round_, person)
    actions = []
    if round_.is_open() and not answered and body_covers_person(round_.body, person):
        actions.append("answer")
    if selectors.may_manage(user, round_) and selectors.round_state(round_) != "closed":
        actions.append("close")
    questions = [
        {"id": q.pk, "order": q.order, "subject": q.subject, "kind": q.kind, "label": q.label}
        for q in round_.questions.all()
    ]
    return _round_row(round_) | {"questions": questions, "has_answered": answered, "actions": actions}


def _round(user, round_id: int) -> EvaluationRound:
    return selectors.round_get(user=user, pk=round_id)


# ---------------------------------------------------------------------------------------------
# Ratings


@router.post("/ratings", response={201: RatingSummary, **ERRORS})
@api_login
def create_rating(request, payload: RatingIn):
    """Rate a delivered item once (1–5), as someone working in the buildings its body covers."""
    item = _item(request.user, payload.kind, payload.item_id)
    services.rating_submit(actor=request.user, item=item, score=payload.score, comment=payload.comment)
    return Status(201, _summary(request.user, item))


@router.get("/ratings", response={200: RatingSummary, **ERRORS})
@api_login
def rating_summary(request, filters: Query[RatingFilter]):
    """An item's ratings as a summary: how many and their average (nobody's individual rating)."""
    return _summary(request.user, _item(request.user, filters.kind, filters.item_id))


# ---------------------------------------------------------------------------------------------
# Evaluation rounds


@router.get("/evaluation-rounds", response={200: RoundPage, **ERRORS})
@api_login
def list_rounds(request, filters: Query[RoundFilter]):
    now = timezone.now()
    if filters.state and filters.state not in selectors.ROUND_STATES:
        raise DomainError(
            "evaluation.round.state.unknown",
            _("Choose a state: %(states)s.") % {"states": ", ".join(selectors.ROUND_STATES)},
            field="state",
        )
    qs = selectors.round_search(
        selectors.round_list(user=request.user), body=filters.body, state=filters.state or "", now=now
    )
    page = page_of(qs.select_related("body"), limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_round_row(r, now) for r in page["items"]]
    return page


@router.post("/evaluation-rounds", response={201: RoundDetail, **ERRORS})
@api_login
def create_round(request, payload: RoundIn):
    body = get_object_or_404(body_list(user=request.user), pk=payload.body_id)
    with api_fields(body="body_id"):
        round_ = services.round_create(
            actor=request.user,
            body=body,
            title=payload.title,
            opens_at=payload.opens_at,
            closes_at=payload.closes_at,
            min_answers=payload.min_answers,
        )
    return Status(201, _round_detail(_round(request.user, round_.pk), request.user))


@router.get("/evaluation-rounds/{round_id}", response={200: RoundDetail, **ERRORS})
@api_login
def get_round(request, round_id: int):
    return _round_detail(_round(request.user, round_id), request.user)


@router.post("/evaluation-rounds/{round_id}/answers", response={201: RoundDetail, **ERRORS})
@api_login
def answer_round(request, round_id: int, payload: AnswersIn):
    """Answer the questionnaire once: ``{"answers": {"<question id>": 4, "<text question id>": "…"}}``.

    A refused value is a 400 naming ``answers.<question id>``."""
    round_ = _round(request.user, round_id)
    try:
        services.round_answer(actor=request.user, round_=round_, answers=payload.answers)
    except DomainError as exc:
        if exc.field and exc.field.startswith("q"):
            exc.field = f"answers.{exc.field[1:]}"
        raise
    return Status(201, _round_detail(_round(request.user, round_id), request.user))


@router.post("/evaluation-rounds/{round_id}/close", response={200: RoundDetail, **ERRORS})
@api_login
def close_round(request, round_id: int):
    round_ = _round(request.user, round_id)
    services.round_close(actor=request.user, round_=round_)
    return _round_detail(_round(request.user, round_id), request.user)


@router.get("/evaluation-rounds/{round_id}/results", response={200: ResultsOut, **ERRORS})
@api_login
def round_results(request, round_id: int):
    """Per question: average, answers per score and (for the free-text question) the suggestions;
    409 with the reason before the round closed or while too few people answered."""
    round_ = _round(request.user, round_id)
    results = selectors.round_results(round_)
    return {
        "round_id": round_.pk,
        "answer_count": round_.answer_count,
        "results": [
            {
                "label": r.label,
                "subject": r.subject,
                "kind": r.kind,
                "count": r.count,
                "average": r.average,
                "distribution": r.distribution,
                "texts": r.texts,
            }
            for r in results
        ],
    }
