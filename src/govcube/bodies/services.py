"""Writes of governance bodies and their membership."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.bodies.models import DEFAULT_MECHANISMS, Body, BodyKind, BodyMember, MajorityRule, Mechanism
from govcube.bodies.permissions import forget_body_roles
from govcube.core.errors import DomainError
from govcube.core.services import require_perm, snapshot, validate, versioned_update

BODY_FIELDS = {"name", "description", "quorum", "majority_rule", "mechanisms", "is_active", "parent"}


def _check_mechanisms(mechanisms) -> list[str]:
    unknown = [m for m in mechanisms if m not in Mechanism.values]
    if unknown:
        raise DomainError("bodies.body.mechanisms.unknown", _("Unknown mechanism."), field="mechanisms")
    return sorted(set(mechanisms))


def body_create(
    *,
    actor,
    node,
    name: str,
    kind: str,
    buildings=(),
    parent: Body | None = None,
    description: str = "",
    quorum: Decimal = Decimal("0.50"),
    majority_rule: str = MajorityRule.SIMPLE,
    mechanisms: list[str] | None = None,
) -> Body:
    """A street (or district) official sets up a body on a territory node, covering some buildings."""
    require_perm(actor, "bodies.change_body", node)
    if kind not in BodyKind.values:
        raise DomainError("bodies.body.kind.unknown", _("Unknown kind of body."), field="kind")
    buildings = list(buildings)
    outside = [b for b in buildings if not b.node.path.startswith(node.path)]
    if outside:
        raise DomainError(
            "bodies.body.buildings.outside",
            _("A body covers buildings under its own place in the territory."),
            field="buildings",
        )
    body = Body(
        name=(name or "").strip(),
        kind=kind,
        parent=parent,
        description=description,
        quorum=quorum,
        majority_rule=majority_rule,
        mechanisms=_check_mechanisms(mechanisms if mechanisms is not None else DEFAULT_MECHANISMS[kind]),
    )
    body.set_scope(node)
    validate(body, "bodies.body")
    with transaction.atomic():
        body.save()
        body.buildings.set(buildings)
        audit_record(
            actor=actor,
            action="bodies.body.created",
            obj=body,
            after=snapshot(body, ["name", "kind", "quorum", "majority_rule", "mechanisms"])
            | {"buildings": [b.pk for b in buildings]},
        )
    return body


def body_update(*, actor, body: Body, version: int | None, **changes) -> Body:
    require_perm(actor, "bodies.change_body", body)
    if "mechanisms" in changes:
        changes["mechanisms"] = _check_mechanisms(changes["mechanisms"])
    return versioned_update(
        actor=actor, obj=body, version=version, changes=changes, allowed=BODY_FIELDS, code="bodies.body"
    )


def body_member_add(
    *,
    actor,
    body: Body,
    role: str,
    person=None,
    enterprise=None,
    party_organisation=None,
    start: date | None = None,
    end: date | None = None,
) -> BodyMember:
    require_perm(actor, "bodies.change_body", body)
    member = BodyMember(
        body=body,
        role=role,
        person=person,
        enterprise=enterprise,
        party_organisation=party_organisation,
        start=start or timezone.localdate(),
        end=end,
    )
    validate(member, "bodies.member")
    who = {"person": person, "enterprise": enterprise, "party_organisation": party_organisation}
    duplicate = BodyMember.objects.active(member.start).filter(
        body=body, **{k: v for k, v in who.items() if v is not None}
    )
    if duplicate.exists():
        raise DomainError("bodies.member.duplicate", _("Already a member of this body."), field="person")
    with transaction.atomic():
        member.save()
        audit_record(
            actor=actor,
            action="bodies.member.added",
            obj=body,
            after={"member": member.pk, "role": role, "name": member.member_name},
        )
    _forget_roles_of(person)
    return member


def body_member_end(*, actor, member: BodyMember, end: date | None = None) -> BodyMember:
    require_perm(actor, "bodies.change_body", member.body)
    end = end or timezone.localdate()
    if end < member.start:
        raise DomainError(
            "bodies.member.end.before_start", _("The end of the term cannot be before its start."), field="end"
        )
    with transaction.atomic():
        member.end = end
        member.save(update_fields=["end", "modified"])
        audit_record(
            actor=actor, action="bodies.member.ended", obj=member.body, after={"member": member.pk, "end": end}
        )
    _forget_roles_of(member.person)
    return member


def _forget_roles_of(person) -> None:
    user = getattr(person, "user", None) if person is not None else None
    if user is not None:
        forget_body_roles(user)
