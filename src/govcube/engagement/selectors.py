"""Reads of liaison, visits and special petitions, scoped to the acting user."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from govcube.accounts.permissions import scope_for
from govcube.engagement.models import (
    OPEN_PETITION_STATUSES,
    LiaisonAssignment,
    Petition,
    PetitionTarget,
    TargetStatus,
    Visit,
    VisitStatus,
)
from govcube.territory.models import Building


def is_liaison_for(user, building_ids) -> bool:
    return (
        bool(user and user.is_authenticated)
        and LiaisonAssignment.objects.active().filter(cadre=user, building_id__in=list(building_ids)).exists()
    )


def _territory(user):
    return scope_for(user, "engagement.view_visit").territory_q(
        path="building__node__path", district="district_id_scope", street="street_id_scope"
    )


def liaison_list(*, user) -> QuerySet[LiaisonAssignment]:
    """Assignments in the user's territory, and the user's own."""
    q = _territory(user)
    if not q:  # the whole territory (an empty Q would vanish from the OR below)
        return LiaisonAssignment.objects.all()
    if user.is_authenticated:
        q |= Q(cadre=user)
    return LiaisonAssignment.objects.filter(q)


def visit_list(*, user) -> QuerySet[Visit]:
    q = _territory(user)
    if not q:  # the whole territory (an empty Q would vanish from the OR below)
        return Visit.objects.all()
    if user.is_authenticated:
        q |= Q(cadre=user)
    return Visit.objects.filter(q)


def visit_get(*, user, pk: int) -> Visit:
    return get_object_or_404(
        visit_list(user=user).select_related("building", "cadre__person", "kind", "enterprise"), pk=pk
    )


def overdue_visits(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    return qs.filter(status=VisitStatus.PLANNED, planned_for__lt=timezone.localdate())


def key_buildings_without_liaison(*, user) -> QuerySet[Building]:
    """Key buildings in the user's territory with no active liaison cadre (the cockpit shows them)."""
    from govcube.territory.selectors import building_list

    covered = LiaisonAssignment.objects.active().values("building_id")
    return building_list(user=user).filter(is_key=True).exclude(pk__in=covered)


def my_buildings(*, user) -> QuerySet[LiaisonAssignment]:
    return LiaisonAssignment.objects.active().filter(cadre=user).select_related("building").order_by("building__name")


# --- Special petitions ----------------------------------------------------------------------------


def petition_list(*, user) -> QuerySet[Petition]:
    """Petitions the user may see: in the territory of their role (officials), of a body they can see
    (its members and the people working in its buildings), and those sent to a department they work for."""
    from govcube.bodies.selectors import body_list
    from govcube.services.permissions import staff_departments

    scope = scope_for(user, "engagement.view_petition")
    if scope.everything:
        return Petition.objects.all()
    q = scope.territory_q(path="building__node__path", district="district_id_scope", street="street_id_scope")
    if user.is_authenticated:
        q |= Q(body__in=body_list(user=user).values("pk"))
        departments = sorted(staff_departments(user))
        if departments:
            q |= Exists(PetitionTarget.objects.filter(petition=OuterRef("pk"), department_id__in=departments))
    return Petition.objects.filter(q)


def petition_get(*, user, pk: int) -> Petition:
    return get_object_or_404(
        petition_list(user=user).select_related(
            "body__node", "building__node", "decision__item__meeting", "topic", "submitted_by__person"
        ),
        pk=pk,
    )


def open_targets(qs: QuerySet[PetitionTarget]) -> QuerySet[PetitionTarget]:
    """Targets still waiting for the department: not answered, on a petition still with the departments."""
    return qs.filter(petition__status__in=OPEN_PETITION_STATUSES).exclude(status=TargetStatus.ANSWERED)


def overdue_targets_q(today: date, prefix: str = "") -> Q:
    """An open target past a deadline: not acknowledged in time, or not answered in time."""
    return Q(**{f"{prefix}status": TargetStatus.SENT, f"{prefix}acknowledge_by__lt": today}) | Q(
        **{f"{prefix}answer_by__lt": today}
    )


def overdue_petitions(qs: QuerySet[Petition], today: date | None = None) -> QuerySet[Petition]:
    """Petitions with a department past its deadline."""
    today = today or timezone.localdate()
    late = open_targets(PetitionTarget.objects.filter(petition=OuterRef("pk"))).filter(overdue_targets_q(today))
    return qs.filter(status__in=OPEN_PETITION_STATUSES).filter(Exists(late))


def department_inbox(*, user, today: date | None = None) -> QuerySet[PetitionTarget]:
    """The petitions sent to the user's departments: open ones first, overdue acknowledgements, then by
    the answer date (an answered target, or one whose petition was settled or withdrawn, comes last)."""
    from govcube.services.permissions import staff_departments

    today = today or timezone.localdate()
    open_ = Q(petition__status__in=OPEN_PETITION_STATUSES) & ~Q(status=TargetStatus.ANSWERED)
    return (
        PetitionTarget.objects.filter(department_id__in=sorted(staff_departments(user)))
        .annotate(
            urgency=Case(
                When(open_ & Q(status=TargetStatus.SENT, acknowledge_by__lt=today), then=Value(0)),
                When(open_ & Q(answer_by__lt=today), then=Value(1)),
                When(open_, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "answer_by", "pk")
    )


def visit_photo_visible(name: str, user) -> bool | None:
    """For /media/: is ``name`` a visit photo (else None), and may the user see its visit?"""
    from govcube.engagement.models import VisitPhoto

    visit_id = VisitPhoto.objects.filter(image=name).values_list("visit_id", flat=True).first()
    if visit_id is None:
        return None
    return visit_list(user=user).filter(pk=visit_id).exists()
