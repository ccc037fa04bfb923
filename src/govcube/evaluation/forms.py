"""Forms of the evaluation pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govcube.core.forms import StyledForm
from govcube.deliberation.forms_topics import ShanghaiDateTimeField
from govcube.evaluation.models import EvaluationQuestion, QuestionKind
from govcube.evaluation.services import MAX_COMMENT

SCORES = [(n, str(n)) for n in range(1, 6)]
SCORE_REQUIRED = _("Choose a rating from 1 to 5.")


class RoundForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_at = ShanghaiDateTimeField(label=_("Opens (Beijing time)"))
    closes_at = ShanghaiDateTimeField(label=_("Closes (Beijing time)"))
    min_answers = forms.IntegerField(
        label=_("Answers needed before results are shown"),
        initial=5,
        help_text=_("At least 3: results stay hidden until this many people answered, so nobody can be singled out."),
    )


def field_name(question: EvaluationQuestion) -> str:
    """The form field of a question: the same name the services give their errors (``q<id>``)."""
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One radio group of 1–5 per score question and a text box per free-text question (phone-first)."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            if question.kind == QuestionKind.SCORE:
                field = forms.TypedChoiceField(
                    label=question.label,
                    choices=SCORES,
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                    error_messages={"required": SCORE_REQUIRED, "invalid_choice": SCORE_REQUIRED},
                )
            else:
                field = forms.CharField(
                    label=question.label,
                    required=False,
                    max_length=MAX_COMMENT,
                    widget=forms.Textarea(attrs={"rows": 3, "class": "form-control", "maxlength": MAX_COMMENT}),
                )
            self.fields[field_name(question)] = field

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and isinstance(self.fields[name].widget, forms.Textarea):
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def rows(self):
        """(question, bound field) in the questionnaire's order, for the template."""
        return [(question, self[field_name(question)]) for question in self.questions]

    def answers(self) -> dict[int, object]:
        return {question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions}
