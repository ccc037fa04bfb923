"""What the work pages share: htmx detection, service errors under their field, the identities a user
claims and offers as, deadlines as time left."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from govcube.core import errors as domain
from govcube.directory.models import Enterprise, PartyOrganisation
from govcube.work.permissions import contact_enterprises, party_organisations_of

MAX_BODY_CHOICES = 100
MAX_BUILDING_CHOICES = 500
ENTERPRISE, ORGANISATION = "enterprise", "party_organisation"


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def form_error(form, exc: domain.DomainError) -> int:
    """Show a service's error under its field (or above the form) and answer its status; a refusal is a 403."""
    if isinstance(exc, domain.PermissionDenied):
        raise PermissionDenied(exc.message)
    field = exc.field if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden else None
    form.add_error(field, exc.message)
    return exc.status


def int_or_none(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def due_at(day: date | None) -> datetime | None:
    """The end of a due day, as the deadline ``{% time_left %}`` counts down to."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def identities(user) -> list[tuple[str, object]]:
    """The enterprises (as their contact) and party organisations (as an office holder) the user speaks
    for: ``[("enterprise:12", enterprise), ("party_organisation:3", organisation), …]`` (two queries)."""
    rows: list[tuple[str, object]] = []
    enterprises, organisations = sorted(contact_enterprises(user)), sorted(party_organisations_of(user))
    if enterprises:
        rows += [(f"{ENTERPRISE}:{e.pk}", e) for e in Enterprise.objects.filter(pk__in=enterprises).order_by("name")]
    if organisations:
        rows += [
            (f"{ORGANISATION}:{o.pk}", o)
            for o in PartyOrganisation.objects.filter(pk__in=organisations).order_by("name")
        ]
    return rows


def identity_kwargs(choice: str, known: list[tuple[str, object]]) -> dict:
    """``{"enterprise": …}`` or ``{"party_organisation": …}`` for a chosen identity (one of ``known``)."""
    for key, obj in known:
        if key == choice:
            kind = key.split(":", 1)[0]
            return {"enterprise": obj} if kind == ENTERPRISE else {"party_organisation": obj}
    return {}


def source_url(need) -> str:
    """Where a need came from (a topic, a visit, a petition, a decision's meeting), if it has a page."""
    if not need.source_id:
        return ""
    names = {
        "deliberation.topic": "deliberation:topic_detail",
        "engagement.visit": "engagement:visit_detail",
        "engagement.petition": "engagement:petition_detail",
    }
    try:
        if need.source_type in names:
            return reverse(names[need.source_type], args=[int(need.source_id)])
        if need.source_type == "deliberation.decision":
            from govcube.deliberation.models import Decision

            meeting_id = (
                Decision.objects.filter(pk=int(need.source_id)).values_list("item__meeting_id", flat=True).first()
            )
            return reverse("deliberation:meeting_detail", args=[meeting_id]) if meeting_id else ""
    except (NoReverseMatch, ValueError):
        return ""
    return ""
