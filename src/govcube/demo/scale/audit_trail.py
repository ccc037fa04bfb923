"""The audit trail of a generated district: its objects' events in time order, hash-chained
exactly as ``audit.services.audit_record`` chains them, continuing the chain already stored."""

from __future__ import annotations

import random
from datetime import UTC

from govcube.audit.chain import GENESIS, event_hash
from govcube.audit.models import AuditChainHead, AuditEvent
from govcube.demo.scale.activity import Events
from govcube.demo.scale.world import Context, DistrictWorld

COLUMNS = [
    "id", "created", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr", "before",
    "after", "request_id", "ip", "district_id", "street_id", "prev_hash", "hash",
]  # fmt: skip


class Chain:
    """Where the stored chain ends; ``write`` appends to it and ``close`` moves the head."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        head = AuditChainHead.objects.filter(pk=1).first()
        last = AuditEvent.objects.order_by("-id").values("id", "hash").first()
        self.last_hash = last["hash"] if last else (head.last_hash if head else GENESIS)
        self.last_id = last["id"] if last else 0
        self.written = 0

    def write(self, d: DistrictWorld, events: Events) -> None:
        """Trim (or pad with sign-ins) to the scale's count, sort by time, chain and write."""
        ctx, sink = self.ctx, self.ctx.sink
        target = ctx.scale.audit_events
        rows = events.rows
        rng = ctx.rng("audit", d.index)
        if len(rows) > target:
            rows = rng.sample(rows, target)
        users = [*d.officials, *(c for cadres in d.cadres.values() for c in cadres)]
        while len(rows) < target:
            actor = users[rng.randrange(len(users))]
            at = ctx.moment(ctx.scale.days * rng.random(), rng)
            rows.append(
                (
                    at,
                    "accounts.login",
                    "accounts.user",
                    str(actor[0]),
                    actor[1],
                    actor[0],
                    actor[1],
                    d.node_id,
                    None,
                    None,
                )
            )
        rows.sort(key=lambda r: r[0])
        events.rows = []
        first = sink.ids(AuditEvent, len(rows))
        prev = self.last_hash
        sink.progress.start(f"audit trail {d.short}", len(rows))
        with sink.table(AuditEvent, COLUMNS) as put:
            for n, (
                created,
                action,
                otype,
                oid,
                orepr,
                actor_id,
                actor_name,
                district_id,
                street_id,
                after,
            ) in enumerate(rows):
                created = created.astimezone(UTC)
                fields = {
                    "created": created, "actor_id": actor_id, "actor_name": actor_name, "action": action,
                    "object_type": otype, "object_id": oid, "object_repr": orepr, "before": None, "after": after,
                    "request_id": "", "ip": None, "district_id": district_id, "street_id": street_id,
                }  # fmt: skip
                digest = event_hash(prev, fields)
                put((first + n, created, actor_id, actor_name, action, otype, oid, orepr, None, after, "", None,
                     district_id, street_id, prev, digest))  # fmt: skip
                prev = digest
        sink.progress.finish()
        self.last_hash, self.last_id = prev, first + len(rows) - 1
        self.written += len(rows)

    def close(self) -> None:
        if self.written:
            AuditChainHead.objects.update_or_create(
                pk=1, defaults={"last_id": self.last_id, "last_hash": self.last_hash}
            )


__all__ = ["Chain", "random"]
