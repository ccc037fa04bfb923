"""The SLA sweep: reminders before a clock runs out, escalation after it did.

Run by the background worker every few minutes (and by ``manage.py sla_sweep``). It is
idempotent: every message it sends is first recorded as a ``ReminderSent`` row, unique per
(request, clock, kind, due moment), in the same transaction as the notification, so a rerun
(or a sweep killed half-way and started again) sends nothing twice and misses nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from govcube.accounts.roles import Role
from govcube.accounts.selectors import users_holding
from govcube.notifications.services import notify
from govcube.services.models import OPEN_STATUSES, ReminderSent, RequestStatus, ServiceRequest, SweepRun
from govcube.workdays import calendar as wd

SWEEP_NAME = "sla"
BATCH = 500


def _leads():
    return list(users_holding(Role.SERVICE_LEAD))


def _district():
    return list(users_holding(Role.DISTRICT_LEADER))


def _send_once(request: ServiceRequest, clock: str, kind: str, due, recipients) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(request=request, clock=clock, kind=kind, due=due)
            recipients = [u for u in recipients if u is not None]
            if recipients:
                notify(
                    recipients=recipients,
                    code=f"services.sla.{clock}.{kind}",
                    obj=request,
                    params={"object": str(request), "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")},
                )
            if kind in ("escalation_lead", "escalation_district"):
                level = 1 if kind == "escalation_lead" else 2
                ServiceRequest.objects.filter(pk=request.pk, escalation_level__lt=level).update(escalation_level=level)
    except IntegrityError:
        return False
    return True


def _clocks(request: ServiceRequest):
    """(clock name, due) of the clocks running on an open request."""
    if request.first_responded_at is None and request.status in (
        RequestStatus.SUBMITTED,
        RequestStatus.ASSIGNED,
        RequestStatus.IN_PROGRESS,
    ):
        yield "first_response", request.first_response_due
    if request.status == RequestStatus.IN_PROGRESS and request.update_due:
        yield "update", request.update_due
    if request.status != RequestStatus.WAITING:
        yield "resolution", request.resolution_due


def sla_sweep(now=None) -> int:
    now = now or timezone.now()
    run = SweepRun.objects.create(name=SWEEP_NAME, started=now)
    leads, district = _leads(), _district()
    sent = 0
    horizon = wd.add_working_hours(now, 8)
    candidates = ServiceRequest.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(first_response_due__lte=horizon, first_responded_at__isnull=True)
        | Q(resolution_due__lte=horizon)
        | Q(update_due__lte=horizon)
    )
    for request in (
        candidates.select_related("owner", "department__coordinator", "policy")
        .order_by("pk")
        .iterator(chunk_size=BATCH)
    ):
        warn = timedelta(hours=float(request.policy.warn_before_hours))
        for clock, due in _clocks(request):
            if due is None:
                continue
            owner = request.owner or request.department.coordinator
            if now >= due:
                sent += _send_once(request, clock, "breach", due, [owner])
                sent += _send_once(request, clock, "escalation_lead", due, leads)
                if clock == "resolution" and now >= wd.add_working_hours(due, 8):
                    sent += _send_once(request, clock, "escalation_district", due, district)
            elif wd.working_time_between(now, due) <= warn:
                sent += _send_once(request, clock, "warning", due, [owner])
    SweepRun.objects.filter(pk=run.pk).update(finished=timezone.now(), sent=sent, ok=True)
    return sent


def last_successful_run():
    return SweepRun.objects.filter(name=SWEEP_NAME, ok=True).order_by("-started").first()
