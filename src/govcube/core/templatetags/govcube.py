"""Template helpers shared by every page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def styled(bound_field):
    """Render a bound field's widget with the house (Bootstrap) classes and its error state."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": (widget.attrs.get("class", "") + " " + css).strip()}
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}-error"
    elif bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}-help"
    return bound_field.as_widget(attrs=attrs)


def _number(value) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def yuan(value):
    """Whole yuan with thousands separators: 1,429,544,471."""
    number = _number(value)
    return "" if number is None else f"{number:,.0f}"


@register.filter
def wan(value):
    """An amount in units of ¥10,000 (万元), as officials read tax revenue: 142,954."""
    number = _number(value)
    return "" if number is None else f"{number / 10000:,.0f}"


@register.filter
def count(value):
    number = _number(value)
    return "" if number is None else f"{number:,.0f}"


@register.simple_tag
def yes_no(value) -> str:
    return _("Yes") if value else _("No")
