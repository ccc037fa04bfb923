"""/healthz: each app registers checks; one failing check makes the answer 503, a warning does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection


@dataclass
class Check:
    ok: bool
    detail: str = ""
    warning: bool = False  # degraded but serving (e.g. a year without a holiday calendar)


_CHECKS: dict[str, Callable[[], Check]] = {}


def register(name: str, check: Callable[[], Check]) -> None:
    _CHECKS[name] = check


def database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return Check(True, connection.vendor)


register("database", database)


def run_all() -> dict[str, Check]:
    results = {}
    for name, check in _CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a health page reports failures, it never raises
            results[name] = Check(False, type(exc).__name__)
    return results


def task_queue() -> Check:
    """Warn when tasks wait for minutes: the background worker is probably not running."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return Check(True, "tasks run in-process")
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - timedelta(minutes=5)
    waiting = DBTaskResult.objects.filter(status="READY").filter(
        Q(run_after__lt=cutoff) | Q(run_after=get_date_max(), enqueued_at__lt=cutoff)
    )
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is None:
        return Check(True, "no task waiting")
    return Check(
        True, f"tasks waiting since {oldest.isoformat(timespec='seconds')}: is the worker running?", warning=True
    )


register("task_queue", task_queue)
