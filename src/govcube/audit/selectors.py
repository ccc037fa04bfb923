from __future__ import annotations

from django.db.models import Q, QuerySet

from govcube.accounts.permissions import scope_for
from govcube.audit.models import AuditEvent


def audit_event_list(
    *, user, action: str = "", actor: str = "", object_type: str = "", object_id: str = ""
) -> QuerySet[AuditEvent]:
    """Audit events for auditors of a district (or the city): their territory plus deployment-wide events."""
    scope = scope_for(user, "audit.view_auditevent")
    qs = AuditEvent.objects.all()
    if not scope.everything:
        if not (scope.district_ids or scope.street_ids):
            return qs.none()
        qs = qs.filter(
            Q(district_id__in=sorted(scope.district_ids))
            | Q(street_id__in=sorted(scope.street_ids))
            | Q(district_id__isnull=True)
        )
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-id")
