"""``{% rating_panel obj %}``: the 1–5 rating box of a delivered project, petition or topic."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("evaluation/_rating_panel.html", takes_context=True)
def rating_panel(context, item, error: str = ""):
    from govcube.evaluation.views import rating_panel_context

    return rating_panel_context(context["request"], item, error=error)
