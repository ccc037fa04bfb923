from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from govcube.accounts.roles import Role
from govcube.core.forms import StyledForm


class UserCreateForm(StyledForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="zh-hans")
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=_("At least 12 characters mixing three of: lower case, upper case, digits, symbols."),
    )


class RoleAssignForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    node_code = forms.CharField(
        label=_("Territory code"),
        max_length=40,
        required=False,
        help_text=_("The code of the district, street, grid or building where the role is held."),
    )
    enterprise_uscc = forms.CharField(
        label=_("Enterprise credit code"),
        max_length=18,
        required=False,
        help_text=_("Only for enterprise contacts."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
