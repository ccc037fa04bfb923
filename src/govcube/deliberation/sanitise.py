"""Rich text from the public is stored sanitised: a short list of harmless tags, no attributes that run code."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise_html(text: str) -> str:
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
