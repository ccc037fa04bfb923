from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.core.forms import StyledForm


class EnterpriseForm(StyledForm):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    industry = forms.CharField(
        label=_("Industry code (GB/T 4754)"),
        max_length=5,
        help_text=_("For example 72 (business services) or J (finance)."),
    )
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0, initial=0)
    party_member_count = forms.IntegerField(label=_("Party members"), min_value=0, initial=0)
    is_global_service_provider = forms.BooleanField(label=_("Global service provider"), required=False)
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False)
    start = forms.DateField(label=_("Tenant since"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class EnterpriseEditForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200)
    industry = forms.CharField(label=_("Industry code (GB/T 4754)"), max_length=5)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0)
    party_member_count = forms.IntegerField(label=_("Party members"), min_value=0)
    is_global_service_provider = forms.BooleanField(label=_("Global service provider"), required=False)
    is_key_enterprise = forms.BooleanField(label=_("Key enterprise"), required=False)


class TenancyForm(StyledForm):
    building = forms.IntegerField(label=_("Building"), widget=forms.Select)
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].widget.choices = [("", "—")] + [(b.pk, b.name) for b in buildings]
