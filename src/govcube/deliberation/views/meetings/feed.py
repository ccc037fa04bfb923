"""The iCalendar feed of a body's meetings (RFC 5545, written by hand: no dependency)."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone

from govcube.bodies.selectors import body_get
from govcube.core import access
from govcube.deliberation import selectors
from govcube.deliberation.models import MeetingStatus

FEED_LIMIT = 500
FEED_PAST_DAYS = 90


def ics_escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks; other control characters dropped."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return "".join(ch for ch in text if ch >= " " or ch == "\t")


def ics_fold(line: str, limit: int = 75) -> str:
    """Fold a content line so no physical line exceeds 75 octets, never splitting a UTF-8 character."""
    parts, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += ch
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def ics_datetime(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_calendar(*, name: str, events: list[dict]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//GovCube//Meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
    ]
    stamp = ics_datetime(timezone.now())
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{ics_datetime(event['start'])}",
            f"DTEND:{ics_datetime(event['end'])}",
            f"SEQUENCE:{event['sequence']}",
            f"SUMMARY:{ics_escape(event['summary'])}",
            f"LOCATION:{ics_escape(event['location'])}",
            f"DESCRIPTION:{ics_escape(event['description'])}",
            f"STATUS:{event['status']}",
            f"URL:{event['url']}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


FEED_SALT = "govcube.deliberation.meeting_feed"


def feed_token(user, body) -> str:
    """A personal subscription token for a body's feed: calendar apps cannot sign in, so the URL
    carries who asks. It reads only what that user may read, and stops working when the account is
    deactivated or loses access to the body."""
    return signing.dumps({"u": user.pk, "b": body.pk}, salt=FEED_SALT, compress=True)


def _feed_user(request, body_id: int):
    token = request.GET.get("token", "")
    if not token:
        return request.user if request.user.is_authenticated else None
    try:
        data = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        raise Http404 from None
    if data.get("b") != body_id:
        raise Http404
    from govcube.accounts.models import User

    user = User.objects.filter(pk=data.get("u"), is_active=True).select_related("person").first()
    if user is None:
        raise Http404
    return user


@access.public  # a session, or a signed personal token (?token=…) for calendar apps; otherwise sign in
def meeting_feed(request, body_id: int):
    """Scheduled, running, ended and cancelled meetings of a body: the last 90 days and the future."""
    user = _feed_user(request, body_id)
    if user is None:
        return redirect_to_login(request.get_full_path())
    body = body_get(user=user, pk=body_id)
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    meetings = (
        selectors.meeting_list(user=user, body=body)
        .exclude(status=MeetingStatus.DRAFT)
        .filter(starts_at__gte=since)
        .select_related("body")
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )
    events = [
        {
            "uid": f"meeting-{m.pk}@govcube",
            "start": m.starts_at,
            "end": m.ends_at,
            "sequence": m.version,
            "summary": m.title,
            "location": m.place,
            "description": f"{m.body.name} · {m.get_kind_display()}",
            "status": "CANCELLED" if m.status == MeetingStatus.CANCELLED else "CONFIRMED",
            "url": request.build_absolute_uri(reverse("deliberation:meeting_detail", args=[m.pk])),
        }
        for m in meetings
    ]
    response = HttpResponse(
        ics_calendar(name=body.name, events=events).encode("utf-8"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="meetings-{body.pk}.ics"'
    return response
