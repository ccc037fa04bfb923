"""Project claiming (项目认领): needs, resources and projects — 需求清单 · 资源清单 · 项目清单.

Needs come from decisions, topics, visits and petitions; resources are offered by enterprises,
party organisations and alliance members. A project is published with what it needs; one or
several claimants take it with the share each takes (at most 100% in all); the convener approves
the claims; claimants post milestones and progress with photos; the committee verifies completion.
One Project model serves committees, alliances and block platforms alike (the body says whose).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TerritoryScoped, TimeStampedModel, VersionedModel


class NeedSource(models.TextChoices):
    DECISION = "decision", _("Decision")
    TOPIC = "topic", _("Topic")
    VISIT = "visit", _("Visit")
    PETITION = "petition", _("Special petition")
    OTHER = "other", _("Other")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROJECT = "in_project", _("Taken up by a project")
    MET = "met", _("Met")
    CLOSED = "closed", _("Closed")


class Need(TerritoryScoped, VersionedModel):
    body = models.ForeignKey("bodies.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="needs")
    building = models.ForeignKey(
        "territory.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=NeedSource.choices, default=NeedSource.OTHER)
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["street_id_scope", "status", "-created"]),
            models.Index(fields=["body", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("work:need_detail", args=[self.pk])


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("Venue")
    EXPERTISE = "expertise", _("Expertise")
    VOLUNTEERS = "volunteers", _("Volunteers")
    FUNDS = "funds", _("Funds")
    OTHER = "other", _("Other")


class ResourceStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    COMMITTED = "committed", _("Committed to a project")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Resource(TerritoryScoped, VersionedModel):
    """An offer: a venue, expertise, volunteers or funds, from an enterprise or a party organisation."""

    body = models.ForeignKey(
        "bodies.Body",
        verbose_name=_("offered to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    quantity = models.CharField(_("how much"), max_length=100, blank=True)
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    party_organisation = models.ForeignKey(
        "directory.PartyOrganisation",
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    available_until = models.DateField(_("available until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.AVAILABLE, db_index=True
    )
    project = models.ForeignKey(
        "work.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="resources"
    )
    offered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created"]
        indexes = [models.Index(fields=["street_id_scope", "status", "-created"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False) & Q(party_organisation__isnull=True))
                | (Q(enterprise__isnull=True) & Q(party_organisation__isnull=False)),
                name="resource_one_offerer",
                violation_error_message=_("A resource is offered by one enterprise or one party organisation."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("work:resource_detail", args=[self.pk])

    @property
    def offerer(self):
        return self.enterprise or self.party_organisation


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for claiming")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed, awaiting verification")
    VERIFIED = "verified", _("Delivered and verified")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_PROJECT_STATUSES = (ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED)


class Project(TerritoryScoped, VersionedModel):
    body = models.ForeignKey("bodies.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="projects")
    building = models.ForeignKey(
        "territory.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    what_is_needed = models.TextField(_("what it needs"), blank=True)
    needs = models.ManyToManyField(Need, verbose_name=_("needs it meets"), blank=True, related_name="projects")
    decision = models.ForeignKey(
        "deliberation.Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    claimed_share = models.PositiveSmallIntegerField(_("share claimed (%)"), default=0)  # approved + pending claims
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["street_id_scope", "status", "-created"]),
            models.Index(fields=["body", "status", "-created"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(starts_on__isnull=True) | Q(due_on__gte=F("starts_on")),
                name="project_due_after_start",
                violation_error_message=_("The due date cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=Q(claimed_share__lte=100),
                name="project_claimed_share_at_most_100",
                violation_error_message=_("The shares claimed cannot exceed 100%."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("work:project_detail", args=[self.pk])


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


COUNTED_CLAIM_STATUSES = (ClaimStatus.PENDING, ClaimStatus.APPROVED)


class Claim(VersionedModel):
    """An enterprise or a party organisation takes a share of a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims")
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    party_organisation = models.ForeignKey(
        "directory.PartyOrganisation",
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    share = models.PositiveSmallIntegerField(_("share (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    commitment = models.TextField(_("what we will do"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["project", "created"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False) & Q(party_organisation__isnull=True))
                | (Q(enterprise__isnull=True) & Q(party_organisation__isnull=False)),
                name="claim_one_claimant",
                violation_error_message=_("A claim is made by one enterprise or one party organisation."),
            ),
            models.CheckConstraint(
                condition=Q(share__gte=1) & Q(share__lte=100),
                name="claim_share_1_to_100",
                violation_error_message=_("A share is between 1% and 100%."),
            ),
            models.UniqueConstraint(
                fields=["project", "enterprise"],
                condition=Q(status__in=["pending", "approved"], enterprise__isnull=False),
                name="claim_once_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["project", "party_organisation"],
                condition=Q(status__in=["pending", "approved"], party_organisation__isnull=False),
                name="claim_once_per_party_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant} {self.share}%"

    @property
    def claimant(self):
        return self.enterprise or self.party_organisation


class Milestone(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    claim = models.ForeignKey(
        Claim, verbose_name=_("claimant"), null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "order", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(TimeStampedModel):
    """A claimant's (or the convener's) progress report, with photos."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates")
    text = models.TextField(_("progress"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ProgressPhoto(TimeStampedModel):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="projects/%Y/%m/")  # content checked on upload
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.caption or self.image.name
