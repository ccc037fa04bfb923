from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.core.forms import StyledForm
from govcube.territory.models import GridChiefKind


class BuildingForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=200)
    floors = forms.IntegerField(label=_("Floors"), required=False, min_value=0)
    floor_area = forms.DecimalField(label=_("Floor area (m²)"), required=False, max_digits=12, decimal_places=2)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)
    is_key = forms.BooleanField(label=_("Key building"), required=False)


class TaxRecordForm(StyledForm):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    amount = forms.DecimalField(label=_("Tax revenue (¥)"), max_digits=16, decimal_places=2)


class GridChiefForm(StyledForm):
    kind = forms.ChoiceField(label=_("Post"), choices=GridChiefKind.choices)
    person = forms.IntegerField(label=_("Person"), widget=forms.Select)
    replace = forms.BooleanField(label=_("Replace the current holder"), required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].widget.choices = [("", "—")] + [
            (p.pk, f"{p.name} · {p.employer.name if p.employer else ''}") for p in people
        ]
