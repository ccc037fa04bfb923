"""Response headers that keep personal data out of caches and off a device after logout.

- Pages and API answers that show personal data (people, accounts, the audit trail, one's own
  page) and every spreadsheet export carry ``Cache-Control: no-store`` so that neither a proxy
  nor the browser's history keeps a copy (MLPS level 3: residual information protection).
- Logging out answers ``Clear-Site-Data`` so the browser drops the site's cookies, storage and
  cache at once.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers

PERSONAL_DATA_PREFIXES = (
    "/directory/people/",
    "/me/",
    "/audit/",
    "/accounts/",
    "/api/v1/people",
    "/api/v1/tokens",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOGOUT_PATH = "/accounts/logout/"


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PERSONAL_DATA_PREFIXES) or response.get("Content-Type", "").startswith(XLSX):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        if request.path == LOGOUT_PATH and request.method == "POST" and response.status_code in (200, 302):
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
