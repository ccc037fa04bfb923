"""Forms of the liaison, visit and special petition pages: they parse input; the choices are built by the views within
the user's scope, and the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.core.forms import MultiplePhotoField, StyledForm
from govcube.engagement.models import FollowUp, VisitStatus


def _date_widget() -> forms.DateInput:
    """A native date picker: its value must be ISO 2026-11-29 whatever the language's date format."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice(label, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, required=required, empty_value=None)


class AssignForm(StyledForm):
    building = _choice(_("Building"))
    cadre = _choice(_("Liaison cadre"))
    start = forms.DateField(label=_("From"), required=False, widget=_date_widget())
    end = forms.DateField(label=_("To"), required=False, widget=_date_widget())
    monthly_quota = forms.IntegerField(label=_("Visits per month"), min_value=0, max_value=60, initial=2)

    def __init__(self, *args, buildings=(), cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", "—")] + list(buildings)
        self.fields["cadre"].choices = [("", "—")] + list(cadres)


class HandoverForm(StyledForm):
    cadre = _choice(_("Hand over to"))
    on = forms.DateField(
        label=_("From"), required=False, widget=_date_widget(), help_text=_("Leave empty to hand over today.")
    )

    def __init__(self, *args, cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [("", "—")] + list(cadres)


class EndForm(StyledForm):
    end = forms.DateField(
        label=_("Last day"), required=False, widget=_date_widget(), help_text=_("Leave empty to end today.")
    )


class PlanForm(StyledForm):
    kind = _choice(_("Kind of visit"))
    planned_for = forms.DateField(label=_("Date"), widget=_date_widget())
    enterprise = _choice(_("Enterprise"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, kinds=(), enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—")] + list(kinds)
        self.fields["enterprise"].choices = [("", "—")] + list(enterprises)


class RecordForm(StyledForm):
    findings = forms.CharField(label=_("What was found"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    people = forms.CharField(label=_("People met"), max_length=300, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=FollowUp.choices, initial=FollowUp.NOTE, required=False)
    photos = MultiplePhotoField(label=_("Photos"), help_text=_("JPEG, PNG or WebP photos."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TopicForm(StyledForm):
    body = _choice(_("Committee"))
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to use what was found."),
    )

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", "—")] + list(bodies)


class RequestForm(StyledForm):
    item = _choice(_("Service"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to use what was found."),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—")] + list(items)


STATUS_CHOICES = VisitStatus.choices


# --- Special petitions ----------------------------------------------------------------------------


class PetitionForm(StyledForm):
    """What the committee sends: the service checks it (building covered, departments, dates, source)."""

    building = _choice(_("Building"))
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("The matter"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the building cannot solve on its own, and what it asks of the departments."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facts, dates, figures, earlier attempts; where the documents are."),
    )
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"),
        coerce=int,
        required=False,  # the service names the field when none is chosen
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each department acknowledges and answers within its own number of working days."),
    )
    answer_by = forms.DateField(
        label=_("Answer wanted by"),
        required=False,
        widget=_date_widget(),
        help_text=_(
            "Optional: a later date than the departments' own deadline (a holiday moves it to the next working day)."
        ),
    )
    decision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    topic = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, buildings=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", "—")] + list(buildings)
        self.fields["departments"].choices = list(departments)
        self.fields["departments"].widget.attrs["class"] = "form-check-input"


class PetitionReasonForm(StyledForm):
    """The committee's verdict or withdrawal: a reason (required where the workflow says so) and the version read."""

    reason = forms.CharField(
        label=_("Reason"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PetitionVersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TargetAnswerForm(StyledForm):
    answer = forms.CharField(
        label=_("Answer"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
