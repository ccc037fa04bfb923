"""One upsert per kind: find the record by its key, compare, and call the existing service.

Every write goes through the territory / directory services, so validation, permission and
audit are the ones used everywhere. A row equal to what is stored writes nothing and leaves no
audit event (re-importing a file gives 0 created, 0 updated). The change permission is checked
for unchanged rows as well, so a file never confirms records outside the importer's reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.core.imports.specs import BUILDINGS, ENTERPRISES, PEOPLE, TENANCIES, RowSpec
from govcube.core.services import require_perm, validate
from govcube.directory import services as directory_services
from govcube.directory.models import Enterprise, Industry, Person, Tenancy
from govcube.territory import services as territory_services
from govcube.territory.models import Building, Node, TaxRecord

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


class RowError(Exception):
    """A problem with one row, attached to one of its columns (by field name) or to the whole row."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = str(message)


@dataclass
class Context:
    actor: object
    _industries: dict[str, Industry] | None = field(default=None, repr=False)

    def industry(self, code: str) -> Industry | None:
        if self._industries is None:
            self._industries = {industry.code: industry for industry in Industry.objects.all()}
        return self._industries.get(code.strip().upper())


def _differs(old, new) -> bool:
    return old != new


def _changes(obj, values: dict, names: set[str]) -> dict:
    return {name: values[name] for name in sorted(names) if _differs(getattr(obj, name), values[name])}


def _require(ctx: Context, permission: str, obj, field_name: str, *, new: bool) -> None:
    if not ctx.actor.has_perm(permission, obj):
        message = (
            _("You do not have permission to add records under this territory node.")
            if new
            else _("You do not have permission to change this record: it lies outside your part of the territory.")
        )
        raise RowError(field_name, message)


def _node(code: str, field_name: str) -> Node:
    node = Node.objects.filter(code=code).first()
    if node is None:
        raise RowError(field_name, _("No territory node has this code."))
    return node


def _enterprise(uscc: str, field_name: str) -> Enterprise:
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        raise RowError(field_name, _("No enterprise has this credit code; import the enterprise first."))
    return enterprise


class Handler:
    spec: RowSpec
    key_field: str

    def key(self, values: dict) -> tuple:
        """Rows of one file with the same key are refused (the later one is reported)."""
        return (values[self.key_field],)

    def consistency(self, values: dict) -> tuple | None:
        """Rows that may share an object must agree on it: (object key, the values that must agree)."""
        return None

    def check(self, values: dict, present: frozenset[str]) -> None:
        """Checks across columns that need no database."""

    def apply(self, ctx: Context, values: dict, present: frozenset[str]) -> str:
        raise NotImplementedError


BUILDING_VALUE_FIELDS = ("name", "name_en", "address", "latitude", "longitude", "floors", "floor_area", "is_key")


