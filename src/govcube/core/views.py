from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from govcube.core import access, health


@access.login
def home(request):
    """The desk: what waits for this user, then their places."""
    from govcube.accounts.permissions import active_assignments
    from govcube.core.desk import panels_for
    from govcube.notifications.selectors import inbox_unread_count

    assignments = active_assignments(request.user)
    return render(
        request,
        "core/home.html",
        {
            "assignments": assignments,
            "unread": inbox_unread_count(user=request.user),
            "panels": panels_for(request.user),
        },
    )


@access.public
def healthz(request):
    results = health.run_all()
    ok = all(check.ok for check in results.values())
    body = {
        "status": "ok" if ok else "fail",
        "checks": {name: {"ok": c.ok, "warning": c.warning, "detail": c.detail} for name, c in results.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)
