"""The chief service team's one-stop service desk: catalogue, requests with three SLA clocks,
routing, group service days, ratings.

The three clocks are kept apart, as Zammad keeps them: first response, update (the
enterprise hears from us regularly), resolution. Waiting on the enterprise pauses the update
and resolution clocks; paused working time is carried on the request, so it survives a
change of policy.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TerritoryScoped, TimeStampedModel, VersionedModel


class Domain(models.TextChoices):
    INDUSTRY = "industry", _("Industry support")
    APPROVAL = "approval", _("Administrative approval")
    FINANCE = "finance", _("Finance, tax and banking")
    TALENT = "talent", _("Talent services")


class Department(TimeStampedModel):
    """A district bureau, city office or industry association serving in the chief service team."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("District bureau")
        CITY_OFFICE = "city_office", _("City office")
        ASSOCIATION = "association", _("Industry association")
        BANK = "bank", _("Bank")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUREAU)
    district = models.ForeignKey(
        "territory.Node", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_departments",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), blank=True, related_name="service_departments"
    )
    # Special petitions (专项提请): working days to acknowledge and to answer.
    petition_acknowledge_days = models.PositiveSmallIntegerField(
        _("working days to acknowledge a petition"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    petition_answer_days = models.PositiveSmallIntegerField(
        _("working days to answer a petition"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RotaEntry(TimeStampedModel):
    """Who in a department looks after requests from a building (fallback: the coordinator)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="rota")
    building = models.ForeignKey("territory.Building", on_delete=models.CASCADE, related_name="service_rota")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_entries")
    start = models.DateField(_("from"), default=timezone.localdate)
    end = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("rota entry")
        verbose_name_plural = _("rota")
        indexes = [models.Index(fields=["department", "building"])]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.building_id}: {self.member_id}"


class ServiceItem(VersionedModel):
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices, db_index=True)
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("responsible department"), on_delete=models.PROTECT, related_name="items"
    )
    documents = models.JSONField(_("documents usually required"), default=list, blank=True)
    guide = models.TextField(_("guide"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service catalogue")
        ordering = ["domain", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def current_policy(self):
        return self.policies.order_by("-number").first()


class SlaPolicy(models.Model):
    """One version of an item's service levels; a request keeps the version it was filed under."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="policies")
    number = models.PositiveIntegerField(_("version"))
    first_response_hours = models.DecimalField(
        _("first response (working hours)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(200)],
    )
    update_hours = models.DecimalField(
        _("update at least every (working hours)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(400)],
    )
    resolution_days = models.PositiveSmallIntegerField(
        _("resolution (working days)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    warn_before_hours = models.DecimalField(
        _("remind before (working hours)"), max_digits=5, decimal_places=1, default=2
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("service level policy")
        verbose_name_plural = _("service level policies")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="slapolicy_version_once")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class Channel(models.TextChoices):
    WEB = "web", _("Online")
    PHONE = "phone", _("Phone (entered by staff)")
    VISIT = "visit", _("Visit finding")
    SERVICE_DAY = "service_day", _("Service day")
    TOPIC = "topic", _("Topic referral")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting on the enterprise")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged into another request")


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.WAITING)


class ServiceRequest(TerritoryScoped, VersionedModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="service_requests"
    )
    requester = models.ForeignKey(
        "directory.Person",
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    building = models.ForeignKey(
        "territory.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="service_requests"
    )
    item = models.ForeignKey(ServiceItem, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests")
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="requests"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_requests",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED, db_index=True
    )
    answer = models.TextField(_("answer"), blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates")
    # The three clocks: each has a due time, the time it was met, and what was already sent about it.
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    first_response_due = models.DateTimeField(_("first response due"))
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    update_due = models.DateTimeField(_("next update due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("paused working time (s)"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation"), default=0)  # 0 none, 1 team lead, 2 district
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    transfer_count = models.PositiveSmallIntegerField(_("transferred"), default=0)
    topic = models.ForeignKey(
        "deliberation.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="service_requests"
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["street_id_scope", "-submitted_at"]),
            models.Index(fields=["department", "status", "resolution_due"]),
            models.Index(fields=["owner", "status", "resolution_due"]),
            models.Index(fields=["enterprise", "-submitted_at"]),
            models.Index(fields=["status", "first_response_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_due__gte=F("submitted_at")), name="request_due_after_submission"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("services:request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestMessage(TimeStampedModel):
    """A message on a request: to or from the enterprise, or an internal note."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("text"))
    internal = models.BooleanField(_("internal note"), default=False)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Extension(TimeStampedModel):
    """延期申请: asked by the owner, decided by the team lead."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("working days"), validators=[MinValueValidator(1), MaxValueValidator(30)])
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.request_id} +{self.days}"


class SatisfactionLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class Rating(TimeStampedModel):
    """好差评: the requester's enterprise rates a resolved request once (per handling round)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(default=0)  # reopen_count at rating time
    score = models.PositiveSmallIntegerField(_("rating"), choices=SatisfactionLevel.choices)
    solved = models.BooleanField(_("the problem was solved"), default=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    review_status = models.CharField(max_length=20, blank=True)  # "" / "open" / "done" for low ratings (整改)
    review_note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "round"], name="rating_once_per_round")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.score}"


class ReminderSent(models.Model):
    """What the SLA sweep has sent: unique per (request, clock, kind, due), so a rerun sends nothing twice."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="reminders")
    clock = models.CharField(max_length=20)  # first_response / update / resolution
    kind = models.CharField(max_length=20)  # warning / breach / escalation_lead / escalation_district
    due = models.DateTimeField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "clock", "kind", "due"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.clock} {self.kind}"


class SweepRun(models.Model):
    name = models.CharField(max_length=50)
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["name", "-started"])]

    def __str__(self) -> str:
        return f"{self.name} {self.started:%Y-%m-%d %H:%M}"


class ServiceDay(VersionedModel):
    """团体式服务: several departments in one building on one afternoon."""

    building = models.ForeignKey(
        "territory.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="service_days"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    departments = models.ManyToManyField(Department, verbose_name=_("departments"), related_name="service_days")
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=20, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    is_cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="serviceday_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def district_id(self):
        return self.building.district_id

    @property
    def street_id(self):
        return self.building.street_id


class ServiceDaySlot(models.Model):
    day = models.ForeignKey(ServiceDay, on_delete=models.CASCADE, related_name="slots")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=1)
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["day", "department", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["day", "department", "starts_at"], name="slot_once"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_never_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.starts_at:%H:%M}"


class Booking(TimeStampedModel):
    slot = models.ForeignKey(ServiceDaySlot, on_delete=models.CASCADE, related_name="bookings")
    enterprise = models.ForeignKey(
        "directory.Enterprise", on_delete=models.CASCADE, related_name="service_day_bookings"
    )
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    topic = models.CharField(_("what it is about"), max_length=200)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "enterprise"], condition=Q(cancelled_at__isnull=True), name="booking_once_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} @ {self.slot_id}"
