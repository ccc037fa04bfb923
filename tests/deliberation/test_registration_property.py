"""Random sequences of registrations and cancellations against a meeting with few seats.

A hypothesis state machine drives several covered people; after every step the database must
agree with a simple model (a set of seat holders and a first-come queue) and keep the rules:
never more registered than seats (and the meeting's counter equal to the rows), nobody waiting
while a seat is free, the waiting list in first-come order, and a cancelled person holding no seat.
Each example runs in a savepoint that is rolled back, so examples do not leak into each other.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from govcube.core.errors import Conflict
from govcube.deliberation import services as s
from govcube.deliberation.models import Meeting, Registration, RegistrationStatus
from tests.factories import person_user

pytestmark = pytest.mark.django_db

SEATS = 2
PEOPLE = 6


@pytest.fixture
def open_meeting(committee, soon):
    start, end = soon()
    meeting = s.meeting_create(
        actor=committee.convener,
        body=committee.body,
        title="开放式列席协商会",
        starts_at=start,
        ends_at=end,
        place="恒隆广场党群服务站",
        open_attendance=True,
        observer_seats=SEATS,
    )
    return s.meeting_action(actor=committee.convener, meeting=meeting, action="schedule")


@pytest.fixture
def observers(committee, world):
    extra = [person_user(f"observer_{i}", world.ent_a, f"列席{i}") for i in range(PEOPLE - len(committee.employees))]
    return [*committee.employees, *extra]


def test_seats_and_the_waiting_list_under_random_registrations(committee, open_meeting, observers):
    meeting_pk = open_meeting.pk
    people = observers

    class Registrations(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self._savepoint = transaction.atomic()
            self._savepoint.__enter__()
            self.seated: set[int] = set()  # indexes into people
            self.queue: list[int] = []  # first come, first served
            self.ever: set[int] = set()

        def teardown(self):
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)

        def _active(self, i: int) -> Registration | None:
            return (
                Registration.objects.filter(meeting_id=meeting_pk, person_id=people[i].person_id)
                .exclude(status=RegistrationStatus.CANCELLED)
                .first()
            )

        @rule(i=st.integers(0, PEOPLE - 1))
        def register(self, i):
            meeting = Meeting.objects.get(pk=meeting_pk)
            if i in self.seated or i in self.queue:
                with pytest.raises(Conflict):
                    s.registration_create(actor=people[i], meeting=meeting)
                return
            registration = s.registration_create(actor=people[i], meeting=meeting)
            self.ever.add(i)
            if len(self.seated) < SEATS:
                assert registration.status == RegistrationStatus.REGISTERED
                self.seated.add(i)
            else:
                assert registration.status == RegistrationStatus.WAITING
                self.queue.append(i)

        @precondition(lambda self: self.seated or self.queue)
        @rule(data=st.data())
        def cancel(self, data):
            i = data.draw(st.sampled_from(sorted(self.seated | set(self.queue))), label="who cancels")
            by_secretary = data.draw(st.booleans(), label="the secretary cancels")
            actor = committee.secretary if by_secretary else people[i]
            s.registration_cancel(actor=actor, registration=self._active(i))
            if i in self.seated:
                self.seated.discard(i)
                if self.queue:
                    self.seated.add(self.queue.pop(0))  # the longest-waiting moves up
            else:
                self.queue.remove(i)

        @precondition(lambda self: bool(self.ever))
        @rule(data=st.data())
        def cancel_again(self, data):
            i = data.draw(st.sampled_from(sorted(self.ever)), label="who cancels twice")
            last = (
                Registration.objects.filter(meeting_id=meeting_pk, person_id=people[i].person_id)
                .filter(status=RegistrationStatus.CANCELLED)
                .last()
            )
            if last is not None:
                with pytest.raises(Conflict):
                    s.registration_cancel(actor=people[i], registration=last)

        @invariant()
        def seats_never_exceeded_and_counted(self):
            meeting = Meeting.objects.get(pk=meeting_pk)
            registered = Registration.objects.filter(meeting=meeting, status=RegistrationStatus.REGISTERED).count()
            assert registered == meeting.observers_registered <= meeting.observer_seats

        @invariant()
        def nobody_waits_while_a_seat_is_free(self):
            meeting = Meeting.objects.get(pk=meeting_pk)
            waiting = Registration.objects.filter(meeting=meeting, status=RegistrationStatus.WAITING).exists()
            assert not (waiting and meeting.observers_registered < meeting.observer_seats)

        @invariant()
        def the_waiting_list_keeps_first_come_order(self):
            waiting = list(
                Registration.objects.filter(meeting_id=meeting_pk, status=RegistrationStatus.WAITING)
                .order_by("waiting_since", "pk")
                .values_list("person_id", flat=True)
            )
            assert waiting == [people[i].person_id for i in self.queue]

        @invariant()
        def seats_go_to_the_right_people_and_cancelled_hold_none(self):
            rows = Registration.objects.filter(meeting_id=meeting_pk).values_list("person_id", "status")
            seated = {pid for pid, status in rows if status == RegistrationStatus.REGISTERED}
            assert seated == {people[i].person_id for i in self.seated}
            active = [pid for pid, status in rows if status != RegistrationStatus.CANCELLED]
            assert len(active) == len(set(active))  # one live registration per person
            gone = {people[i].person_id for i in self.ever - self.seated - set(self.queue)}
            assert not (gone & seated)

    run_state_machine_as_test(
        Registrations,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    # Every example was rolled back: the meeting is as the fixture left it.
    assert Meeting.objects.get(pk=meeting_pk).observers_registered == 0
    assert not Registration.objects.filter(meeting_id=meeting_pk).exists()
