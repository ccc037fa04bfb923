"""Writes to the territory: every one validated, permission-checked and audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.core.errors import DomainError
from govcube.core.services import require_perm, snapshot, validate, versioned_update
from govcube.territory.models import CHILD_KINDS, Building, GridChief, Node, NodeKind, TaxRecord
from govcube.territory.tiers import compute_tier

BUILDING_FIELDS = {"name", "name_en", "address", "latitude", "longitude", "floors", "floor_area", "is_key"}


def _scope_columns(node: Node, parent: Node | None) -> None:
    if node.kind == NodeKind.DISTRICT:
        node.district_id = node.pk
    elif parent is not None:
        node.district_id = parent.district_id
    if node.kind == NodeKind.STREET:
        node.street_id = node.pk
    elif parent is not None:
        node.street_id = parent.street_id


def node_create(*, actor, parent: Node | None, kind: str, name: str, code: str) -> Node:
    if parent is None:
        if kind != NodeKind.CITY and not actor.has_perm("territory.change_node"):
            raise DomainError(
                "territory.node.kind.root", _("Only a city can be the root of the territory."), field="kind"
            )
        require_perm(actor, "territory.change_node")
    else:
        require_perm(actor, "territory.change_node", parent)
        if kind not in CHILD_KINDS[parent.kind]:
            raise DomainError(
                "territory.node.kind.invalid_child",
                _("A %(child)s cannot be placed under a %(parent)s.")
                % {"child": NodeKind(kind).label, "parent": NodeKind(parent.kind).label},
                field="kind",
            )
    candidate = Node(kind=kind, name=(name or "").strip(), code=(code or "").strip())
    validate(candidate, "territory.node", exclude=["path", "depth", "numchild", "district", "street"])
    with transaction.atomic():
        node = (
            Node.objects.add_root(instance=candidate)
            if parent is None
            else Node.objects.add_child(parent, instance=candidate)
        )
        _scope_columns(node, parent)
        node.save(update_fields=["district", "street"])
        audit_record(
            actor=actor, action="territory.node.created", obj=node, after=snapshot(node, ["kind", "name", "code"])
        )
    return node


def building_create(*, actor, parent: Node, name: str, code: str, address: str, **fields) -> Building:
    """A building is a building grid node with its profile."""
    require_perm(actor, "territory.change_building", parent)
    unknown = set(fields) - BUILDING_FIELDS
    if unknown:
        raise DomainError("territory.building.unknown_field", _("Unknown field."), field=sorted(unknown)[0])
    with transaction.atomic():
        node = node_create(actor=actor, parent=parent, kind=NodeKind.BUILDING_GRID, name=name, code=code)
        building = Building(
            node=node,
            name=name.strip(),
            address=address.strip(),
            district_id=node.district_id,
            street_id=node.street_id,
            **fields,
        )
        validate(building, "territory.building")
        building.save()
        audit_record(
            actor=actor,
            action="territory.building.created",
            obj=building,
            after=snapshot(building, sorted(BUILDING_FIELDS)),
        )
    return building


def building_update(*, actor, building: Building, version: int | None, **changes) -> Building:
    require_perm(actor, "territory.change_building", building)
    return versioned_update(
        actor=actor, obj=building, version=version, changes=changes, allowed=BUILDING_FIELDS, code="territory.building"
    )


def building_recompute_tier(building: Building) -> Building:
    result = compute_tier(building.tax_records.values_list("month", "amount"))
    Building.objects.filter(pk=building.pk).update(tier=result.tier, tier_year=result.year, annual_tax=result.annual)
    building.tier, building.tier_year, building.annual_tax = result.tier, result.year, result.annual
    return building


def tax_record_set(*, actor, building: Building, month: date, amount: Decimal) -> TaxRecord:
    """Record (or correct) a month's tax revenue; the building's tier follows."""
    require_perm(actor, "territory.change_taxrecord", building)
    if amount is None or Decimal(amount) < 0:
        raise DomainError("territory.taxrecord.amount.negative", _("Tax revenue cannot be negative."), field="amount")
    month = month.replace(day=1)
    with transaction.atomic():
        record = TaxRecord.objects.filter(building=building, month=month).first()
        before = {"amount": record.amount} if record else None
        if record is None:
            record = TaxRecord(building=building, month=month, amount=amount)
        else:
            record.amount = amount
        validate(record, "territory.taxrecord", exclude=["building"])
        record.save()
        building_recompute_tier(building)
        audit_record(
            actor=actor,
            action="territory.taxrecord.set",
            obj=building,
            before=before,
            after={"month": month, "amount": amount, "tier": building.tier},
        )
    return record


def grid_chief_assign(*, actor, node: Node, kind: str, person, replace: bool = False) -> GridChief:
    """Each grid has two chiefs: one committee convener and one full-time worker.

    Adding a chief to a filled post is refused (a grid never has a third chief);
    handing the post to someone else is an explicit ``replace``.
    """
    require_perm(actor, "territory.change_gridchief", node)
    with transaction.atomic():
        chief = GridChief.objects.select_for_update().filter(node=node, kind=kind).first()
        if chief is not None and not replace:
            raise DomainError(
                "territory.gridchief.too_many",
                _("This grid already has its two grid chiefs; replace one instead of adding a third."),
                field="kind",
            )
        before = {"person": chief.person_id} if chief else None
        if chief is None:
            chief = GridChief(node=node, kind=kind, person=person)
        else:
            chief.person = person
        validate(chief, "territory.gridchief", exclude=["node"])
        chief.save()
        audit_record(
            actor=actor,
            action="territory.gridchief.assigned",
            obj=node,
            before=before,
            after={"kind": kind, "person": person.pk},
        )
    return chief