class BuildingHandler(Handler):
    spec = BUILDINGS
    key_field = "code"

    def key(self, values: dict) -> tuple:
        return (values["code"], values.get("tax_month"))

    def consistency(self, values: dict) -> tuple:
        return values["code"], (values["parent_code"], *(values.get(name) for name in BUILDING_VALUE_FIELDS))

    def check(self, values: dict, present: frozenset[str]) -> None:
        has_month = values.get("tax_month") is not None
        has_amount = values.get("tax_amount") is not None
        if has_month and not has_amount:
            raise RowError("tax_amount", _("Give the tax revenue together with the tax month."))
        if has_amount and not has_month:
            raise RowError("tax_month", _("Give the tax month together with the tax revenue."))

    def apply(self, ctx: Context, values: dict, present: frozenset[str]) -> str:
        parent = _node(values["parent_code"], "parent_code")
        fields = {name: values[name] for name in BUILDING_VALUE_FIELDS if name in present}
        node = Node.objects.filter(code=values["code"]).first()
        if node is None:
            _require(ctx, "territory.change_building", parent, "parent_code", new=True)
            name, address = fields.pop("name"), fields.pop("address")
            building = territory_services.building_create(
                actor=ctx.actor, parent=parent, name=name, code=values["code"], address=address, **fields
            )
            outcome = CREATED
        else:
            building = Building.objects.filter(node=node).first()
            if building is None:
                raise RowError("code", _("This code belongs to a territory node that is not a building."))
            if node.path[: -Node.steplen] != parent.path:
                actual = Node.objects.filter(path=node.path[: -Node.steplen]).values_list("code", flat=True).first()
                raise RowError(
                    "parent_code",
                    _("The building belongs to %(code)s; a building cannot be moved by import.") % {"code": actual},
                )
            _require(ctx, "territory.change_building", building, "code", new=False)
            changes = _changes(building, fields, set(fields))
            if changes:
                building = territory_services.building_update(
                    actor=ctx.actor, building=building, version=building.version, **changes
                )
            outcome = UPDATED if changes else UNCHANGED
        if values.get("tax_month") is not None and self._set_tax(ctx, building, values):
            outcome = CREATED if outcome == CREATED else UPDATED
        return outcome

    @staticmethod
    def _set_tax(ctx: Context, building: Building, values: dict) -> bool:
        month, amount = values["tax_month"], values["tax_amount"]
        current = TaxRecord.objects.filter(building=building, month=month).values_list("amount", flat=True).first()
        if current is not None and current == amount:
            return False
        _require(ctx, "territory.change_taxrecord", building, "code", new=False)
        territory_services.tax_record_set(actor=ctx.actor, building=building, month=month, amount=amount)
        return True


ENTERPRISE_VALUE_FIELDS = ("name", "headcount", "party_member_count", "is_global_service_provider", "is_key_enterprise")


class EnterpriseHandler(Handler):
    spec = ENTERPRISES
    key_field = "uscc"

    def apply(self, ctx: Context, values: dict, present: frozenset[str]) -> str:
        industry = ctx.industry(values["industry"])
        if industry is None:
            raise RowError("industry", _("Unknown industry code (GB/T 4754)."))
        fields = {name: values[name] for name in ENTERPRISE_VALUE_FIELDS if name in present}
        enterprise = Enterprise.objects.filter(uscc=values["uscc"]).first()
        if enterprise is None:
            if not values.get("node_code"):
                raise RowError("node_code", _("A new enterprise needs the code of the territory node it belongs to."))
            node = _node(values["node_code"], "node_code")
            _require(ctx, "directory.change_enterprise", node, "node_code", new=True)
            self._check_party_members(fields.get("headcount", 0), fields.get("party_member_count", 0))
            name = fields.pop("name")
            directory_services.enterprise_create(
                actor=ctx.actor, node=node, uscc=values["uscc"], name=name, industry=industry, **fields
            )
            return CREATED
        _require(ctx, "directory.change_enterprise", enterprise, "uscc", new=False)
        changes = _changes(enterprise, fields, set(fields))
        if enterprise.industry_id != industry.pk:
            changes["industry"] = industry
        self._check_party_members(
            changes.get("headcount", enterprise.headcount),
            changes.get("party_member_count", enterprise.party_member_count),
        )
        if not changes:
            return UNCHANGED
        directory_services.enterprise_update(
            actor=ctx.actor, enterprise=enterprise, version=enterprise.version, **changes
        )
        return UPDATED

    @staticmethod
    def _check_party_members(headcount: int, party_members: int) -> None:
        if party_members > headcount:
            raise RowError(
                "party_member_count",
                _("There cannot be more party members (%(party)d) than the headcount (%(headcount)d).")
                % {"party": party_members, "headcount": headcount},
            )


