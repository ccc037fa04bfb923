"""The inbox and the notification settings page (thin: selectors read, services write)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govcube.core import access
from govcube.core.errors import DomainError
from govcube.core.listing import page_number, paginate
from govcube.notifications import services
from govcube.notifications.forms import PreferenceForm
from govcube.notifications.messages import render as render_message
from govcube.notifications.selectors import inbox, inbox_get, inbox_unread_count, saved_email_mode


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _with_text(request, notifications) -> list:
    """Render each notification in the viewer's current language; keep only links safe to follow."""
    language = translation.get_language()
    for notification in notifications:
        notification.subject, notification.body = render_message(notification, language)
        url = notification.url
        safe = url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        notification.link = url if safe else ""
    return notifications


def _inbox_context(request) -> dict:
    page = paginate(request, inbox(user=request.user))
    _with_text(request, page.rows)
    return {"page": page, "unread": inbox_unread_count(user=request.user)}


def _back_to_inbox(request):
    number = page_number(request.GET.get("page"))
    url = reverse("notifications:inbox")
    return redirect(f"{url}?page={number}" if number > 1 else url)


@access.login
def inbox_view(request):
    return render(request, "notifications/inbox.html", _inbox_context(request))


@access.login
@require_POST
def mark_read(request, pk: int):
    notification = inbox_get(user=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if _is_htmx(request):
        _with_text(request, [notification])
        context = {"n": notification, "unread": inbox_unread_count(user=request.user), "oob": True}
        return render(request, "notifications/partials/notification.html", context)
    return _back_to_inbox(request)


@access.login
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(actor=request.user)
    if _is_htmx(request):
        return render(request, "notifications/partials/list.html", {**_inbox_context(request), "oob": True})
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return _back_to_inbox(request)


@access.login
def preferences(request):
    status = 200
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.notification_preference_set(
                    actor=request.user, user=request.user, email_mode=form.cleaned_data["email_mode"]
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Your notification settings were saved."))
                return redirect("notifications:preferences")
        status = 400
    else:
        form = PreferenceForm(initial={"email_mode": saved_email_mode(request.user)})
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=status,
    )
