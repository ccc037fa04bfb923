"""The standard questionnaire of an evaluation round, shown in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govcube.evaluation.models import QuestionKind, QuestionSubject

STANDARD_QUESTIONS = [
    (
        "committee_work",
        QuestionSubject.COMMITTEE,
        QuestionKind.SCORE,
        _("How well does the committee handle the building's matters?"),
    ),
    (
        "committee_openness",
        QuestionSubject.COMMITTEE,
        QuestionKind.SCORE,
        _("How open is the committee about its topics and decisions?"),
    ),
    (
        "liaison_reach",
        QuestionSubject.LIAISON,
        QuestionKind.SCORE,
        _("How reachable and helpful is the building's liaison cadre?"),
    ),
    (
        "service_received",
        QuestionSubject.SERVICE,
        QuestionKind.SCORE,
        _("How satisfied are you with the service your enterprise received?"),
    ),
    ("suggestions", QuestionSubject.OTHER, QuestionKind.TEXT, _("What should the committee do better?")),
]
_LABELS = {code: label for code, _subject, _kind, label in STANDARD_QUESTIONS}


def standard_label(code: str) -> str:
    label = _LABELS.get(code)
    return str(label) if label is not None else ""