def tenancy_end_change(*, actor, tenancy: Tenancy, end: date | None) -> Tenancy:
    """Set or clear a tenancy's end date (the directory only has ``tenancy_end``, which cannot clear it).

    Setting a date delegates to ``directory.services.tenancy_end``; clearing it (the enterprise
    is still there after all) is validated, permission-checked and audited here as
    ``directory.tenancy.reopened``, and the enterprise's place follows a tenancy that is current again.
    """
    if end is not None:
        return directory_services.tenancy_end(actor=actor, tenancy=tenancy, end=end)
    require_perm(actor, "directory.change_tenancy", tenancy.building)
    with transaction.atomic():
        tenancy = Tenancy.objects.select_for_update().select_related("building", "enterprise").get(pk=tenancy.pk)
        before = {"end": tenancy.end}
        tenancy.end = None
        validate(tenancy, "directory.tenancy")
        tenancy.save(update_fields=["end", "modified"])
        if tenancy.is_current():
            building = tenancy.building
            Enterprise.objects.filter(pk=tenancy.enterprise_id).update(
                node=building.node_id, district=building.district_id, street=building.street_id
            )
        audit_record(
            actor=actor,
            action="directory.tenancy.reopened",
            obj=tenancy.building,
            before=before,
            after={"end": None, "enterprise": tenancy.enterprise_id},
        )
    return tenancy


class TenancyHandler(Handler):
    spec = TENANCIES
    key_field = "uscc"

    def key(self, values: dict) -> tuple:
        return (values["uscc"], values["building_code"], values["floor"], values["start"])

    def check(self, values: dict, present: frozenset[str]) -> None:
        if values.get("end") is not None and values["end"] < values["start"]:
            raise RowError("end", _("The end date cannot be before the start date."))

    def apply(self, ctx: Context, values: dict, present: frozenset[str]) -> str:
        enterprise = _enterprise(values["uscc"], "uscc")
        building = Building.objects.select_related("node").filter(node__code=values["building_code"]).first()
        if building is None:
            raise RowError("building_code", _("No building has this code."))
        tenancy = Tenancy.objects.filter(
            enterprise=enterprise, building=building, floor=values["floor"], start=values["start"]
        ).first()
        if tenancy is None:
            _require(ctx, "directory.change_tenancy", building, "building_code", new=True)
            directory_services.tenancy_create(
                actor=ctx.actor,
                enterprise=enterprise,
                building=building,
                floor=values["floor"],
                start=values["start"],
                end=values.get("end"),
            )
            return CREATED
        _require(ctx, "directory.change_tenancy", building, "building_code", new=False)
        if "end" not in present or tenancy.end == values["end"]:
            return UNCHANGED
        tenancy_end_change(actor=ctx.actor, tenancy=tenancy, end=values["end"])
        return UPDATED


PERSON_VALUE_FIELDS = ("name", "email", "is_party_member")


class PersonHandler(Handler):
    spec = PEOPLE
    key_field = "mobile"

    def apply(self, ctx: Context, values: dict, present: frozenset[str]) -> str:
        fields = {name: values[name] for name in PERSON_VALUE_FIELDS if name in present}
        employer = None
        if values.get("employer"):
            employer = _enterprise(values["employer"], "employer")
        person = Person.objects.filter(mobile=values["mobile"]).first()
        if person is None:
            if not values.get("node_code"):
                raise RowError("node_code", _("A new person needs the code of the territory node they belong to."))
            node = _node(values["node_code"], "node_code")
            _require(ctx, "directory.change_person", node, "node_code", new=True)
            if "employer" in present:
                fields["employer"] = employer
            name = fields.pop("name")
            directory_services.person_create(actor=ctx.actor, node=node, name=name, mobile=values["mobile"], **fields)
            return CREATED
        _require(ctx, "directory.change_person", person, "mobile", new=False)
        changes = _changes(person, fields, set(fields))
        if "employer" in present and person.employer_id != (employer.pk if employer else None):
            changes["employer"] = employer
        if not changes:
            return UNCHANGED
        directory_services.person_update(actor=ctx.actor, person=person, version=person.version, **changes)
        return UPDATED


HANDLERS: dict[str, Handler] = {
    handler.spec.kind: handler
    for handler in (BuildingHandler(), EnterpriseHandler(), TenancyHandler(), PersonHandler())
}

__all__ = ["CREATED", "HANDLERS", "UNCHANGED", "UPDATED", "Context", "RowError", "tenancy_end_change"]
