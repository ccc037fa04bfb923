from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govcube.accounts import selectors, services
from govcube.accounts.forms import RoleAssignForm, UserCreateForm
from govcube.accounts.permissions import active_assignments
from govcube.core import access
from govcube.core.errors import DomainError
from govcube.core.listing import paginate


@access.login
def me(request):
    new_token = request.session.pop("govcube_new_token", None)
    return render(
        request,
        "accounts/me.html",
        {
            "assignments": active_assignments(request.user),
            "tokens": request.user.api_tokens.order_by("-id")[:50],
            "new_token": new_token,
        },
    )


@access.login
@require_POST
def token_create(request):
    try:
        _row, raw = services.api_token_create(actor=request.user, name=request.POST.get("name", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session["govcube_new_token"] = raw
    return redirect("accounts:me")


@access.login
@require_POST
def token_revoke(request, pk: int):
    services.api_token_revoke(actor=request.user, token_id=pk)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:me")


@access.permission("accounts.manage_user")
def user_list(request):
    qs = selectors.user_list(user=request.user, q=request.GET.get("q", "").strip())
    return render(request, "accounts/user_list.html", {"page": paginate(request, qs)})


@access.permission("accounts.manage_user")
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The account was created. Now give it a role."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@access.permission("accounts.manage_user")
def user_detail(request, pk: int):
    user = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign_by_codes(actor=request.user, user=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The role was assigned."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {"account": user, "form": form, "assignments": selectors.role_assignments_of(user=user)},
    )


@access.permission("accounts.manage_roleassignment")
@require_POST
def role_revoke(request, pk: int, assignment_pk: int):
    user = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    assignment = get_object_or_404(selectors.role_assignments_of(user=user), pk=assignment_pk)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The role was revoked."))
    return redirect("accounts:user_detail", pk=user.pk)


@access.permission("accounts.manage_user")
@require_POST
def user_unlock(request, pk: int):
    user = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, _("The login lockout was lifted."))
    return redirect("accounts:user_list")
