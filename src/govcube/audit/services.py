"""Writing and verifying the audit trail. Services call ``audit_record`` explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from govcube.audit.chain import GENESIS, event_hash, normalise
from govcube.audit.models import AuditChainHead, AuditEvent
from govcube.core.middleware import current_ip, current_request_id

SENSITIVE_KEYS = {"password", "key_hash", "secret", "token", "totp"}
MASKED_KEYS = {"mobile"}


def _clean(data: dict | None) -> dict | None:
    if data is None:
        return None
    from govcube.directory.validators import mask_mobile

    out = {}
    for key, value in data.items():
        if key in SENSITIVE_KEYS:
            out[key] = "***"
        elif key in MASKED_KEYS and isinstance(value, str):
            out[key] = mask_mobile(value)
        else:
            out[key] = value
    return normalise(out)


def _scope_of(obj) -> tuple[int | None, int | None]:
    """The territory an event belongs to: the object's own scope columns, or its body's."""
    if not hasattr(obj, "district_id") and getattr(obj, "body_id", None):
        obj = obj.body
    return getattr(obj, "district_id", None), getattr(obj, "street_id", None)


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    before: dict | None = None,
    after: dict | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    district_id, street_id = _scope_of(obj) if obj is not None else (None, None)
    fields = {
        "created": timezone.now().astimezone(UTC),
        "actor_id": getattr(actor, "pk", None),
        "actor_name": (getattr(actor, "username", "") or "")[:150],
        "action": action,
        "object_type": object_type or (obj._meta.label_lower if obj is not None else ""),
        "object_id": str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        "object_repr": (object_repr if object_repr is not None else (str(obj) if obj is not None else ""))[:200],
        "before": _clean(before),
        "after": _clean(after),
        "request_id": current_request_id.get(),
        "ip": current_ip.get(),
        "district_id": district_id,
        "street_id": street_id,
    }
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        fields["prev_hash"] = head.last_hash
        fields["hash"] = event_hash(head.last_hash, fields)
        event = AuditEvent(**fields)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_id=event.pk, last_hash=event.hash)
    return event


@dataclass
class VerifyResult:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(*, chunk_size: int = 2000) -> VerifyResult:
    """Recompute the chain; report edited rows, deleted rows and a truncated tail."""
    problems: list[str] = []
    prev = GENESIS
    checked = 0
    last_id = 0
    for event in AuditEvent.objects.order_by("id").values().iterator(chunk_size=chunk_size):
        checked += 1
        if event["prev_hash"] != prev:
            problems.append(
                f"event {event['id']}: previous hash does not match (a row before it was deleted or edited)"
            )
        if event_hash(event["prev_hash"], event) != event["hash"]:
            problems.append(f"event {event['id']}: content does not match its hash (edited)")
        prev = event["hash"]
        last_id = event["id"]
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != last_id or head.last_hash != prev):
        problems.append(f"chain head points at event {head.last_id} but the trail ends at {last_id} (rows removed)")
    return VerifyResult(checked, problems)
