"""Pages of the spreadsheet import: upload and list, one job (polled while it runs), downloads."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govcube.core import access
from govcube.core.errors import DomainError
from govcube.core.imports import selectors, services, workbook
from govcube.core.imports.forms import ImportUploadForm
from govcube.core.imports.specs import SPECS
from govcube.core.listing import paginate

IMPORT_PERMISSION = "core.import_data"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=workbook.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access.permission(IMPORT_PERMISSION)
@require_http_methods(["GET", "POST"])
def import_list(request):
    """The upload form, the columns of each kind, and the user's recent imports."""
    status = 200
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.import_job_create(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    mode=form.cleaned_data["mode"],
                    upload=form.cleaned_data["file"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("imports:import_detail", pk=job.pk)
        status = 400
    else:
        form = ImportUploadForm()
    page = paginate(request, selectors.import_job_list(user=request.user))
    context = {
        "form": form,
        "page": page,
        "specs": SPECS.values(),
        "max_bytes": settings.GOVCUBE_MAX_IMPORT_BYTES,
        "max_rows": workbook.MAX_ROWS,
    }
    return render(request, "core/imports/import_list.html", context, status=status)


@access.permission(IMPORT_PERMISSION)
@require_http_methods(["GET"])
def import_detail(request, pk: int):
    """The job; htmx polls the status partial every second while the job waits or runs."""
    job = selectors.import_job_get(user=request.user, pk=pk)
    context = {"job": job, "spec": SPECS[job.kind]}
    if request.headers.get("HX-Request"):
        return render(request, "core/imports/import_detail.html#status", context)
    return render(request, "core/imports/import_detail.html", context)


@access.permission(IMPORT_PERMISSION)
@require_http_methods(["GET"])
def import_report(request, pk: int):
    """The uploaded rows with an error column."""
    job = selectors.import_job_report(user=request.user, pk=pk)
    return _xlsx(bytes(job.report), f"import-{job.pk}-{job.kind}-errors.xlsx")


@access.permission(IMPORT_PERMISSION)
@require_http_methods(["GET"])
def import_template(request, kind: str):
    """An empty workbook with the Chinese headers, one example row and the columns explained."""
    spec = SPECS.get(kind)
    if spec is None:
        raise Http404(_("There is no import of this kind."))
    return _xlsx(workbook.template_workbook(spec), f"govcube-import-{kind}.xlsx")
