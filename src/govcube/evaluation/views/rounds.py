"""Evaluation rounds (监督评议): the list per body or in scope, the convener's form, and the round page —
the questionnaire for the people of the covered buildings while it is open, the count against the
threshold and closing early for the convener, and the results once the selector releases them.

A plain POST is redirected on success and answered with the page and the refusal's status otherwise.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from govcube.bodies.models import MANAGING_ROLES, Body, Mechanism
from govcube.bodies.permissions import body_roles, is_manager
from govcube.bodies.selectors import body_covers_person, body_get
from govcube.core import access
from govcube.core import errors as domain
from govcube.core.listing import paginate, xlsx_response
from govcube.evaluation import selectors, services
from govcube.evaluation.forms import AnswerForm, RoundForm
from govcube.evaluation.models import EvaluationRound, QuestionKind
from govcube.evaluation.views.ratings import is_htmx, person_of

MAX_BODY_CHOICES = 200
SCALE = [1, 2, 3, 4, 5]


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _state_label(round_: EvaluationRound, now=None) -> str:
    return str(selectors.ROUND_STATES[selectors.round_state(round_, now)])


# ---------------------------------------------------------------------------------------------
# The list


ROUND_COLUMNS = [
    (_("Committee"), lambda r: r.body.name),
    (_("Title"), lambda r: r.title),
    (_("Opens"), lambda r: timezone.localtime(r.opens_at).replace(tzinfo=None)),
    (_("Closes"), lambda r: timezone.localtime(r.closes_at).replace(tzinfo=None)),
    (_("Status"), _state_label),
    (_("Answers"), lambda r: r.answer_count),
    (_("Answers needed"), lambda r: r.min_answers),
    (_("Results shown"), lambda r: r.results_available),
]


def _convened_bodies(user) -> list[Body]:
    """Active bodies the user convenes (or deputises) that run evaluation rounds."""
    ids = sorted(body_id for body_id, roles in body_roles(user).items() if roles & MANAGING_ROLES)
    if not ids:
        return []
    bodies = Body.objects.filter(pk__in=ids, is_active=True).order_by("name", "pk")
    return [b for b in bodies if b.has(Mechanism.EVALUATION)]


def _may_export(user, body) -> bool:
    return user.has_perm("core.export_data") or (body is not None and is_manager(user, body))


@access.login
@require_http_methods(["GET"])
def round_list(request):
    """Rounds of one body (``?body=``) or of every body in the user's scope, latest first."""
    user = request.user
    body_id = _int(request.GET.get("body"))
    body = body_get(user=user, pk=body_id) if body_id is not None else None
    now = timezone.now()
    visible = selectors.round_list(user=user)
    qs = selectors.round_search(visible, body=body_id, state=request.GET.get("state", ""), now=now)
    qs = qs.select_related("body").order_by("-opens_at", "-pk")
    if request.GET.get("format") == "xlsx" and _may_export(user, body):
        return xlsx_response(filename="evaluation-rounds", columns=ROUND_COLUMNS, rows=qs.iterator(chunk_size=1000))
    page = paginate(request, qs)
    answered = selectors.answered_round_ids(person_of(user), [r.pk for r in page.rows])
    for round_ in page.rows:
        round_.state = selectors.round_state(round_, now)
        round_.answered = round_.pk in answered
    if body is not None:
        creatable = [body] if is_manager(user, body) and body.has(Mechanism.EVALUATION) else []
    else:
        creatable = _convened_bodies(user)
    context = {
        "page": page,
        "body": body,
        "states": selectors.ROUND_STATES,
        "bodies": list(
            Body.objects.filter(pk__in=visible.values("body_id"))
            .order_by("name", "pk")
            .values_list("pk", "name")[:MAX_BODY_CHOICES]
        ),
        "creatable": creatable,
        "can_export": _may_export(user, body),
    }
    if is_htmx(request):
        return render(request, "evaluation/round_list.html#results", context)
    return render(request, "evaluation/round_list.html", context)


# ---------------------------------------------------------------------------------------------
# Creating a round


