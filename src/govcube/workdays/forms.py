"""Forms of the calendar page: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.workdays.files import MAX_FILE_BYTES
from govcube.workdays.models import MAX_YEAR, MIN_YEAR, DayKind


class DaySetForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "day-%s")
        super().__init__(*args, **kwargs)

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("Name"), max_length=100, required=False, help_text=_("For example 国庆节 (National Day).")
    )


class DayRemoveForm(forms.Form):
    date = forms.DateField(label=_("Date"))


class YearUploadForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "upload-%s")
        super().__init__(*args, **kwargs)

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    file = forms.FileField(
        label=_("File (CSV or JSON)"),
        help_text=_("Columns date,kind,name — see the example template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, help_text=_("For example the notice's number (国办发明电…).")
    )
    replace = forms.BooleanField(label=_("Replace the year if it is already loaded"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s KB)."), params={"size": MAX_FILE_BYTES // 1024}
            )
        return upload
