"""Writes to the directory: every one validated, permission-checked and audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.core.errors import DomainError
from govcube.core.services import require_perm, snapshot, validate, versioned_update
from govcube.directory.models import Enterprise, Industry, PartyOrganisation, Person, Tenancy
from govcube.directory.validators import normalise_uscc

ENTERPRISE_FIELDS = {
    "name",
    "industry",
    "headcount",
    "party_member_count",
    "is_global_service_provider",
    "is_key_enterprise",
}
PERSON_FIELDS = {"name", "mobile", "email", "employer", "is_party_member", "party_organisation"}
PARTY_ORG_FIELDS = {"name", "kind", "parent", "member_count"}


def industry_resolve(code: str) -> Industry:
    industry = Industry.objects.filter(pk=(code or "").strip().upper()).first()
    if industry is None:
        raise DomainError(
            "directory.enterprise.industry.unknown", _("Unknown industry code (GB/T 4754)."), field="industry"
        )
    return industry


def enterprise_create(*, actor, node, uscc: str, name: str, industry: Industry | str, **fields) -> Enterprise:
    """Register an enterprise on a territory node (usually the building grid of its main tenancy)."""
    require_perm(actor, "directory.change_enterprise", node)
    if isinstance(industry, str):
        industry = industry_resolve(industry)
    unknown = set(fields) - ENTERPRISE_FIELDS
    if unknown:
        raise DomainError("directory.enterprise.unknown_field", _("Unknown field."), field=sorted(unknown)[0])
    enterprise = Enterprise(uscc=normalise_uscc(uscc), name=(name or "").strip(), industry=industry, **fields)
    enterprise.set_scope(node)
    validate(enterprise, "directory.enterprise")
    with transaction.atomic():
        enterprise.save()
        audit_record(actor=actor, action="directory.enterprise.created", obj=enterprise, after=snapshot(enterprise))
    return enterprise


def enterprise_update(*, actor, enterprise: Enterprise, version: int | None, **changes) -> Enterprise:
    require_perm(actor, "directory.change_enterprise", enterprise)
    if isinstance(changes.get("industry"), str):
        changes["industry"] = industry_resolve(changes["industry"])
    return versioned_update(
        actor=actor,
        obj=enterprise,
        version=version,
        changes=changes,
        allowed=ENTERPRISE_FIELDS,
        code="directory.enterprise",
    )


def tenancy_create(
    *, actor, enterprise: Enterprise, building, floor: str, start: date, end: date | None = None
) -> Tenancy:
    """An enterprise moves into a building; its scope follows its newest current tenancy."""
    require_perm(actor, "directory.change_tenancy", building)
    if end is not None and start is not None and end < start:
        raise DomainError(
            "directory.tenancy.end.before_start", _("The end date cannot be before the start date."), field="end"
        )
    tenancy = Tenancy(enterprise=enterprise, building=building, floor=(floor or "").strip(), start=start, end=end)
    validate(tenancy, "directory.tenancy")
    with transaction.atomic():
        tenancy.save()
        if tenancy.is_current():
            enterprise.set_scope(building.node)
            Enterprise.objects.filter(pk=enterprise.pk).update(
                node=building.node, district=building.district_id, street=building.street_id
            )
        audit_record(
            actor=actor,
            action="directory.tenancy.created",
            obj=building,
            after={"enterprise": enterprise.pk, "floor": tenancy.floor, "start": start, "end": end},
        )
    return tenancy


def tenancy_end(*, actor, tenancy: Tenancy, end: date) -> Tenancy:
    require_perm(actor, "directory.change_tenancy", tenancy.building)
    if end < tenancy.start:
        raise DomainError(
            "directory.tenancy.end.before_start", _("The end date cannot be before the start date."), field="end"
        )
    with transaction.atomic():
        before = {"end": tenancy.end}
        tenancy.end = end
        tenancy.save(update_fields=["end", "modified"])
        audit_record(
            actor=actor,
            action="directory.tenancy.ended",
            obj=tenancy.building,
            before=before,
            after={"end": end, "enterprise": tenancy.enterprise_id},
        )
    return tenancy


def party_organisation_create(
    *,
    actor,
    node,
    name: str,
    kind: str,
    parent: PartyOrganisation | None = None,
    member_count: int = 0,
    enterprises=(),
    buildings=(),
) -> PartyOrganisation:
    require_perm(actor, "directory.change_partyorganisation", node)
    org = PartyOrganisation(name=(name or "").strip(), kind=kind, parent=parent, member_count=member_count)
    org.set_scope(node)
    validate(org, "directory.partyorganisation")
    with transaction.atomic():
        org.save()
        org.enterprises.set(enterprises)
        org.buildings.set(buildings)
        audit_record(actor=actor, action="directory.partyorganisation.created", obj=org, after=snapshot(org))
    return org


def person_create(*, actor, node, name: str, mobile: str = "", **fields) -> Person:
    require_perm(actor, "directory.change_person", node)
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise DomainError("directory.person.unknown_field", _("Unknown field."), field=sorted(unknown)[0])
    person = Person(name=(name or "").strip(), mobile=(mobile or "").strip(), **fields)
    person.set_scope(node)
    validate(person, "directory.person")
    with transaction.atomic():
        person.save()
        audit_record(actor=actor, action="directory.person.created", obj=person, after=snapshot(person))
    return person


def person_update(*, actor, person: Person, version: int | None, **changes) -> Person:
    require_perm(actor, "directory.change_person", person)
    return versioned_update(
        actor=actor, obj=person, version=version, changes=changes, allowed=PERSON_FIELDS, code="directory.person"
    )


def person_record_viewed(*, actor, person: Person) -> None:
    """Every view of a full personal record is audited."""
    audit_record(actor=actor, action="directory.person.viewed", obj=person)
