"""Hashing of audit events: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64
HASHED_FIELDS = (
    "created",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_id",
    "ip",
    "district_id",
    "street_id",
)


def normalise(value):
    """The JSON form a value takes once stored, so hashing before and after saving agree."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def event_hash(prev_hash: str, fields: dict) -> str:
    payload = {name: fields.get(name) for name in HASHED_FIELDS}
    payload["created"] = fields["created"].isoformat(timespec="microseconds")
    text = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()
