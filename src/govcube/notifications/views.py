from __future__ import annotations

from django.shortcuts import render

from govcube.core import access
from govcube.core.listing import paginate
from govcube.notifications.selectors import inbox


@access.login
def inbox_view(request):
    return render(request, "notifications/inbox.html", {"page": paginate(request, inbox(user=request.user))})


@access.login
def preferences(request):
    return render(request, "notifications/preferences.html", {})