def _default_window() -> dict:
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return {"opens_at": start, "closes_at": start + timedelta(days=14), "min_answers": 5}


def _form_error(form, exc: domain.DomainError) -> int:
    """The service's message under its field (or above the form); its status."""
    field = exc.field if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden else None
    form.add_error(field, exc.message)
    return exc.status


@access.login
@require_http_methods(["GET", "POST"])
def round_create(request):
    """The convener opens a round with the standard questionnaire (``?body=``; out of scope: 404)."""
    user = request.user
    body = body_get(user=user, pk=_int(request.GET.get("body")) or 0)
    if not is_manager(user, body):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = RoundForm(data, initial=_default_window())
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                round_ = services.round_create(
                    actor=user,
                    body=body,
                    title=cd["title"],
                    opens_at=cd["opens_at"],
                    closes_at=cd["closes_at"],
                    min_answers=cd["min_answers"],
                )
            except domain.PermissionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except domain.DomainError as exc:
                status = _form_error(form, exc)
            else:
                messages.success(request, gettext("The evaluation round is open."))
                return redirect("evaluation:round_detail", pk=round_.pk)
    return render(request, "evaluation/round_form.html", {"form": form, "body": body}, status=status)


# ---------------------------------------------------------------------------------------------
# The round page


def _bars(result) -> list[tuple[int, int, int]]:
    """(score, answers, width in %) for each score 1–5 of a question's result."""
    total = sum(result.distribution) or 1
    return [(score, n, round(100 * n / total)) for score, n in zip(SCALE, result.distribution, strict=True)]


def _round_context(request, round_: EvaluationRound, *, form: AnswerForm | None = None, error: str = "") -> dict:
    user = request.user
    now = timezone.now()
    person = person_of(user)
    questions = list(round_.questions.all())
    covered = body_covers_person(round_.body, person)
    answered = selectors.has_answered(round_, person)
    state = selectors.round_state(round_, now)
    can_answer = covered and not answered and round_.is_open(now)
    manages = selectors.may_manage(user, round_)
    results, reason = [], ""
    try:
        results = [
            {"result": r, "bars": _bars(r) if r.kind == QuestionKind.SCORE else []}
            for r in selectors.round_results(round_)
        ]
    except domain.Conflict as exc:
        reason = exc.message
    return {
        "round": round_,
        "body": round_.body,
        "state": state,
        "states": selectors.ROUND_STATES,
        "covered": covered,
        "answered": answered,
        "form": (form or AnswerForm(questions=questions)) if can_answer else None,
        "manages": manages,
        "can_close": manages and state != "closed",
        "progress": min(100, round(100 * round_.answer_count / round_.min_answers)),
        "results": results,
        "reason": reason,
        "error": error,
        "scale": SCALE,
    }


def _render_round(request, round_: EvaluationRound, status: int = 200, **kwargs):
    return render(request, "evaluation/round_detail.html", _round_context(request, round_, **kwargs), status=status)


@access.login
@require_http_methods(["GET"])
def round_detail(request, pk: int):
    return _render_round(request, selectors.round_get(user=request.user, pk=pk))


@access.login
@require_POST
def round_answer(request, pk: int):
    """Answer the questionnaire once; what is answered is stored apart from who answered."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST, questions=round_.questions.all())
    status, error = 400, ""
    try:
        services.round_answer_check(actor=request.user, round_=round_)  # the reason first: 403 / 409
        if form.is_valid():
            services.round_answer(actor=request.user, round_=round_, answers=form.answers())
            messages.success(request, gettext("Thank you: your answers were recorded, without your name."))
            return redirect("evaluation:round_detail", pk=round_.pk)
    except domain.DomainError as exc:
        status = exc.status
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            error = exc.message
    return _render_round(request, round_, status, form=form, error=error)


@access.login
@require_POST
def round_close(request, pk: int):
    """The convener closes the round before its closing time."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    try:
        services.round_close(actor=request.user, round_=round_)
    except domain.DomainError as exc:
        return _render_round(request, round_, exc.status, error=exc.message)
    messages.success(request, gettext("The round is closed."))
    return redirect("evaluation:round_detail", pk=round_.pk)
