"""Response headers that keep personal data out of caches and off a device after logout.

- Pages and API answers that show personal data (people, accounts, the audit trail, one's own
  page) and every spreadsheet export carry ``Cache-Control: no-store`` so that neither a proxy
  nor the browser's history keeps a copy (MLPS level 3: residual information protection).
- Logging out answers ``Clear-Site-Data`` so the browser drops the site's cookies, storage and
  cache at once.
- Every answer carries a Content-Security-Policy: scripts, styles, images, fonts and connections
  only from this site (nothing from the internet, no inline script), no framing, no plugins.
  Inline ``style`` attributes are allowed (Bootstrap utilities and htmx's indicator style).
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
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class PrivacyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):  # the API explorer page loads its own script
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.path.startswith(PERSONAL_DATA_PREFIXES) or response.get("Content-Type", "").startswith(XLSX):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        if request.path == LOGOUT_PATH and request.method == "POST" and response.status_code in (200, 302):
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
