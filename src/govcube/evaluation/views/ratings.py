"""Rating a delivered item: the panel shown on its page and the view it posts to.

A plain POST is redirected on success and answered with a small page holding the panel and the
refusal's status otherwise (400 bad score, 403 not covered, 409 already rated). An htmx POST gets
back the panel itself — the refusal included, with status 200, because htmx does not swap in 4xx
answers — and is never redirected.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from govcube.bodies.selectors import body_covers_person, body_list
from govcube.core import access
from govcube.core import errors as domain
from govcube.evaluation import services
from govcube.evaluation.models import RatedKind
from govcube.evaluation.selectors import my_rating, rating_summary

PANEL = "evaluation/_rating_panel.html"


def person_of(user):
    return user.person if getattr(user, "is_authenticated", False) and user.person_id else None


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def rating_panel_context(request, item, *, error: str = "") -> dict:
    """What the rating panel shows this user (a fixed handful of small queries)."""
    kind = services.kind_of(item)
    person = person_of(request.user)
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


def visible_item(user, kind: str, pk: int):
    """The rated item, if the user can see its body (else 404)."""
    if kind not in RatedKind.values:
        raise Http404
    item = services.rated_item(kind, pk)
    if item is None:
        raise Http404
    get_object_or_404(body_list(user=user), pk=item.body_id)
    return item


def item_url(item) -> str:
    """The item's own page; the desk while that page does not exist yet."""
    try:
        return item.get_absolute_url()
    except NoReverseMatch:
        return reverse("core:home")


def _score(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


@access.login
@require_POST
def rate(request, kind: str, pk: int):
    item = visible_item(request.user, kind, pk)
    try:
        services.rating_submit(
            actor=request.user,
            item=item,
            score=_score(request.POST.get("score")),
            comment=request.POST.get("comment", ""),
        )
    except domain.DomainError as exc:
        context = rating_panel_context(request, item, error=exc.message)
        if is_htmx(request):
            return render(request, PANEL, context)
        context |= {"item": item, "item_url": item_url(item)}
        return render(request, "evaluation/rate.html", context, status=exc.status)
    if is_htmx(request):
        return render(request, PANEL, rating_panel_context(request, item))
    messages.success(request, gettext("Thank you for your rating."))
    return redirect(item_url(item))
