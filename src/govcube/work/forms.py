"""Forms of the needs, resources and projects pages: they parse input; the choices are built by the
views within the user's scope, and the services decide (their refusals appear under the field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govcube.core.files import MAX_PHOTO_BYTES, MAX_PHOTOS
from govcube.core.forms import MultiplePhotoField, StyledForm
from govcube.work.models import NeedSource, NeedStatus, ResourceKind


def _date_widget() -> forms.DateInput:
    """A native date picker: its value must be ISO 2026-11-29 whatever the language's date format."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choice(label, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, required=required, empty_value=None)


def _text(label, *, rows: int = 3, required: bool = True, max_length: int = 10_000, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


# ---------------------------------------------------------------------------------------------
# Needs and resources


class NeedForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Description"), required=False)
    source = forms.ChoiceField(label=_("Where it comes from"), choices=NeedSource.choices, initial=NeedSource.OTHER)
    building = _choice(_("Building"), required=False)

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", "—")] + list(buildings)


class NeedStatusForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ResourceForm(StyledForm):
    offerer = forms.ChoiceField(label=_("Offered by"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—")] + list(ResourceKind.choices))
    title = forms.CharField(label=_("What you offer"), max_length=200)
    description = _text(_("Description"), required=False)
    quantity = forms.CharField(
        label=_("How much"), max_length=100, required=False, help_text=_("e.g. 40 seats, 10 volunteers, 2 days")
    )
    body = _choice(_("Offered to"), required=False)
    available_until = forms.DateField(label=_("Available until"), required=False, widget=_date_widget())

    def __init__(self, *args, offerers=(), bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offerer"].choices = list(offerers)
        self.fields["body"].choices = [("", _("No body in particular"))] + list(bodies)


# ---------------------------------------------------------------------------------------------
# Projects


class ProjectForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Description"), rows=5)
    what_is_needed = _text(
        _("What it needs"), required=False, help_text=_("Money, venues, people, skills: what claimants can take on.")
    )
    needs = forms.TypedMultipleChoiceField(
        label=_("Needs it meets"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    building = _choice(_("Building"), required=False)
    decision = _choice(_("Decision"), required=False)
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=_date_widget())
    due_on = forms.DateField(label=_("Due"), required=False, widget=_date_widget())
    milestones = _text(_("Milestones"), rows=4, required=False, help_text=_("One per line, in order (at most 30)."))

    def __init__(self, *args, needs=(), buildings=(), decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = list(needs)
        self.fields["needs"].widget.attrs["class"] = "list-unstyled"
        self.fields["building"].choices = [("", "—")] + list(buildings)
        self.fields["decision"].choices = [("", "—")] + list(decisions)

    def milestone_titles(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("milestones", "").splitlines() if line.strip()]


class ClaimForm(StyledForm):
    claimant = forms.ChoiceField(label=_("We claim as"))
    share = forms.IntegerField(
        label=_("Share (%)"), min_value=1, max_value=100, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    commitment = _text(_("What we will do"), rows=4, required=False)

    def __init__(self, *args, claimants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claimant"].choices = list(claimants)


class ProgressForm(StyledForm):
    text = _text(_("What was done"), rows=4)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    milestone = _choice(_("Milestone reached"), required=False)
    photos = MultiplePhotoField(label=_("Photos"), help_text=_("JPEG, PNG or WebP photos."))

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [("", "—")] + list(milestones)
        self.fields["photos"].help_text = gettext("Up to %(count)s JPEG, PNG or WebP photos, %(size)s MB each.") % {
            "count": MAX_PHOTOS,
            "size": MAX_PHOTO_BYTES // 2**20,
        }


class MilestoneForm(StyledForm):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), required=False, widget=_date_widget())


class CommitForm(StyledForm):
    resource = _choice(_("Resource"))

    def __init__(self, *args, resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [("", "—")] + list(resources)


class ActionForm(forms.Form):
    """A workflow button's fields: the reason or the outcome it requires, and the version it read."""

    reason = forms.CharField(required=False, max_length=10_000)
    outcome = forms.CharField(required=False, max_length=10_000)
    version = forms.IntegerField(required=False)
