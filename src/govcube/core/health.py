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
