from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.notifications.models import DeliveryMode


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email me about new notifications"),
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect,
    )
