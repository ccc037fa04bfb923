"""Many people at the same instant, on PostgreSQL: seats are never oversold, minutes never overwritten.

Real threads, each with its own database connection (Django's connections are per thread), start
together at a barrier. SQLite serialises every writer, so these tests only mean something on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from govcube.accounts.models import User
from govcube.bodies.models import MemberRole
from govcube.bodies.services import body_member_add
from govcube.core.errors import Conflict
from govcube.deliberation import services as s
from govcube.deliberation.models import AgendaItem, Meeting, Registration, RegistrationStatus
from tests.factories import person_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL (SQLite serialises every writer); set DATABASE_URL to run it",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(calls: list[Callable[[], object]]) -> list[tuple[str, object]]:
    """Run the calls in threads released at the same instant; returns ("ok", result) or ("error", exc) each."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object] | None] = [None] * len(calls)

    def worker(index: int, call) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results  # type: ignore[return-value]


def fresh(user: User) -> User:
    """A user object of its own for a thread (role caches live on the object)."""
    return User.objects.select_related("person").get(pk=user.pk)


def test_twelve_people_registering_at_once_for_three_seats(committee, world, soon):
    c = committee
    start, end = soon()
    meeting = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title="开放式列席协商会",
        starts_at=start,
        ends_at=end,
        place="恒隆广场党群服务站",
        open_attendance=True,
        observer_seats=3,
    )
    meeting = s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    extra = [person_user(f"crowd_{i}", world.ent_a, f"白领乙{i}") for i in range(12 - len(c.employees))]
    people = [fresh(user) for user in [*c.employees, *extra]]
    assert len(people) == 12

    results = run_together(
        [lambda user=user: s.registration_create(actor=user, meeting=Meeting(pk=meeting.pk)) for user in people]
    )

    assert [kind for kind, _value in results] == ["ok"] * 12, [v for k, v in results if k == "error"]
    statuses = sorted(value.status for _kind, value in results)
    assert statuses.count(RegistrationStatus.REGISTERED) == 3
    assert statuses.count(RegistrationStatus.WAITING) == 9
    meeting.refresh_from_db()
    assert meeting.observers_registered == 3
    rows = Registration.objects.filter(meeting=meeting)
    assert rows.filter(status=RegistrationStatus.REGISTERED).count() == 3
    assert rows.filter(status=RegistrationStatus.WAITING).count() == 9
    # The waiting list has a strict order, and a cancellation moves up its head.
    waiting = list(rows.filter(status=RegistrationStatus.WAITING).order_by("waiting_since", "pk"))
    assert len({(r.waiting_since, r.pk) for r in waiting}) == 9
    seated = rows.filter(status=RegistrationStatus.REGISTERED).first()
    s.registration_cancel(actor=c.secretary, registration=seated)
    waiting[0].refresh_from_db()
    assert waiting[0].status == RegistrationStatus.REGISTERED
    meeting.refresh_from_db()
    assert meeting.observers_registered == 3


def test_cancellations_and_registrations_at_once_never_oversell(committee, world, soon):
    c = committee
    start, end = soon()
    meeting = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title="开放式列席协商会",
        starts_at=start,
        ends_at=end,
        place="恒隆广场党群服务站",
        open_attendance=True,
        observer_seats=2,
    )
    meeting = s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    first = [fresh(u) for u in c.employees[:2]]
    seated = [s.registration_create(actor=u, meeting=meeting) for u in first]
    newcomers = [fresh(u) for u in c.employees[2:]] + [
        fresh(person_user(f"late_{i}", world.ent_a, f"晚到{i}")) for i in range(4)
    ]

    calls = [lambda r=r, u=u: s.registration_cancel(actor=u, registration=r) for r, u in zip(seated, first)]
    calls += [lambda u=u: s.registration_create(actor=u, meeting=Meeting(pk=meeting.pk)) for u in newcomers]
    results = run_together(calls)

    assert [kind for kind, _value in results] == ["ok"] * len(calls), [v for k, v in results if k == "error"]
    meeting.refresh_from_db()
    rows = Registration.objects.filter(meeting=meeting)
    registered = rows.filter(status=RegistrationStatus.REGISTERED).count()
    assert registered == meeting.observers_registered == 2
    assert rows.filter(status=RegistrationStatus.WAITING).count() == len(newcomers) - 2


def test_two_secretaries_saving_the_same_minutes_at_once(committee, personas, world, soon):
    c = committee
    second = person_user("secretary_two", world.ent_a, "王秘书")
    body_member_add(actor=personas.street_njxl, body=c.body, role=MemberRole.SECRETARY, person=second.person)
    start, end = soon()
    meeting = s.meeting_create(
        actor=c.convener, body=c.body, title="协商议事会", starts_at=start, ends_at=end, place="党群服务站"
    )
    item = s.agenda_item_add(actor=c.convener, meeting=meeting, title="电梯错峰")
    version = item.version
    writers = {"first": fresh(c.secretary), "second": fresh(second)}

    results = run_together(
        [
            lambda user=user, name=name: s.minutes_save(
                actor=user,
                item=AgendaItem.objects.select_related("meeting__body").get(pk=item.pk),
                minutes=f"<p>{name} 的记录</p>",
                version=version,
            )
            for name, user in writers.items()
        ]
    )

    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict) and error.status == 409 and error.code == "deliberation.minutes.stale"
    saved = next(value for kind, value in results if kind == "ok")
    item.refresh_from_db()
    assert item.version == version + 1 and item.minutes == saved.minutes
