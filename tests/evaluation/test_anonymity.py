"""Anonymity of evaluation rounds: who answered is kept apart from what was answered.

No foreign-key path leads from an answer or a response to a person, an account or the record of
participation (except through the round itself, which all answers share); rows carry no time;
their keys are random UUIDs; the audit says that someone answered, never what."""

from __future__ import annotations

import uuid

import pytest
from django.db import models

from govcube.accounts.models import User
from govcube.audit.models import AuditEvent
from govcube.core.errors import Conflict
from govcube.directory.models import Person
from govcube.evaluation.models import Answer, EvaluationRound, Participation, Response
from govcube.evaluation.selectors import round_results
from tests.evaluation.conftest import answer, open_round

pytestmark = pytest.mark.django_db

SHARED = {EvaluationRound}  # every answer of a round reaches the round: that identifies nobody


def _reachable(model, seen=None) -> set:
    """Models reachable from ``model`` by forward foreign keys, not passing through a shared round."""
    seen = set() if seen is None else seen
    for field in model._meta.get_fields():
        if field.is_relation and (field.many_to_one or field.one_to_one) and not field.auto_created:
            target = field.related_model
            if target in seen or target in SHARED:
                continue
            seen.add(target)
            _reachable(target, seen)
    return seen


@pytest.mark.parametrize("model", [Response, Answer])
def test_no_foreign_key_path_leads_from_an_answer_to_a_person(model):
    reachable = _reachable(model)
    assert Person not in reachable and User not in reachable and Participation not in reachable
    assert reachable <= {Response, Answer} | {f.related_model for f in Answer._meta.fields if f.is_relation}


@pytest.mark.parametrize("model", [Response, Answer])
def test_answers_carry_no_time_and_no_person_field(model):
    fields = {f.name: f for f in model._meta.concrete_fields}
    assert not [f for f in fields.values() if isinstance(f, (models.DateTimeField, models.DateField))]
    assert not {"person", "user", "created", "modified", "created_by"} & set(fields)
    assert isinstance(model._meta.pk, models.UUIDField)


def test_participation_holds_no_reference_to_what_was_answered():
    targets = {f.related_model for f in Participation._meta.concrete_fields if f.is_relation}
    assert targets == {EvaluationRound, Person}


def test_answer_keys_are_random_uuids_and_the_audit_holds_no_answer(committee):
    round_ = open_round(committee)
    answer(committee.employees[0], round_, score=2, text="秘密的建议")
    answer(committee.employees[1], round_, score=5, text="另一条建议")
    keys = list(Answer.objects.values_list("pk", flat=True)) + list(Response.objects.values_list("pk", flat=True))
    assert len(keys) == 12 and all(isinstance(k, uuid.UUID) and k.version == 4 for k in keys)
    events = AuditEvent.objects.filter(action="evaluation.round.answered")
    assert events.count() == 2
    for event in events:
        text = f"{event.before} {event.after}"
        assert "秘密的建议" not in text and "另一条建议" not in text and "score" not in text


def test_results_are_refused_before_close_and_before_the_threshold(committee):
    from govcube.evaluation import services

    round_ = open_round(committee, min_answers=3)
    for user in committee.employees[:3]:
        answer(user, round_)
    round_.refresh_from_db()
    with pytest.raises(Conflict) as excinfo:
        round_results(round_)
    assert excinfo.value.code == "evaluation.round.results.not_closed"
    assert excinfo.value.status == 409 and "after the round closes" in excinfo.value.message

    few = open_round(committee, "答卷太少", min_answers=4)
    for user in committee.employees[:3]:
        answer(user, few)
    few = services.round_close(actor=committee.convener, round_=few)
    with pytest.raises(Conflict) as excinfo:
        round_results(few)
    assert excinfo.value.code == "evaluation.round.results.too_few"
    assert "at least 4 people have answered (3 did)" in excinfo.value.message


def test_free_texts_come_back_sorted_not_in_answering_order(committee):
    from govcube.evaluation import services

    round_ = open_round(committee, min_answers=3)
    for user, text in zip(committee.employees[:3], ("丙建议", "甲建议", "乙建议"), strict=True):
        answer(user, round_, text=text)
    round_ = services.round_close(actor=committee.convener, round_=round_)
    texts = round_results(round_)[-1].texts
    assert texts == sorted(texts) == sorted(["丙建议", "甲建议", "乙建议"])
