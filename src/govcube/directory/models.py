"""The directory: enterprises and where they sit over time, party organisations, people."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TimeStampedModel, VersionedModel
from govcube.directory.validators import mask_mobile, validate_mobile, validate_uscc


class Industry(models.Model):
    """GB/T 4754-2017 classification: sections (A–T) and divisions (two digits)."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    section = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="divisions")

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ScopedModel(models.Model):
    """A directory row hangs on a territory node (usually a building grid) and carries scope columns."""

    node = models.ForeignKey(
        "territory.Node", verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "territory.Node", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    street = models.ForeignKey(
        "territory.Node", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    def set_scope(self, node) -> None:
        self.node = node
        self.district_id = node.district_id if node else None
        self.street_id = node.street_id if node else None


class Enterprise(ScopedModel, VersionedModel):
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("name"), max_length=200)
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), on_delete=models.PROTECT)
    headcount = models.PositiveIntegerField(_("headcount"), default=0, validators=[MaxValueValidator(10_000_000)])
    party_member_count = models.PositiveIntegerField(_("party members"), default=0)
    is_global_service_provider = models.BooleanField(_("global service provider"), default=False)
    is_key_enterprise = models.BooleanField(_("key enterprise"), default=False)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_member_count__lte=F("headcount")),
                name="enterprise_party_members_within_headcount",
                violation_error_message=_("There cannot be more party members than employees."),
            )
        ]
        indexes = [models.Index(fields=["street", "name"]), models.Index(fields=["district", "name"])]

    def __str__(self) -> str:
        return self.name


class TenancyQuerySet(models.QuerySet):
    def current(self, on=None):
        today = on or timezone.localdate()
        return self.filter(Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today))

    def past(self, on=None):
        return self.filter(end__lt=on or timezone.localdate())


class Tenancy(TimeStampedModel):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="tenancies"
    )
    building = models.ForeignKey(
        "territory.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="tenancies"
    )
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    objects = TenancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenancy")
        verbose_name_plural = _("tenancies")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="tenancy_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(fields=["enterprise", "building", "floor", "start"], name="tenancy_unique_start"),
        ]
        indexes = [models.Index(fields=["building", "end"])]

    def is_current(self, on=None) -> bool:
        today = on or timezone.localdate()
        return self.start <= today and (self.end is None or self.end >= today)


class PartyOrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    BRANCH = "branch", _("Party branch")
    JOINT_BRANCH = "joint_branch", _("Joint party branch")


class PartyOrganisation(ScopedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyOrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    member_count = models.PositiveIntegerField(_("members"), default=0)
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("enterprises covered"), blank=True, related_name="party_organisations"
    )
    buildings = models.ManyToManyField(
        "territory.Building", verbose_name=_("buildings covered"), blank=True, related_name="party_organisations"
    )

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(ScopedModel, VersionedModel):
    """Minimal personal data: name, mobile, employer, party membership (need-to-know)."""

    name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[validate_mobile])
    email = models.EmailField(_("email"), blank=True)
    employer = models.ForeignKey(
        Enterprise, verbose_name=_("employer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    party_organisation = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [models.Index(fields=["street", "name"])]
        constraints = [models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="person_unique_mobile")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class Position(TimeStampedModel):
    """A person holds a role in an enterprise or a party organisation."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions")
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="positions"
    )
    party_organisation = models.ForeignKey(
        PartyOrganisation, null=True, blank=True, on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(_("title"), max_length=100)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False) & Q(party_organisation__isnull=True))
                | (Q(enterprise__isnull=True) & Q(party_organisation__isnull=False)),
                name="position_one_organisation",
                violation_error_message=_("A position is held in one enterprise or one party organisation."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="position_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
