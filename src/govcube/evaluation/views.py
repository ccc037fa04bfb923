"""Pages of supervision and evaluation: rating a delivered item (the panel), evaluation rounds."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from govcube.bodies.selectors import body_covers_person, body_list
from govcube.core import access
from govcube.core import errors as domain
from govcube.evaluation import services
from govcube.evaluation.models import RatedKind
from govcube.evaluation.selectors import my_rating, rating_summary


def _person(user):
    return user.person if getattr(user, "is_authenticated", False) and user.person_id else None


def rating_panel_context(request, item, *, error: str = "") -> dict:
    """What the rating panel shows this user (three small queries)."""
    from django.urls import reverse

    kind = services.kind_of(item)
    person = _person(request.user)
    mine = my_rating(kind, item.pk, person)
    rateable = services.is_rateable(item)
    return {
        "request": request,
        "summary": rating_summary(kind, item.pk),
        "mine": mine,
        "can_rate": rateable and mine is None and person is not None and body_covers_person(item.body, person),
        "waiting": not rateable,
        "error": error,
        "scores": range(1, 6),
        "url": reverse("evaluation:rate", args=[kind, item.pk]),
    }


def _visible_item(user, kind: str, pk: int):
    """The rated item, if the user can see its body (else 404)."""
    if kind not in RatedKind.values:
        raise Http404
    item = services.rated_item(kind, pk)
    if item is None:
        raise Http404
    get_object_or_404(body_list(user=user), pk=item.body_id)
    return item


@access.login
@require_POST
def rate(request, kind: str, pk: int):
    item = _visible_item(request.user, kind, pk)
    error, status = "", 200
    try:
        score = int(request.POST.get("score", ""))
    except ValueError:
        score = 0
    try:
        services.rating_submit(actor=request.user, item=item, score=score, comment=request.POST.get("comment", ""))
    except domain.DomainError as exc:
        error, status = exc.message, exc.status
    if request.headers.get("HX-Request") == "true" or error:
        return render(
            request, "evaluation/_rating_panel.html", rating_panel_context(request, item, error=error), status=status
        )
    from django.contrib import messages

    messages.success(request, gettext("Thank you for your rating."))
    return redirect(item.get_absolute_url())
