"""Uploaded files are served only to those who may see what they belong to.

Photos of visits and of project progress can show people and premises, so ``/media/…`` is not
a public folder: each app registers a lookup that, given a stored file name and the user,
answers whether the file is one of its own (``None`` when not) and whether the user may see
the object it belongs to (through the app's scoped selectors). Unknown files and files of
objects out of the user's scope are 404 alike.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_http_methods

from govcube.core import access

# (name, user) -> None (not mine) | True (visible) | False (mine, but not for this user)
Lookup = Callable[[str, object], bool | None]
_LOOKUPS: list[Lookup] = []


def register(lookup: Lookup) -> None:
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def may_see(name: str, user) -> bool:
    for lookup in _LOOKUPS:
        answer = lookup(name, user)
        if answer is not None:
            return answer
    return False


@access.login
@require_http_methods(["GET", "HEAD"])
def protected_media(request, path: str):
    if not may_see(path, request.user) or not default_storage.exists(path):
        raise Http404
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
