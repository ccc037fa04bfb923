"""Supervision and evaluation (监督评议).

Anyone working in the buildings a committee covers rates what it delivered — a verified
project, an answered petition, a decided topic — once per person per item (1–5 and an optional
comment). The committee also runs evaluation rounds: a short questionnaire about its work, its
liaison cadre and the service received. Who answered is kept apart from what was answered
(``Participation`` has the person, ``Response`` has a random key and no time), and results are
shown only after the round closed with at least ``min_answers`` answers, so no answer can be
traced back to a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TerritoryScoped, TimeStampedModel, VersionedModel


class RatedKind(models.TextChoices):
    PROJECT = "project", _("Project")
    PETITION = "petition", _("Special petition")
    TOPIC = "topic", _("Topic")


class Rating(TerritoryScoped, TimeStampedModel):
    body = models.ForeignKey("bodies.Body", on_delete=models.CASCADE, related_name="ratings")
    item_kind = models.CharField(_("what is rated"), max_length=20, choices=RatedKind.choices)
    item_id = models.PositiveBigIntegerField()
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["item_kind", "item_id", "person"], name="rating_once_per_person"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5),
                name="rating_score_1_to_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
        ]
        indexes = [models.Index(fields=["item_kind", "item_id"]), models.Index(fields=["body", "-created"])]

    def __str__(self) -> str:
        return f"{self.item_kind}:{self.item_id} {self.score}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class EvaluationRound(VersionedModel):
    body = models.ForeignKey(
        "bodies.Body", verbose_name=_("committee"), on_delete=models.CASCADE, related_name="evaluation_rounds"
    )
    title = models.CharField(_("title"), max_length=200)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    min_answers = models.PositiveSmallIntegerField(
        _("answers needed before results are shown"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(1000)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT, db_index=True
    )
    answer_count = models.PositiveIntegerField(_("answers"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="round_closes_after_opening",
                violation_error_message=_("A round must close after it opens."),
            ),
            models.CheckConstraint(condition=Q(min_answers__gte=3), name="round_min_answers_at_least_3"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation:round_detail", args=[self.pk])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == RoundStatus.OPEN and self.opens_at <= now < self.closes_at

    def is_finished(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == RoundStatus.CLOSED or (self.status == RoundStatus.OPEN and now >= self.closes_at)

    @property
    def results_available(self) -> bool:
        return self.is_finished() and self.answer_count >= self.min_answers


class QuestionSubject(models.TextChoices):
    COMMITTEE = "committee", _("The committee's work")
    LIAISON = "liaison", _("The liaison cadre")
    SERVICE = "service", _("The service received")
    OTHER = "other", _("Other")


class QuestionKind(models.TextChoices):
    SCORE = "score", _("Rating 1–5")
    TEXT = "text", _("Free text")


class EvaluationQuestion(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(_("about"), max_length=20, choices=QuestionSubject.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCORE)
    code = models.CharField(max_length=40, blank=True)  # a standard question, shown in the reader's language
    text = models.CharField(_("question"), max_length=300, blank=True)

    class Meta:
        ordering = ["round", "order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from govcube.evaluation.questions import standard_label

        return standard_label(self.code) or self.text


class Participation(models.Model):
    """That a person answered a round (not what they answered): one answer per person."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="evaluation_once_per_person")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.person_id}"


class Response(models.Model):
    """One anonymous set of answers: a random key, no person, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="responses")

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # no order to trace by
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(EvaluationQuestion, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score or self.text[:20]}"
