"""Hashing of audit events: each event's hash covers its content and the previous hash.

The hash is an HMAC with the SM3 hash (GB/T 32905, as MLPS level 3 expects of Chinese
deployments), keyed with ``settings.AUDIT_HMAC_KEY``: without the key nobody can forge a
consistent chain after editing or deleting rows, not even with database access.
"""

from __future__ import annotations

import json
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, hmac
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


@lru_cache(maxsize=4)
def _keyed(key: str) -> hmac.HMAC:
    return hmac.HMAC(key.encode(), hashes.SM3())


def event_hash(prev_hash: str, fields: dict) -> str:
    from django.conf import settings

    payload = {name: fields.get(name) for name in HASHED_FIELDS}
    payload["created"] = fields["created"].isoformat(timespec="microseconds")
    text = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    mac = _keyed(settings.AUDIT_HMAC_KEY).copy()
    mac.update(text.encode())
    return mac.finalize().hex()
