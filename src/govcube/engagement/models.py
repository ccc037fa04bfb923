"""Building liaison (楼宇包联) and the four visits (四访).

The street assigns cadres to buildings for a period; a liaison cadre plans and records
visits, and turns findings into topics for the committee or service requests for the
service team. Assignments keep their history; a hand-over moves the open follow-ups.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TerritoryScoped, TimeStampedModel, VersionedModel


class LiaisonQuerySet(models.QuerySet):
    def active(self, on=None):
        """In force on a day. An assignment handed over on its first day ends that day without
        having been in force (its end cannot precede its start), hence the ``handed_over`` flag."""
        today = on or timezone.localdate()
        return self.filter(Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today)).exclude(
            handed_over=True, end__gte=today
        )


class LiaisonAssignment(TerritoryScoped, TimeStampedModel):
    building = models.ForeignKey(
        "territory.Building", verbose_name=_("building"), on_delete=models.CASCADE, related_name="liaisons"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("liaison cadre"), on_delete=models.PROTECT, related_name="liaisons"
    )
    start = models.DateField(_("from"), default=timezone.localdate)
    end = models.DateField(_("to"), null=True, blank=True)
    monthly_quota = models.PositiveSmallIntegerField(
        _("visits per month"), default=2, validators=[MaxValueValidator(60)]
    )
    handed_over = models.BooleanField(_("handed over"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = LiaisonQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        ordering = ["building", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="liaison_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["cadre", "end"]), models.Index(fields=["street_id_scope", "building"])]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.building}"


class VisitKind(models.Model):
    """Configurable kinds of visit; the demo has four (enterprise, employees, party members, building management)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    name_ja = models.CharField(_("Japanese name"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("kind of visit")
        verbose_name_plural = _("kinds of visit")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        language = (get_language() or "zh-hans").lower()
        if language.startswith("en") and self.name_en:
            return self.name_en
        if language.startswith("ja") and self.name_ja:
            return self.name_ja
        return self.name


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUp(models.TextChoices):
    NONE = "", _("None")
    NOTE = "note", _("Note only")
    TOPIC = "topic", _("Topic for the committee")
    SERVICE_REQUEST = "service_request", _("Service request")


class Visit(TerritoryScoped, VersionedModel):
    building = models.ForeignKey(
        "territory.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="visits"
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("liaison cadre"), on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.ForeignKey(VisitKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED, db_index=True
    )
    planned_for = models.DateField(_("planned for"))
    visited_at = models.DateTimeField(_("visited"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    people = models.CharField(_("people met"), max_length=300, blank=True)
    findings = models.TextField(_("what was found"), blank=True)
    follow_up = models.CharField(
        _("follow-up"), max_length=20, choices=FollowUp.choices, blank=True, default=FollowUp.NONE
    )
    link_type = models.CharField(max_length=40, blank=True)
    link_id = models.CharField(max_length=40, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-planned_for", "-pk"]
        indexes = [
            models.Index(fields=["cadre", "status", "planned_for"]),
            models.Index(fields=["building", "-planned_for"]),
            models.Index(fields=["street_id_scope", "status", "planned_for"]),
        ]

    def __str__(self) -> str:
        return f"{self.building} · {self.planned_for:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("engagement:visit_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == VisitStatus.PLANNED and self.planned_for < timezone.localdate()


class VisitPhoto(TimeStampedModel):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="visits/%Y/%m/")  # content type checked on upload (no Pillow)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.caption or self.image.name


# --- Special petitions (专项提请) ------------------------------------------------------------------


class PetitionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("With the departments")
    ANSWERED = "answered", _("Answered")
    CONTESTED = "contested", _("Contested")
    ACCEPTED = "accepted", _("Answer accepted")
    CLOSED = "closed", _("Closed unresolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_PETITION_STATUSES = (PetitionStatus.SUBMITTED, PetitionStatus.CONTESTED)


class Escalation(models.IntegerChoices):
    NONE = 0, _("Not escalated")
    STREET = 1, _("Escalated to the street")
    DISTRICT = 2, _("Escalated to the district")


class Petition(TerritoryScoped, VersionedModel):
    """A matter a building affairs committee cannot solve, sent to one or more government departments."""

    body = models.ForeignKey(
        "bodies.Body", verbose_name=_("committee"), on_delete=models.PROTECT, related_name="petitions"
    )
    building = models.ForeignKey(
        "territory.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="petitions"
    )
    decision = models.ForeignKey(
        "deliberation.Decision",
        verbose_name=_("decision it comes from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    topic = models.ForeignKey(
        "deliberation.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("the matter"))
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.SUBMITTED, db_index=True
    )
    escalation = models.PositiveSmallIntegerField(_("escalation"), choices=Escalation.choices, default=Escalation.NONE)
    contested_once = models.BooleanField(_("contested"), default=False)
    contest_reason = models.TextField(_("why the answer is contested"), blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)

    class Meta:
        verbose_name = _("special petition")
        verbose_name_plural = _("special petitions")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["street_id_scope", "status", "-submitted_at"]),
            models.Index(fields=["body", "-submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("engagement:petition_detail", args=[self.pk])


class TargetStatus(models.TextChoices):
    SENT = "sent", _("Awaiting acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")


class PetitionTarget(VersionedModel):
    """One department a petition goes to, with its own working-day deadlines."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="targets")
    department = models.ForeignKey(
        "services.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="petitions"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TargetStatus.choices, default=TargetStatus.SENT, db_index=True
    )
    round = models.PositiveSmallIntegerField(default=1)  # 2 after the committee contested the answer
    acknowledge_by = models.DateField(_("acknowledge by"))
    answer_by = models.DateField(_("answer by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    escalation = models.PositiveSmallIntegerField(_("escalation"), choices=Escalation.choices, default=Escalation.NONE)
    answered_late = models.BooleanField(_("answered late"), default=False)

    class Meta:
        verbose_name = _("petition department")
        verbose_name_plural = _("petition departments")
        ordering = ["petition", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "department"], name="petition_department_once"),
            models.CheckConstraint(
                condition=Q(answer_by__gte=F("acknowledge_by")),
                name="petition_answer_after_acknowledgement",
                violation_error_message=_("The answer cannot be due before the acknowledgement."),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "answer_by"]),
            models.Index(fields=["status", "answer_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} → {self.department_id}"

    @property
    def is_open(self) -> bool:
        return self.status != TargetStatus.ANSWERED

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.status == TargetStatus.SENT and self.acknowledge_by < today:
            return True
        return self.is_open and self.answer_by < today


class PetitionEvent(models.Model):
    """The petition's timeline: every step, by whom, when (the audit trail holds the same, chained)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    target = models.ForeignKey(PetitionTarget, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.kind}"


class PetitionReminder(models.Model):
    """What the petition sweep has sent: unique per (target, kind, due), so a rerun sends nothing twice."""

    target = models.ForeignKey(PetitionTarget, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30)  # ack_overdue / answer_soon / answer_overdue / escalated_street / …
    due = models.DateField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "kind", "due"], name="petition_reminder_once")]

    def __str__(self) -> str:
        return f"{self.target_id} {self.kind}"
