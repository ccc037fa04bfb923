"""The upload form: what the file holds, how to treat bad rows, and the file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.core.imports.models import ImportKind, ImportMode


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file contains"), choices=ImportKind.choices)
    mode = forms.ChoiceField(
        label=_("Rows with errors"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
