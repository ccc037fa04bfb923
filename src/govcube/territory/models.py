"""The territory tree and the buildings on it.

city > district > street > block grid > building-cluster grid > building grid.
A building grid is one building. Subtree queries use the materialised path;
hot tables also carry the district and street as integer scope columns.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from govcube.core.models import TimeStampedModel, VersionedModel


class NodeKind(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    BLOCK_GRID = "block_grid", _("Block grid")
    CLUSTER_GRID = "cluster_grid", _("Building-cluster grid")
    BUILDING_GRID = "building_grid", _("Building grid")


# Which kind of node may hang under which (the tree's shape).
CHILD_KINDS: dict[str, tuple[str, ...]] = {
    NodeKind.CITY: (NodeKind.DISTRICT,),
    NodeKind.DISTRICT: (NodeKind.STREET,),
    NodeKind.STREET: (NodeKind.BLOCK_GRID, NodeKind.BUILDING_GRID),
    NodeKind.BLOCK_GRID: (NodeKind.CLUSTER_GRID, NodeKind.BUILDING_GRID),
    NodeKind.CLUSTER_GRID: (NodeKind.BUILDING_GRID,),
    NodeKind.BUILDING_GRID: (),
}


class Node(MP_Node):
    kind = models.CharField(_("kind"), max_length=20, choices=NodeKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=40, unique=True)
    district = models.ForeignKey(
        "self", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street = models.ForeignKey(
        "self", verbose_name=_("street"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("territory node")
        verbose_name_plural = _("territory nodes")
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name


class Tier(models.TextChoices):
    MONTHLY_BILLION = "monthly_billion", _("¥100m-a-month building")
    BILLION = "billion", _("¥100m building")
    OTHER = "other", _("Other")


TIER_THRESHOLD = Decimal("100000000")  # ¥100 million


class Building(VersionedModel):
    node = models.OneToOneField(
        Node, verbose_name=_("building grid"), on_delete=models.PROTECT, related_name="building"
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True, validators=[MaxValueValidator(300)])
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_key = models.BooleanField(_("key building"), default=False, db_index=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.OTHER, db_index=True)
    tier_year = models.PositiveSmallIntegerField(_("tier year"), null=True, blank=True)
    annual_tax = models.DecimalField(_("annual tax revenue"), max_digits=16, decimal_places=2, default=0)
    district = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+", verbose_name=_("street"))

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["street", "name"]),
            models.Index(fields=["district", "name"]),
        ]

    def __str__(self) -> str:
        return self.name


class TaxRecord(TimeStampedModel):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="tax_records")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(
        _("tax revenue (¥)"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("tax record")
        verbose_name_plural = _("tax records")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["building", "month"], name="taxrecord_one_per_month"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="taxrecord_amount_not_negative",
                violation_error_message=_("Tax revenue cannot be negative."),
            ),
        ]


class GridChiefKind(models.TextChoices):
    CONVENER = "convener", _("Grid chief (committee convener)")
    WORKER = "worker", _("Grid chief (full-time party-and-masses worker)")


class GridChief(TimeStampedModel):
    """Each grid has two chiefs: the committee convener and a full-time worker."""

    node = models.ForeignKey(Node, verbose_name=_("grid"), on_delete=models.CASCADE, related_name="grid_chiefs")
    kind = models.CharField(_("kind"), max_length=20, choices=GridChiefKind.choices)
    person = models.ForeignKey("directory.Person", verbose_name=_("person"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("grid chief")
        verbose_name_plural = _("grid chiefs")
        constraints = [models.UniqueConstraint(fields=["node", "kind"], name="gridchief_one_per_kind")]
