"""Uploaded photos: what they must be before they are stored (no imaging library needed).

The content decides, not the name: a photo is JPEG, PNG or WebP by its first bytes, its
extension must agree with that, and it is at most ``MAX_PHOTO_BYTES``. Anything else is
refused with a message naming the field, before anything is written.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from govcube.core.errors import DomainError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 6

_SIGNATURES = {
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
_EXTENSIONS = {"jpeg": {"jpg", "jpeg"}, "png": {"png"}, "webp": {"webp"}}


def sniff_image(head: bytes) -> str | None:
    """The image type of these first bytes (``jpeg``, ``png``, ``webp``) or None."""
    for kind, signatures in _SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def check_photos(uploads, *, field: str = "photos", code: str = "core.photo") -> list:
    """Validate uploaded photos; returns them (rewound) or raises a DomainError naming ``field``."""
    uploads = [upload for upload in (uploads or []) if upload]
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(
            f"{code}.too_many", _("Attach at most %(count)s photos.") % {"count": MAX_PHOTOS}, field=field
        )
    for upload in uploads:
        if upload.size > MAX_PHOTO_BYTES:
            raise DomainError(
                f"{code}.too_large",
                _("%(name)s is larger than %(size)s MB.") % {"name": upload.name, "size": MAX_PHOTO_BYTES // 2**20},
                field=field,
            )
        upload.seek(0)
        kind = sniff_image(upload.read(16))
        upload.seek(0)
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if kind is None or extension not in _EXTENSIONS[kind]:
            raise DomainError(
                f"{code}.not_an_image",
                _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": upload.name},
                field=field,
            )
    return uploads
