"""The /healthz check of the working-day calendar.

A missing year is a warning, not a failure: deadlines in that year still work (they
count Monday–Friday), but someone must load the State Council's notice.
"""

from __future__ import annotations

from govcube.core.health import Check
from govcube.workdays.selectors import missing_required_years


def calendar_check() -> Check:
    missing = missing_required_years()
    if missing:
        years = ", ".join(str(year) for year in missing)
        return Check(ok=True, warning=True, detail=f"calendar missing for {years}")
    return Check(ok=True, detail="calendar loaded")
