"""The deliberation engine every body uses: topics, collection campaigns, meetings,
agenda items with minutes, observers' registrations, presence, decisions and votes."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TerritoryScoped, TimeStampedModel, VersionedModel


class TopicSource(models.TextChoices):
    CAMPAIGN = "campaign", _("Topic collection campaign")
    WALK_IN = "walk_in", _("Walk-in")
    VISIT = "visit", _("Visit")
    PETITION = "petition", _("Petition follow-up")
    MEETING = "meeting", _("Raised in a meeting")
    ONLINE = "online", _("Online")


class TopicStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Under screening")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged into another topic")
    DECLINED = "declined", _("Declined")
    REFERRED = "referred", _("Referred elsewhere")
    ON_AGENDA = "on_agenda", _("On the agenda")
    DELIBERATED = "deliberated", _("Deliberated")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Campaign(VersionedModel):
    """A topic collection campaign (议题征集) of a body: a question, categories, a window."""

    body = models.ForeignKey("bodies.Body", verbose_name=_("body"), on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"), blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    closed_early_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("topic collection campaign")
        verbose_name_plural = _("topic collection campaigns")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="campaign_closes_after_opening",
                violation_error_message=_("A campaign must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_early_at is None and self.opens_at <= now < self.closes_at

    @property
    def state(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if self.is_open(now) else "closed"


class Topic(TerritoryScoped, VersionedModel):
    body = models.ForeignKey("bodies.Body", verbose_name=_("body"), on_delete=models.CASCADE, related_name="topics")
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.SET_NULL, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=50, blank=True)
    proposer = models.ForeignKey(
        "directory.Person", verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="topics"
    )
    on_behalf_of = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    is_anonymous = models.BooleanField(_("hide my name from the public"), default=False)
    source = models.CharField(_("source"), max_length=20, choices=TopicSource.choices, default=TopicSource.ONLINE)
    status = models.CharField(
        _("status"), max_length=20, choices=TopicStatus.choices, default=TopicStatus.SUBMITTED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_topics"
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was declined, or where it was referred."))
    outcome = models.TextField(_("outcome"), blank=True)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    # Typed link point for what a topic turns into elsewhere (a service request, a petition, a project).
    link_type = models.CharField(max_length=40, blank=True)
    link_id = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["body", "status", "-created"]),
            models.Index(fields=["street_id_scope", "-created"]),
            models.Index(fields=["proposer", "-created"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:topic_detail", args=[self.pk])


class TopicSupport(models.Model):
    """附议: one person supports a topic once."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "person"], name="topicsupport_once")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.topic_id}"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    SPECIAL = "special", _("Special meeting")
    OPEN = "open", _("Open meeting")
    JOINT = "joint", _("Joint meeting")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(VersionedModel):
    body = models.ForeignKey("bodies.Body", verbose_name=_("body"), on_delete=models.CASCADE, related_name="meetings")
    joint_bodies = models.ManyToManyField(
        "bodies.Body", verbose_name=_("joint with"), blank=True, related_name="joint_meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT, db_index=True
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    open_attendance = models.BooleanField(_("open to observers"), default=False)
    observer_seats = models.PositiveIntegerField(_("observer seats"), default=0, validators=[MaxValueValidator(10_000)])
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    observers_registered = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["body", "-starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(observers_registered__lte=F("observer_seats")),
                name="meeting_seats_never_exceeded",
                violation_error_message=_("All observer seats are taken."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:meeting_detail", args=[self.pk])


class AgendaItem(VersionedModel):
    class MinutesStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    title = models.CharField(_("title"), max_length=200)
    minutes_planned = models.PositiveSmallIntegerField(
        _("time box (minutes)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_status = models.CharField(
        _("minutes"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    voting_closed = models.BooleanField(_("voting closed"), default=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A body member expected at (and perhaps present in) a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("bodies.BodyMember", on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("present"), default=False)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.meeting_id}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(TimeStampedModel):
    """An observer's registration for an open meeting (开放式列席)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="meeting_registrations")
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    waiting_since = models.DateTimeField(null=True, blank=True)
    check_in_code = models.CharField(max_length=12, unique=True, default="", editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("observer registration")
        verbose_name_plural = _("observer registrations")
        ordering = ["meeting", "created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=~Q(status="cancelled"), name="registration_once_per_meeting"
            )
        ]
        indexes = [models.Index(fields=["meeting", "status", "waiting_since"])]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.meeting_id}: {self.status}"

    @staticmethod
    def new_code() -> str:
        return secrets.token_hex(5).upper()


class VoteMethod(models.TextChoices):
    SHOW_OF_HANDS = "show_of_hands", _("Show of hands")
    ROLL_CALL = "roll_call", _("Roll call")
    SECRET_BALLOT = "secret_ballot", _("Secret ballot")


class VoteChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Decision(VersionedModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    method = models.CharField(_("voting method"), max_length=20, choices=VoteMethod.choices)
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstain"), default=0)
    present_voting = models.PositiveIntegerField(_("voting members present"), default=0)
    voting_members = models.PositiveIntegerField(_("voting members"), default=0)
    passed = models.BooleanField(_("passed"), null=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """A roll-call vote: one member, one vote per decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey("bodies.BodyMember", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "member"], name="vote_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"


class FollowUpKind(models.TextChoices):
    PROJECT = "project", _("Project")
    TASK = "task", _("Task")
    PETITION = "petition", _("Special petition")
    SERVICE_REQUEST = "service_request", _("Service request")


class FollowUp(TimeStampedModel):
    """A typed link from a decision to what carries it out (objects that arrive with later modules)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    description = models.CharField(_("description"), max_length=300)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.description
