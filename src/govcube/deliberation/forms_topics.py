"""Forms of the topic and campaign pages: they parse input only, the services decide."""

from __future__ import annotations

import html
import re
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.html import linebreaks, strip_tags
from django.utils.translation import gettext_lazy as _

from govcube.core.forms import StyledForm

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
CATEGORY_SEPARATORS = re.compile(r"[,，、;；\n]+")


def plain_to_html(text: str) -> str:
    """A plain textarea's text as paragraphs: escaped, blank lines → <p>, single line breaks → <br>."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return linebreaks(text, autoescape=True) if text else ""


def html_to_plain(text: str) -> str:
    """The stored (sanitised) HTML back as plain text for the edit textarea."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", text or "")
    text = re.sub(r"(?i)</p>\s*<p>", "\n\n", text)
    text = re.sub(r"(?i)</(p|li|h3|h4|blockquote)>", "\n", text)
    return html.unescape(strip_tags(text)).strip()


def split_categories(raw: str) -> list[str]:
    """Categories typed as one line: separated by commas (, ，), 、, semicolons or line breaks."""
    seen: list[str] = []
    for part in CATEGORY_SEPARATORS.split(raw or ""):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


class ShanghaiDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read as Beijing time whatever timezone is active."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)

    def prepare_value(self, value):
        with timezone.override(SHANGHAI):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(SHANGHAI):
            return super().to_python(value)


def _set_category_field(form: forms.Form, categories: list[str]) -> None:
    """A choice of the campaign's categories, or a short free text when there are none."""
    if categories:
        field = forms.ChoiceField(label=_("Category"), choices=[("", "—")] + [(c, c) for c in categories])
        field.required = False
        field.widget.attrs["class"] = "form-select"
    else:
        field = forms.CharField(
            label=_("Category"), max_length=50, required=False, help_text=_("Optional, for example 环境 or 交通.")
        )
        field.widget.attrs.update({"class": "form-control", "aria-describedby": "id_category-help"})
    form.fields["category"] = field


class TopicForm(StyledForm):
    """Raise a topic: phone-first, a few plain fields."""

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What is it about?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=18_000,
        help_text=_("Plain text; line breaks are kept."),
    )
    category = forms.CharField(required=False)
    on_behalf_of = forms.BooleanField(required=False)
    is_anonymous = forms.BooleanField(
        label=_("Hide my name from the public"),
        required=False,
        help_text=_("The convener still sees who raised it."),
    )

    def __init__(self, *args, categories: list[str] | None = None, employer_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _set_category_field(self, categories or [])
        if employer_name:
            self.fields["on_behalf_of"].label = _("On behalf of my employer (%(name)s)") % {"name": employer_name}
        else:
            del self.fields["on_behalf_of"]
        self.fields["title"].widget.attrs["autocomplete"] = "off"


class TopicEditForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What is it about?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=18_000,
        help_text=_("Plain text; line breaks are kept."),
    )
    category = forms.CharField(required=False)

    def __init__(self, *args, categories: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _set_category_field(self, categories or [])


class TopicActionForm(forms.Form):
    """The fields a screening action may carry; which ones matter depends on the action."""

    version = forms.IntegerField(required=False)
    reason = forms.CharField(required=False, max_length=2000)
    merged_into = forms.IntegerField(required=False, min_value=1)
    meeting = forms.IntegerField(required=False, min_value=1)


class CampaignForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("What do you ask the people in the buildings?"),
    )
    categories = forms.CharField(
        label=_("Categories"),
        required=False,
        max_length=1200,
        help_text=_("Separated by commas or 、, for example: 环境、交通、餐饮."),
    )
    opens_at = ShanghaiDateTimeField(label=_("Opens (Beijing time)"))
    closes_at = ShanghaiDateTimeField(label=_("Closes (Beijing time)"))

    def clean_categories(self) -> list[str]:
        return split_categories(self.cleaned_data.get("categories", ""))
