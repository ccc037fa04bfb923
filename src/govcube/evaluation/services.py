"""Writes of ratings and evaluation rounds."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.bodies.models import Mechanism
from govcube.bodies.permissions import is_manager
from govcube.bodies.selectors import body_covers_person
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.services import validate
from govcube.evaluation.models import (
    Answer,
    EvaluationQuestion,
    EvaluationRound,
    Participation,
    QuestionKind,
    RatedKind,
    Rating,
    Response,
    RoundStatus,
)
from govcube.evaluation.questions import STANDARD_QUESTIONS

MAX_COMMENT = 2000


# --- what can be rated ---------------------------------------------------------------------


def rated_item(kind: str, item_id: int):
    """The object behind (kind, id), or None."""
    model = _model_of(kind)
    return model.objects.select_related("body").filter(pk=item_id).first() if model else None


def _model_of(kind: str):
    if kind == RatedKind.PROJECT:
        from govcube.work.models import Project

        return Project
    if kind == RatedKind.PETITION:
        from govcube.engagement.models import Petition

        return Petition
    if kind == RatedKind.TOPIC:
        from govcube.deliberation.models import Topic

        return Topic
    return None


def kind_of(obj) -> str:
    return {"work.project": RatedKind.PROJECT, "engagement.petition": RatedKind.PETITION}.get(
        obj._meta.label_lower, RatedKind.TOPIC
    )


def is_rateable(obj) -> bool:
    """Delivered things only: a verified project, an answered petition, a decided or closed topic."""
    from govcube.deliberation.models import TopicStatus
    from govcube.engagement.models import PetitionStatus
    from govcube.work.models import ProjectStatus

    kind = kind_of(obj)
    if kind == RatedKind.PROJECT:
        return obj.status == ProjectStatus.VERIFIED
    if kind == RatedKind.PETITION:
        return obj.status in (PetitionStatus.ACCEPTED, PetitionStatus.CLOSED) and obj.answered_on_time is not None
    return obj.status in (TopicStatus.DECIDED, TopicStatus.CLOSED)


def rating_submit(*, actor, item, score, comment: str = "") -> Rating:
    """Rate a delivered item once, as someone working in the buildings its body covers."""
    person = actor.person if getattr(actor, "person_id", None) else None
    body = item.body
    if person is None or not body_covers_person(body, person):
        raise PermissionDenied(
            "evaluation.rating.not_covered",
            _("Only people working in the buildings this committee covers can rate its work."),
        )
    if not is_rateable(item):
        raise Conflict("evaluation.rating.not_rateable", _("This can be rated once it has been delivered."))
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError("evaluation.rating.score.range", _("Choose a rating from 1 to 5."), field="score")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            "evaluation.rating.comment.too_long",
            _("This is too long (%(limit)s characters at most).") % {"limit": f"{MAX_COMMENT:,}"},
            field="comment",
        )
    kind = kind_of(item)
    if Rating.objects.filter(item_kind=kind, item_id=item.pk, person=person).exists():
        raise Conflict("evaluation.rating.once", _("You have already rated this."))
    rating = Rating(
        body=body, item_kind=kind, item_id=item.pk, person=person, score=score, comment=comment, rated_by=actor
    )
    rating.district_id_scope, rating.street_id_scope = item.district_id_scope, item.street_id_scope
    try:
        with transaction.atomic():
            rating.save()
            audit_record(
                actor=actor, action="evaluation.rating.submitted", obj=item, after={"kind": kind, "score": score}
            )
    except IntegrityError:
        raise Conflict("evaluation.rating.once", _("You have already rated this.")) from None
    return rating


def request_ratings(*, obj, body, title: str) -> None:
    """Ask the people of the covered buildings to rate what was delivered (in the background)."""
    from govcube.evaluation.tasks import send_rating_requests

    kind = kind_of(obj)
    transaction.on_commit(lambda: send_rating_requests.enqueue(kind, obj.pk), robust=True)


def rating_request_recipients(body):
    """Active accounts of people working in the body's buildings (current tenants' employees)."""
    from govcube.accounts.models import User
    from govcube.directory.models import Tenancy

    buildings = body.buildings.values("pk")
    employers = Tenancy.objects.current().filter(building__in=buildings).values("enterprise_id")
    return User.objects.filter(is_active=True, person__employer_id__in=employers).order_by("pk")


# --- evaluation rounds -------------------------------------------------------------------


def round_create(*, actor, body, title: str, opens_at, closes_at, min_answers: int = 5) -> EvaluationRound:
    """The committee opens an evaluation round with the standard questionnaire."""
    if not is_manager(actor, body):
        raise PermissionDenied("evaluation.round.create.denied")
    if not body.has(Mechanism.EVALUATION):
        raise DomainError(
            "evaluation.round.body.mechanism", _("This body does not run evaluation rounds."), field="body"
        )
    title = (title or "").strip()
    if not title:
        raise DomainError("evaluation.round.title.required", _("Give the round a title."), field="title")
    if opens_at is None or closes_at is None or closes_at <= opens_at:
        raise DomainError(
            "evaluation.round.closes_at.order", _("A round must close after it opens."), field="closes_at"
        )
    if closes_at <= timezone.now():
        raise DomainError("evaluation.round.closes_at.past", _("The closing time has passed."), field="closes_at")
    if isinstance(min_answers, bool) or not isinstance(min_answers, int) or not 3 <= min_answers <= 1000:
        raise DomainError(
            "evaluation.round.min_answers.range",
            _("At least 3 answers must protect anonymity (and at most 1,000 can be required)."),
            field="min_answers",
        )
    round_ = EvaluationRound(
        body=body,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        min_answers=min_answers,
        status=RoundStatus.OPEN,
        created_by=actor,
    )
    validate(round_, "evaluation.round", exclude=["created_by"])
    with transaction.atomic():
        round_.save()
        EvaluationQuestion.objects.bulk_create(
            [
                EvaluationQuestion(round=round_, order=i, subject=subject, kind=kind, code=code)
                for i, (code, subject, kind, _label) in enumerate(STANDARD_QUESTIONS, start=1)
            ]
        )
        audit_record(
            actor=actor,
            action="evaluation.round.created",
            obj=body,
            after={"round": round_.pk, "title": title, "min_answers": min_answers},
        )
    return round_


def round_close(*, actor, round_: EvaluationRound) -> EvaluationRound:
    if not is_manager(actor, round_.body):
        raise PermissionDenied("evaluation.round.close.denied")
    with transaction.atomic():
        locked = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
        if locked.status == RoundStatus.CLOSED:
            raise Conflict("evaluation.round.closed", _("This round is already closed."))
        locked.status, locked.closed_at = RoundStatus.CLOSED, timezone.now()
        locked.version += 1
        locked.save()
        audit_record(actor=actor, action="evaluation.round.closed", obj=locked.body, after={"round": locked.pk})
    return locked


def round_answer_check(*, actor, round_: EvaluationRound):
    """Refuse someone who may not answer the round now (403 not covered, 409 not open or answered);
    answer their person otherwise."""
    person = actor.person if getattr(actor, "person_id", None) else None
    if person is None or not body_covers_person(round_.body, person):
        raise PermissionDenied(
            "evaluation.round.not_covered",
            _("Only people working in the buildings this committee covers can answer."),
        )
    if not round_.is_open():
        raise Conflict("evaluation.round.not_open", _("This round is not open for answers."))
    if Participation.objects.filter(round=round_, person=person).exists():
        raise Conflict("evaluation.round.once", _("You have already answered this round."))
    return person


def round_answer(*, actor, round_: EvaluationRound, answers: dict) -> None:
    """Answer a round once. ``answers`` maps question ids to a score (1–5) or a text.

    What was answered is stored without the person (see the models); that the person answered
    is stored separately, so a second answer is refused."""
    person = round_answer_check(actor=actor, round_=round_)
    rows = []
    for question in round_.questions.all():
        value = answers.get(question.pk, answers.get(str(question.pk)))
        field = f"q{question.pk}"
        if question.kind == QuestionKind.SCORE:
            try:
                score = int(value)
            except (TypeError, ValueError):
                score = 0
            if isinstance(value, bool) or not 1 <= score <= 5:
                raise DomainError("evaluation.answer.score.range", _("Choose a rating from 1 to 5."), field=field)
            rows.append(Answer(question=question, score=score))
        else:
            text = str(value or "").strip()
            if len(text) > MAX_COMMENT:
                raise DomainError(
                    "evaluation.answer.text.too_long",
                    _("This is too long (%(limit)s characters at most).") % {"limit": f"{MAX_COMMENT:,}"},
                    field=field,
                )
            if text:
                rows.append(Answer(question=question, text=text))
    try:
        with transaction.atomic():
            # closing takes the same lock: no answer slips in after the results were shown
            if not EvaluationRound.objects.select_for_update().get(pk=round_.pk).is_open():
                raise Conflict("evaluation.round.not_open", _("This round is not open for answers."))
            Participation.objects.create(round=round_, person=person)
            response = Response.objects.create(round=round_)
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            EvaluationRound.objects.filter(pk=round_.pk).update(answer_count=F("answer_count") + 1)
            # the audit says that someone answered, never what (anonymity)
            audit_record(actor=actor, action="evaluation.round.answered", obj=round_.body, after={"round": round_.pk})
    except IntegrityError:
        raise Conflict("evaluation.round.once", _("You have already answered this round.")) from None
