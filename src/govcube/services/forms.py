"""Forms of the service desk's pages: they parse input, the services decide.

Controls are styled in the templates (``services/_fields.html`` with the ``styled`` filter, which
also links errors by the prefixed ids). Fields the services check themselves (an answer, a transfer reason, a rating's score) are
optional here, so the page shows the service's own message under the field.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.services.models import Department, Domain, SatisfactionLevel
from govcube.services.workflows import TRANSFER_REASONS


def lines(text: str) -> list[str]:
    """One document per line (blank lines dropped)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def needed(field: forms.Field) -> forms.Field:
    """A field the service requires: marked as required for people and assistive technology, but
    checked by the service, so its own message shows under the field."""
    field.needed = True
    if not isinstance(field.widget, forms.RadioSelect):  # a radio button takes no aria-required
        field.widget.attrs["aria-required"] = "true"
    return field


class VersionForm(forms.Form):
    """An action without input: it carries the version the user read (a stale click is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RequestForm(forms.Form):
    building = forms.TypedChoiceField(label=_("Building"), coerce=int)
    title = needed(
        forms.CharField(
            label=_("What do you need, in a few words"),
            max_length=200,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        )
    )
    description = needed(
        forms.CharField(
            label=_("Describe your request"),
            required=False,
            max_length=10_000,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=_("Say what happened, what you need, and by when if there is a deadline."),
        )
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [(b.pk, b.name) for b in buildings]
        if len(buildings) == 1:
            self.fields["building"].initial = buildings[0].pk


class EnterpriseSearchForm(forms.Form):
    q = forms.CharField(label=_("Enterprise: unified social credit code or name"), max_length=100, required=False)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label


class AskForm(VersionForm):
    message = needed(
        forms.CharField(
            label=_("What the enterprise should send or answer"),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("The resolution clock pauses until the enterprise replies."),
        )
    )


class ResolveForm(VersionForm):
    answer = needed(
        forms.CharField(
            label=_("Answer to the enterprise"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    )


class TransferForm(VersionForm):
    department = needed(
        forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("name"), required=False)
    )
    reason = needed(forms.ChoiceField(label=_("Reason"), required=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", "—"), *TRANSFER_REASONS.items()]


class MergeForm(VersionForm):
    merged_into = needed(forms.ModelChoiceField(label=_("The request to keep"), queryset=None, required=False))

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["merged_into"]
        field.queryset = candidates
        field.label_from_instance = lambda r: f"{r.number} {r.title} ({r.get_status_display()})"


class ReopenForm(VersionForm):
    reason = needed(
        forms.CharField(
            label=_("Why the request is not solved"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )


RATING_CHOICES = [(level.value, level.label) for level in sorted(SatisfactionLevel, reverse=True)]


class RatingForm(forms.Form):
    score = needed(
        forms.TypedChoiceField(
            label=_("How satisfied are you?"),
            choices=RATING_CHOICES,
            coerce=int,
            required=False,
            widget=forms.RadioSelect,
        )
    )
    solved = forms.TypedChoiceField(
        label=_("Was your problem solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("score", "solved"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_score(self):
        score = self.cleaned_data.get("score")
        if score in (None, ""):
            raise forms.ValidationError(_("Choose a rating from 1 to 5."))
        return score


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30)
    reason = needed(
        forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    )


class AssignForm(VersionForm):
    owner = needed(forms.ModelChoiceField(label=_("Assign to"), queryset=None, required=False))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members


class EscalateForm(forms.Form):
    note = forms.CharField(label=_("Note to the owner"), required=False, max_length=500)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What was done about this rating"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QueueFilterForm(forms.Form):
    """The queue's filters; a value that is not offered is ignored rather than refused."""

    status = forms.ChoiceField(label=_("State"), required=False)
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False, empty_value=None)
    item = forms.TypedChoiceField(label=_("Service"), coerce=int, required=False, empty_value=None)
    building = forms.TypedChoiceField(label=_("Building"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, statuses=(), departments=(), items=(), buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(statuses)
        self.fields["department"].choices = [("", _("All my departments")), *((d.pk, d.name) for d in departments)]
        self.fields["item"].choices = [("", _("All services")), *((i.pk, i.name) for i in items)]
        self.fields["building"].choices = [("", _("All buildings")), *((b.pk, b.name) for b in buildings)]

    def value(self, name):
        """The cleaned value of a filter, or None when it is absent or not offered."""
        if not self.is_bound:
            return None
        if name not in self.fields:
            return None
        field = self.fields[name]
        try:
            return field.clean(self.data.get(name, ""))
        except forms.ValidationError:
            return None


class ServiceItemEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = needed(forms.CharField(label=_("Name"), max_length=100, required=False))
    documents = forms.CharField(
        label=_("Documents usually required"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One document per line."),
    )
    guide = forms.CharField(label=_("Guide"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    is_active = forms.BooleanField(label=_("Offered in the catalogue"), required=False)


class SlaPolicyForm(forms.Form):
    first_response_hours = forms.DecimalField(
        label=_("First response within (working hours)"), max_digits=5, decimal_places=1, min_value=Decimal("0.5")
    )
    update_hours = forms.DecimalField(
        label=_("Update the enterprise at least every (working hours)"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("1"),
    )
    resolution_days = forms.IntegerField(label=_("Resolved within (working days)"), min_value=1, max_value=120)


class ServiceItemCreateForm(SlaPolicyForm):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    code = needed(
        forms.CharField(label=_("Code"), max_length=30, required=False, help_text=_("For example talent.work_permit."))
    )
    name = needed(forms.CharField(label=_("Name"), max_length=100, required=False))
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=Department.objects.order_by("name"))
    documents = forms.CharField(
        label=_("Documents usually required"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One document per line."),
    )
    guide = forms.CharField(label=_("Guide"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    field_order = [
        "domain",
        "code",
        "name",
        "department",
        "documents",
        "guide",
        "first_response_hours",
        "update_hours",
        "resolution_days",
    ]
