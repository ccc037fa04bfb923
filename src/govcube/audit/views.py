from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from govcube.audit.selectors import audit_event_list
from govcube.core import access
from govcube.core.listing import paginate, xlsx_response

COLUMNS = [
    (_("Time"), lambda e: e.created.isoformat(timespec="seconds")),
    (_("Actor"), lambda e: e.actor_name),
    (_("Action"), lambda e: e.action),
    (_("Object"), lambda e: f"{e.object_type}#{e.object_id} {e.object_repr}"),
    (_("IP address"), lambda e: e.ip),
    (_("Request id"), lambda e: e.request_id),
]


@access.permission("audit.view_auditevent")
def event_list(request):
    qs = audit_event_list(
        user=request.user,
        action=request.GET.get("action", "").strip(),
        actor=request.GET.get("actor", "").strip(),
        object_type=request.GET.get("object_type", "").strip(),
        object_id=request.GET.get("object_id", "").strip(),
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(filename="audit", columns=COLUMNS, rows=qs.iterator(chunk_size=1000))
    return render(request, "audit/event_list.html", {"page": paginate(request, qs, per_page=50)})
