"""Lists: search parameters, key-free offset pages with a capped count, and xlsx export."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

MAX_PAGE = 10_000


@dataclass
class Page:
    rows: list
    number: int
    has_previous: bool
    has_next: bool
    count: int
    count_capped: bool
    query: str  # the other GET parameters, to build page links

    @property
    def count_display(self) -> str:
        return f"{settings.GOVCUBE_COUNT_CAP:,}+" if self.count_capped else f"{self.count:,}"

    def link(self, number: int) -> str:
        return f"?{self.query}&page={number}" if self.query else f"?page={number}"

    @property
    def link_previous(self) -> str:
        return self.link(self.number - 1)

    @property
    def link_next(self) -> str:
        return self.link(self.number + 1)

    @property
    def export_link(self) -> str:
        return f"?{self.query}&format=xlsx" if self.query else "?format=xlsx"


def page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(request, queryset, *, per_page: int | None = None) -> Page:
    """One page plus a count capped at GOVCUBE_COUNT_CAP (an exact COUNT over a city is not worth its cost)."""
    per_page = per_page or settings.GOVCUBE_LIST_PAGE_SIZE
    number = page_number(request.GET.get("page"))
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    cap = settings.GOVCUBE_COUNT_CAP
    count = queryset.order_by()[: cap + 1].count() if (number > 1 or len(rows) > per_page) else len(rows)
    params = {key: value for key, value in request.GET.items() if key not in ("page", "format") and value}
    return Page(
        rows=rows[:per_page],
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > per_page,
        count=min(count, cap),
        count_capped=count > cap,
        query=urlencode(params),
    )


Column = tuple[str, Callable[[object], object]]
EXPORT_ROW_LIMIT = 50_000


def xlsx_response(*, filename: str, columns: list[Column], rows: Iterable) -> HttpResponse:
    """Stream a list to a write-only workbook (headers in the user's language)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(header) for header, _getter in columns])
    for index, row in enumerate(rows):
        if index >= EXPORT_ROW_LIMIT:
            break
        sheet.append([_cell(getter(row)) for _header, getter in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, (int, float, Decimal)) or hasattr(value, "isoformat"):
        return value
    text = str(value)
    # A cell starting with = + - @ would be read as a formula by Excel: neutralise it.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
