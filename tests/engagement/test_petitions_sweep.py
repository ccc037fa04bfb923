"""The hourly petition sweep on real dates around Spring Festival 2026.

Sent Fri 2026-02-13 to the housing bureau (acknowledge by 02-24, answer by 03-05) and the tax
bureau (acknowledge by Sat 02-14, a make-up working day; answer by 02-27).
"""

from __future__ import annotations

from datetime import date

import pytest

from govcube.engagement.models import Escalation, PetitionEvent, PetitionReminder
from govcube.engagement.services import petition_action, petition_sweep, target_acknowledge, target_answer
from govcube.notifications.models import Notification
from tests.engagement.conftest import on_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(send, departments, personas, monkeypatch):
    on_day(monkeypatch, date(2026, 2, 13))
    petition = send(departments=[departments.housing, departments.tax])
    monkeypatch.undo()
    Notification.objects.all().delete()  # the "submitted" notices
    return petition


def sent(code: str) -> set[str]:
    return set(
        Notification.objects.filter(code=f"engagement.petition.{code}").values_list("recipient__username", flat=True)
    )


def target(petition, department):
    return petition.targets.get(department=department)


def test_an_overdue_acknowledgement_is_reminded_long_before_the_answer_is_due(petition, departments):
    assert petition_sweep(today=date(2026, 2, 24)) == 1
    assert sent("acknowledge_overdue") == {"tax_staff"}
    assert not sent("answer_soon")  # 02-27 is three working days away, beyond the reminder window


def test_reminders_before_the_answer_is_due_and_nothing_twice(petition, departments):
    petition_sweep(today=date(2026, 2, 24))
    assert petition_sweep(today=date(2026, 2, 25)) == 2
    assert sent("answer_soon") == {"tax_staff"}  # 02-27 is two working days after 02-25
    assert sent("acknowledge_overdue") == {"tax_staff", "housing_staff", "housing_coordinator"}
    count = Notification.objects.count()
    assert petition_sweep(today=date(2026, 2, 25)) == 0
    assert petition_sweep(today=date(2026, 2, 26)) == 0
    assert Notification.objects.count() == count


def test_an_overdue_answer_goes_to_the_street_then_to_the_district(petition, departments, committee, personas):
    target_acknowledge(actor=departments.tax_staff, target=target(petition, departments.tax))
    # Mon 03-02: the tax answer (02-27) is overdue by two working days (the make-up Saturday and Monday)
    assert petition_sweep(today=date(2026, 3, 2)) == 2  # the housing bureau's acknowledgement, the tax answer
    assert sent("answer_overdue") == {"tax_staff", committee.convener.username}
    assert sent("escalated_street") == {"street_njxl"}  # the building's street, not 静安寺街道
    assert not sent("escalated_district")
    petition.refresh_from_db()
    tax = target(petition, departments.tax)
    assert petition.escalation == tax.escalation == Escalation.STREET
    assert target(petition, departments.housing).escalation == Escalation.NONE
    assert list(PetitionEvent.objects.filter(kind="escalated_street").values_list("target", flat=True)) == [tax.pk]

    # Mon 03-09: six working days overdue → the district; the housing answer (03-05) is now overdue too
    assert petition_sweep(today=date(2026, 3, 9)) == 2
    assert sent("escalated_district") == {"district_leader"}
    assert sent("escalated_street") == {"street_njxl"}
    petition.refresh_from_db()
    assert petition.escalation == Escalation.DISTRICT
    assert target(petition, departments.housing).escalation == Escalation.STREET

    count, events = Notification.objects.count(), PetitionEvent.objects.count()
    assert petition_sweep(today=date(2026, 3, 9)) == 0
    assert petition_sweep(today=date(2026, 3, 10)) == 0
    assert (Notification.objects.count(), PetitionEvent.objects.count()) == (count, events)


def test_five_working_days_overdue_stays_with_the_street(petition, departments):
    target_acknowledge(actor=departments.tax_staff, target=target(petition, departments.tax))
    # 02-27 + five working days (Sat 02-28, 03-02 … 03-05) = Thu 03-05
    petition_sweep(today=date(2026, 3, 5))
    assert not sent("escalated_district")
    petition_sweep(today=date(2026, 3, 6))
    assert sent("escalated_district") == {"district_leader"}


def test_answered_and_withdrawn_petitions_are_left_alone(petition, departments, committee):
    tax = target(petition, departments.tax)
    target_answer(actor=departments.tax_staff, target=tax, answer="已核实，符合减免条件。")
    petition_sweep(today=date(2026, 3, 2))
    assert not PetitionReminder.objects.filter(target=tax).exists()
    petition.refresh_from_db()
    petition_action(actor=committee.convener, petition=petition, action="withdraw", reason="物业已自行解决")
    Notification.objects.all().delete()
    assert petition_sweep(today=date(2026, 3, 20)) == 0
    assert not Notification.objects.exists()


def test_a_contested_answer_gets_a_new_deadline_and_fresh_reminders(petition, departments, committee, monkeypatch):
    for department, staff in [
        (departments.housing, departments.housing_staff),
        (departments.tax, departments.tax_staff),
    ]:
        target_answer(actor=staff, target=target(petition, department), answer="已处理")
    petition.refresh_from_db()
    on_day(monkeypatch, date(2026, 3, 2))
    petition_action(actor=committee.convener, petition=petition, action="contest", reason="渗水仍在继续")
    monkeypatch.undo()
    tax = target(petition, departments.tax)
    assert (tax.round, tax.answer_by) == (2, date(2026, 3, 9))  # five working days after 03-02
    assert petition_sweep(today=date(2026, 3, 10)) >= 1
    assert sent("escalated_street") == {"street_njxl"}
