"""One model for every governance body: committees, alliances, block platforms, service teams, panels.

Kinds differ by configuration (which roles, which mechanisms are switched on), not by
copies of code: a committee meeting and an alliance's routine deliberation are the same
Meeting, on the same Body model.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TimeStampedModel, VersionedModel
from govcube.directory.models import ScopedModel


class BodyKind(models.TextChoices):
    BUILDING_COMMITTEE = "building_committee", _("Building affairs committee")
    INDUSTRY_ALLIANCE = "industry_alliance", _("Industry party-building alliance")
    GOVERNANCE_ALLIANCE = "governance_alliance", _("Business-district governance alliance")
    JOINT_CONFERENCE = "joint_conference", _("Party-building joint conference")
    JOINT_MEETING = "joint_meeting", _("Street-block co-governance joint meeting")
    SERVICE_TEAM = "service_team", _("Chief service team")
    EXPERT_PANEL = "expert_panel", _("Expert advisory group")
    WORKING_GROUP = "working_group", _("Working group")


class Mechanism(models.TextChoices):
    """The mechanisms a body may switch on (a building committee runs all eight)."""

    LIAISON = "liaison", _("Building liaison")
    TOPIC_COLLECTION = "topic_collection", _("Topic collection")
    VISITS = "visits", _("Four visits")
    DELIBERATION = "deliberation", _("Consultation and deliberation")
    OPEN_ATTENDANCE = "open_attendance", _("Open attendance")
    SPECIAL_PETITION = "special_petition", _("Special petition")
    PROJECT_CLAIMING = "project_claiming", _("Project claiming")
    EVALUATION = "evaluation", _("Supervision and evaluation")


DEFAULT_MECHANISMS: dict[str, list[str]] = {
    BodyKind.BUILDING_COMMITTEE: list(Mechanism.values),
    BodyKind.INDUSTRY_ALLIANCE: [Mechanism.DELIBERATION, Mechanism.PROJECT_CLAIMING, Mechanism.TOPIC_COLLECTION],
    BodyKind.GOVERNANCE_ALLIANCE: [
        Mechanism.DELIBERATION,
        Mechanism.PROJECT_CLAIMING,
        Mechanism.TOPIC_COLLECTION,
        Mechanism.OPEN_ATTENDANCE,
    ],
    BodyKind.JOINT_CONFERENCE: [Mechanism.DELIBERATION, Mechanism.PROJECT_CLAIMING, Mechanism.OPEN_ATTENDANCE],
    BodyKind.JOINT_MEETING: [
        Mechanism.DELIBERATION,
        Mechanism.PROJECT_CLAIMING,
        Mechanism.TOPIC_COLLECTION,
        Mechanism.OPEN_ATTENDANCE,
    ],
    BodyKind.SERVICE_TEAM: [Mechanism.DELIBERATION],
    BodyKind.EXPERT_PANEL: [Mechanism.DELIBERATION],
    BodyKind.WORKING_GROUP: [Mechanism.DELIBERATION, Mechanism.PROJECT_CLAIMING],
}


class MajorityRule(models.TextChoices):
    SIMPLE = "simple", _("More for than against")
    ABSOLUTE = "absolute", _("More than half of those present")
    TWO_THIRDS = "two_thirds", _("Two thirds of those present")


class Body(ScopedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    buildings = models.ManyToManyField(
        "territory.Building", verbose_name=_("buildings covered"), blank=True, related_name="bodies"
    )
    description = models.TextField(_("description"), blank=True)
    quorum = models.DecimalField(
        _("quorum (share of voting members)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    majority_rule = models.CharField(
        _("majority rule"), max_length=20, choices=MajorityRule.choices, default=MajorityRule.SIMPLE
    )
    mechanisms = models.JSONField(_("mechanisms"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")
        ordering = ["name"]
        indexes = [models.Index(fields=["street", "kind"]), models.Index(fields=["district", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum__gt=0) & Q(quorum__lte=1),
                name="body_quorum_fraction",
                violation_error_message=_("The quorum must be a share between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def has(self, mechanism: str) -> bool:
        return mechanism in (self.mechanisms or [])


class MemberRole(models.TextChoices):
    CONVENER = "convener", _("Convener")
    DEPUTY = "deputy", _("Deputy convener")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    LEAD_UNIT = "lead_unit", _("Lead unit")
    MEMBER_UNIT = "member_unit", _("Member unit")
    EXPERT = "expert", _("Expert")
    OBSERVER = "observer", _("Standing observer")


VOTING_ROLES = frozenset(
    {
        MemberRole.CONVENER,
        MemberRole.DEPUTY,
        MemberRole.SECRETARY,
        MemberRole.MEMBER,
        MemberRole.LEAD_UNIT,
        MemberRole.MEMBER_UNIT,
    }
)
MANAGING_ROLES = frozenset({MemberRole.CONVENER, MemberRole.DEPUTY, MemberRole.LEAD_UNIT})
RECORDING_ROLES = frozenset({MemberRole.CONVENER, MemberRole.DEPUTY, MemberRole.SECRETARY})


class BodyMemberQuerySet(models.QuerySet):
    def active(self, on=None):
        today = on or timezone.localdate()
        return self.filter(Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today))


class BodyMember(TimeStampedModel):
    """A person or an organisation in a body, with a role and a term."""

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="body_memberships",
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="body_memberships",
    )
    party_organisation = models.ForeignKey(
        "directory.PartyOrganisation",
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="body_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    start = models.DateField(_("from"), default=timezone.localdate)
    end = models.DateField(_("to"), null=True, blank=True)

    objects = BodyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(enterprise__isnull=True) & Q(party_organisation__isnull=True))
                | (Q(person__isnull=True) & Q(enterprise__isnull=False) & Q(party_organisation__isnull=True))
                | (Q(person__isnull=True) & Q(enterprise__isnull=True) & Q(party_organisation__isnull=False)),
                name="bodymember_exactly_one_member",
                violation_error_message=_("A member is one person or one organisation."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="bodymember_term_order",
                violation_error_message=_("The end of the term cannot be before its start."),
            ),
        ]
        indexes = [models.Index(fields=["person", "body"])]

    def __str__(self) -> str:
        return f"{self.member_name} · {self.get_role_display()}"

    @property
    def member_name(self) -> str:
        member = self.person or self.enterprise or self.party_organisation
        return str(member) if member else ""

    @property
    def votes(self) -> bool:
        return self.role in VOTING_ROLES
