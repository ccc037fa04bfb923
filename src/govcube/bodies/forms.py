"""Forms of the body pages: they parse input and resolve choices within the user's scope; services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.bodies.models import BodyKind, MajorityRule, Mechanism, MemberRole
from govcube.core.forms import StyledForm
from govcube.directory.selectors import enterprise_list, party_organisation_list, person_list
from govcube.directory.validators import normalise_uscc, validate_mobile
from govcube.territory.selectors import building_list, node_list

MAX_BUILDING_CHOICES = 500
MAX_PERSON_MATCHES = 20
MAX_PARTY_ORGANISATIONS = 300


def _date_widget() -> forms.DateInput:
    """A native date picker: its value must be ISO 2026-11-29 whatever the language's date format."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _AnyChoiceMultipleField(forms.TypedMultipleChoiceField):
    """Offers some choices but lets the form check the submitted ones itself (within the user's scope)."""

    def valid_value(self, value) -> bool:
        return True


def _quorum_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Quorum"),
        help_text=_("The share of voting members who must be present, from 0.01 to 1 (0.50 is half)."),
        min_value=Decimal("0.01"),
        max_value=Decimal("1"),
        max_digits=3,
        decimal_places=2,
        **kwargs,
    )


def _mechanisms_field(help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Mechanisms switched on"),
        choices=Mechanism.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class BodyCreateForm(StyledForm):
    """Set up a body: a place in the territory (by its code), its kind, the buildings it covers, its rules."""

    node = forms.CharField(
        label=_("Territory code"),
        max_length=40,
        help_text=_("The code of the street or grid the body belongs to."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    parent = forms.TypedChoiceField(label=_("Part of"), coerce=int, required=False, empty_value=None)
    buildings = _AnyChoiceMultipleField(
        label=_("Buildings covered"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    quorum = _quorum_field(initial=Decimal("0.50"))
    majority_rule = forms.ChoiceField(label=_("Majority rule"), choices=MajorityRule.choices)
    mechanisms = _mechanisms_field(help_text=_("Leave all unticked to switch on the usual ones for this kind."))

    def __init__(self, *args, user, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["parent"].choices = [("", "—")] + [(b.pk, b.name) for b in parents]
        self._parents = {b.pk: b for b in parents}
        self.node_obj = self._node_from(self.data.get(self.add_prefix("node")) or self.initial.get("node"))
        self.fields["buildings"].choices = [(b.pk, b.name) for b in self.offered_buildings()]
        # Checkbox groups get no class from StyledForm's per-widget logic.
        for name in ("buildings", "mechanisms"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def _node_from(self, code):
        code = (code or "").strip()
        if not code:
            return None
        return node_list(user=self.user).filter(code=code).first()

    def offered_buildings(self) -> list:
        """The buildings under the chosen node that the user may put under a body."""
        if self.node_obj is None:
            return []
        return list(
            building_list(user=self.user, permission="bodies.change_body")
            .filter(node__path__startswith=self.node_obj.path)
            .order_by("name", "pk")[:MAX_BUILDING_CHOICES]
        )

    def clean_node(self):
        if self.node_obj is None:
            raise forms.ValidationError(_("No place in your territory has this code."))
        if not self.user.has_perm("bodies.change_body", self.node_obj):
            raise forms.ValidationError(_("You cannot set up a body at this place."))
        return self.node_obj

    def clean_parent(self):
        pk = self.cleaned_data.get("parent")
        return self._parents.get(pk) if pk is not None else None

    def clean_buildings(self):
        ids = sorted(set(self.cleaned_data.get("buildings") or []))
        if not ids:
            return []
        found = list(
            building_list(user=self.user, permission="bodies.change_body").filter(pk__in=ids).select_related("node")
        )
        if len(found) != len(ids):
            raise forms.ValidationError(_("Choose buildings from the list."))
        return found


class BodyRulesForm(StyledForm):
    """Edit a body's name and rules; carries the version it read (a stale save is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    quorum = _quorum_field()
    majority_rule = forms.ChoiceField(label=_("Majority rule"), choices=MajorityRule.choices)
    mechanisms = _mechanisms_field()
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mechanisms"].widget.attrs["class"] = "form-check-input"


MEMBER_KINDS = [
    ("person", _("A person")),
    ("enterprise", _("An enterprise")),
    ("party_organisation", _("A party organisation")),
]


class MemberAddForm(StyledForm):
    """Add a person (found by mobile or name among the people in the user's scope), an enterprise (by its
    credit code) or a party organisation to a body, with a role and a term."""

    member_kind = forms.ChoiceField(
        label=_("Who joins"), choices=MEMBER_KINDS, initial="person", widget=forms.RadioSelect
    )
    person_q = forms.CharField(
        label=_("Person: mobile or name"),
        max_length=50,
        required=False,
        help_text=_("An 11-digit mobile number, or part of a name."),
    )
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False, empty_value=None)
    uscc = forms.CharField(label=_("Enterprise: unified social credit code"), max_length=30, required=False)
    party_organisation = forms.TypedChoiceField(
        label=_("Party organisation"), coerce=int, required=False, empty_value=None
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    start = forms.DateField(label=_("From"), widget=_date_widget())
    end = forms.DateField(label=_("To"), required=False, widget=_date_widget())

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("start", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["member_kind"].widget.attrs["class"] = "form-check-input"
        query = self.data.get(self.add_prefix("person_q")) or self.initial.get("person_q") or ""
        self.matches = self.people_matching(query)
        self.fields["person"].choices = [("", "—")] + [
            (p.pk, f"{p.name} · {p.masked_mobile or '—'} · {p.employer.name if p.employer else '—'}")
            for p in self.matches
        ]
        self.fields["person"].widget.attrs["class"] = "form-select"
        if len(self.matches) == 1:
            self.fields["person"].initial = self.matches[0].pk
        orgs = list(party_organisation_list(user=user).order_by("name", "pk")[:MAX_PARTY_ORGANISATIONS])
        self._orgs = {o.pk: o for o in orgs}
        self.fields["party_organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in orgs]

    def people_matching(self, query: str) -> list:
        query = (query or "").strip()
        if not query:
            return []
        people = person_list(user=self.user).select_related("employer")
        if query.isdigit() and len(query) == 11:
            people = people.filter(mobile=query)
        else:
            people = people.filter(name__icontains=query)
        return list(people.order_by("name", "pk")[:MAX_PERSON_MATCHES])

    def clean(self):
        data = super().clean()
        kind = data.get("member_kind")
        data["who"] = {}
        if kind == "person":
            data["who"] = {"person": self._clean_person(data)}
        elif kind == "enterprise":
            data["who"] = {"enterprise": self._clean_enterprise(data)}
        elif kind == "party_organisation":
            org = self._orgs.get(data.get("party_organisation"))
            if org is None:
                self.add_error("party_organisation", _("Choose a party organisation from the list."))
            data["who"] = {"party_organisation": org}
        return data

    def _clean_person(self, data):
        chosen = data.get("person")
        if chosen is not None:
            person = person_list(user=self.user).filter(pk=chosen).first()
            if person is None:
                self.add_error("person", _("Choose a person from the list."))
            return person
        query = (data.get("person_q") or "").strip()
        if query.isdigit():
            try:
                validate_mobile(query)
            except forms.ValidationError as exc:
                self.add_error("person_q", exc)
                return None
        if len(self.matches) == 1:
            return self.matches[0]
        if not query:
            self.add_error("person_q", _("Enter a mobile number or a name."))
        elif not self.matches:
            self.add_error("person_q", _("Nobody in your territory matches."))
        else:
            self.add_error("person", _("Several people match: choose one from the list."))
        return None

    def _clean_enterprise(self, data):
        code = normalise_uscc((data.get("uscc") or "").strip().upper())
        if not code:
            self.add_error("uscc", _("Enter the enterprise's unified social credit code."))
            return None
        enterprise = enterprise_list(user=self.user).filter(uscc=code).first()
        if enterprise is None:
            self.add_error("uscc", _("No enterprise in your territory has this code."))
        return enterprise


class MemberEndForm(StyledForm):
    end = forms.DateField(label=_("Last day of the term"), widget=_date_widget())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("end", timezone.localdate())
        super().__init__(*args, **kwargs)
