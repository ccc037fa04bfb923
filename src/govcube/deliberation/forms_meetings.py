"""Forms of the meeting pages. They only parse input; the services validate the rules and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.bodies.models import Body
from govcube.core.forms import StyledForm
from govcube.deliberation.models import FollowUpKind, MeetingKind, Topic, VoteChoice, VoteMethod

# <input type="datetime-local"> sends "2026-11-29T14:30"; the value is read in the current time zone
# (settings.TIME_ZONE, Asia/Shanghai) and shown back the same way.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DATETIME_INPUTS = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL)


def _local_datetime(label, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=LocalDateTimeInput(),
        input_formats=DATETIME_INPUTS,
    )


class MeetingForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, initial=MeetingKind.REGULAR)
    starts_at = _local_datetime(_("Starts"))
    ends_at = _local_datetime(_("Ends"))
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("A party-and-masses service station or a meeting room.")
    )
    open_attendance = forms.BooleanField(label=_("Open to observers (open attendance)"), required=False)
    observer_seats = forms.IntegerField(
        label=_("Observer seats"), min_value=0, max_value=10_000, required=False, initial=0
    )
    registration_closes_at = _local_datetime(
        _("Registration closes"),
        required=False,
        help_text=_("Leave empty to close registration when the meeting starts."),
    )
    joint_bodies = forms.ModelMultipleChoiceField(
        label=_("Joint meeting with"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("Other bodies you manage that hold this meeting together with this one."),
    )

    def __init__(self, *args, joint_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if joint_choices is None:
            del self.fields["joint_bodies"]
        else:
            self.fields["joint_bodies"].queryset = joint_choices


class AgendaItemForm(StyledForm):
    topic = forms.ModelChoiceField(
        label=_("Accepted topic"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("— none, a free-text item —"),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Needed for a free-text item; a topic's item takes the topic's title when left empty."),
    )
    minutes_planned = forms.IntegerField(label=_("Time box (minutes)"), min_value=1, max_value=600, initial=15)

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics if topics is not None else Topic.objects.none()


class MinutesForm(StyledForm):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(StyledForm):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(label=_("Voting method"), choices=VoteMethod.choices, initial=VoteMethod.SHOW_OF_HANDS)
    votes_for = forms.IntegerField(label=_("For"), min_value=0, max_value=100_000, required=False, initial=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, max_value=100_000, required=False, initial=0)
    votes_abstain = forms.IntegerField(label=_("Abstain"), min_value=0, max_value=100_000, required=False, initial=0)


class VoteForm(forms.Form):
    member = forms.IntegerField(min_value=1)
    choice = forms.ChoiceField(choices=VoteChoice.choices)


class FollowUpForm(StyledForm):
    kind = forms.ChoiceField(label=_("Follow-up"), choices=FollowUpKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)


class CheckInForm(StyledForm):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
