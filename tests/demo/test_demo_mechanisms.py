"""The demo's special petitions, project claiming and evaluation, loaded once for this module
through ``manage.py load_demo``.

Like ``test_load_demo.py``: the load runs inside a transaction rolled back after the module, and
each test runs in its own savepoint inside it, so tests that act on the demo leave it intact.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from govcube.accounts.models import RoleAssignment, User
from govcube.accounts.roles import Role
from govcube.audit.models import AuditEvent
from govcube.audit.services import audit_verify
from govcube.bodies.models import Body
from govcube.bodies.selectors import body_covers_person
from govcube.core.errors import Conflict, DomainError
from govcube.core.files import sniff_image
from govcube.deliberation.models import Decision, FollowUp, FollowUpKind, Topic, TopicStatus
from govcube.demo import bodies_content as bc
from govcube.demo import mechanisms_content as mc
from govcube.demo.mechanisms_loader import tiny_png
from govcube.directory.models import PartyOrganisation
from govcube.engagement.models import (
    Escalation,
    Petition,
    PetitionReminder,
    PetitionStatus,
    PetitionTarget,
    TargetStatus,
    Visit,
)
from govcube.engagement.services import petitions
from govcube.evaluation.models import EvaluationRound, Participation, RatedKind, Rating, Response, RoundStatus
from govcube.evaluation.selectors import round_results
from govcube.notifications.models import Notification
from govcube.work.models import (
    Claim,
    ClaimStatus,
    Need,
    NeedSource,
    NeedStatus,
    ProgressPhoto,
    Project,
    ProjectStatus,
    Resource,
    ResourceStatus,
)
from govcube.work.permissions import party_organisations_of
from govcube.work.selectors import project_list
from govcube.workdays import calendar as wd

pytestmark = pytest.mark.django_db

HENGLONG_COMMITTEE = "恒隆广场楼宇事务委员会"


@pytest.fixture(scope="module")
def demo_load(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")  # the progress photo is a real file
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        out = StringIO()
        with override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=str(media)
        ):
            call_command("load_demo", stdout=out)
    try:
        yield out.getvalue(), media
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_load, db):
    return demo_load[0]


@pytest.fixture
def media(demo_load):
    return demo_load[1]


def user(username: str) -> User:
    return User.objects.select_related("person").get(username=username)


def petition(key: str) -> Petition:
    spec = next(p for p in mc.PETITIONS if p.key == key)
    return Petition.objects.select_related("body", "building").get(title=spec.title)


def project(key: str) -> Project:
    spec = next(p for p in mc.PROJECTS if p.key == key)
    return Project.objects.select_related("body").get(title=spec.title)


def committee(first_building: str) -> Body:
    return Body.objects.get(name=f"{first_building}楼宇事务委员会")


def count_in(output: str, key: str) -> int:
    return int(re.search(rf"^  {key}: (\d+)$", output, re.MULTILINE).group(1))


# --- the load ------------------------------------------------------------------------------------


def test_the_load_reports_what_the_content_describes(demo):
    assert count_in(demo, "petitions") == len(mc.PETITIONS) == Petition.objects.count() >= 4
    assert count_in(demo, "petitions_escalated_to_district") == 1
    assert count_in(demo, "needs") == len(mc.NEEDS) + 1 == Need.objects.count()  # and one from a visit
    assert count_in(demo, "resources") == len(mc.RESOURCES) == Resource.objects.count()
    assert count_in(demo, "projects") == len(mc.PROJECTS) == Project.objects.count()
    assert count_in(demo, "project_claims") == sum(len(p.claims) for p in mc.PROJECTS) == Claim.objects.count()
    assert count_in(demo, "evaluation_rounds") == len(mc.ROUNDS)
    assert count_in(demo, "evaluation_answers") == sum(len(r.answers) for r in mc.ROUNDS)
    raters = sum(len(p.raters) for p in (*mc.PETITIONS, *mc.PROJECTS)) + len(mc.TOPIC_RATERS)
    assert count_in(demo, "evaluation_ratings") == raters == Rating.objects.count()


def test_the_invented_accounts_work_in_their_committees_buildings(demo):
    for spec in mc.ACCOUNTS:
        account = user(spec.username)
        assert account.is_demo and account.is_active and account.person.name == spec.name
        assert account.check_password("GovCube-Demo-2026")
        held = RoleAssignment.objects.active().get(user=account)
        assert held.role == spec.role
        if spec.role == Role.ENTERPRISE_CONTACT:
            assert held.enterprise_id == account.person.employer_id
        else:
            assert held.node.building.name == spec.building
        covering = Body.objects.filter(buildings__name=spec.building, kind="building_committee").get()
        assert body_covers_person(covering, account.person), spec.username


def test_the_hang_lung_party_worker_acts_for_the_joint_party_committee(demo):
    username, organisation, _title = mc.PARTY_POSITION
    worker = user(username)
    assert party_organisations_of(worker) == {PartyOrganisation.objects.get(name=organisation).pk}
    assert AuditEvent.objects.filter(action="demo.mechanisms.position_recorded").count() == 1
    # the persona keeps its role
    assert set(RoleAssignment.objects.active().filter(user=worker).values_list("role", flat=True)) == {Role.GRID_WORKER}


# --- special petitions ---------------------------------------------------------------------------


def test_an_overdue_petition_went_up_to_the_street_and_then_to_the_district(demo):
    overdue = petition("overdue")
    today = timezone.localdate()
    assert overdue.status == PetitionStatus.SUBMITTED and overdue.escalation == Escalation.DISTRICT
    target = overdue.targets.get()
    assert target.status == TargetStatus.ACKNOWLEDGED and target.answered_at is None
    assert target.escalation == Escalation.DISTRICT
    assert wd.working_days_between(target.answer_by, today) > petitions.ESCALATE_TO_DISTRICT_AFTER
    sent = {r.kind: r.created for r in PetitionReminder.objects.filter(target=target)}
    assert set(sent) == {"answer_soon", "answer_overdue", "escalated_street", "escalated_district"}
    # each on the day the hourly sweep would have sent it, not at the time of loading
    due = target.answer_by
    assert timezone.localdate(sent["answer_soon"]) == wd.add_working_days(due, -petitions.REMIND_BEFORE)
    assert timezone.localdate(sent["answer_overdue"]) == wd.add_working_days(due, 1)
    assert sent["escalated_street"] == sent["answer_overdue"]
    district_day = wd.add_working_days(due, petitions.ESCALATE_TO_DISTRICT_AFTER + 1)
    assert timezone.localdate(sent["escalated_district"]) == district_day < timezone.localdate()
    escalations = dict(overdue.events.filter(kind__startswith="escalated").values_list("kind", "created"))
    assert escalations == {k: sent[k] for k in ("escalated_street", "escalated_district")}
    told = set(
        Notification.objects.filter(object_type="engagement.petition", object_id=str(overdue.pk)).values_list(
            "code", "recipient__username"
        )
    )
    assert ("engagement.petition.escalated_street", "street_njxl") in told
    assert ("engagement.petition.escalated_district", "district_leader") in told
    assert ("engagement.petition.answer_overdue", "convener_henglong") in told
    for level in ("street", "district"):
        assert AuditEvent.objects.filter(
            action=f"engagement.petition.escalated_{level}", object_id=str(overdue.pk)
        ).exists()
    kinds = list(overdue.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "acknowledged", "escalated_street", "escalated_district"]


def test_the_overdue_petition_carries_out_a_decision_and_its_deadlines_count_from_its_day(demo):
    overdue = petition("overdue")
    decision = Decision.objects.get(pk=overdue.decision_id)
    assert decision.item.topic.title == bc.TOPICS["charging"].title
    assert FollowUp.objects.filter(
        decision=decision, kind=FollowUpKind.PETITION, target_type="engagement.petition", target_id=str(overdue.pk)
    ).exists()
    for spec in mc.PETITIONS:
        if spec.key == "contested":
            continue  # its answer date was counted again from the day it was contested
        for target in PetitionTarget.objects.filter(petition=petition(spec.key)).select_related("department"):
            submitted_on = timezone.localdate(target.petition.submitted_at)
            assert (target.acknowledge_by, target.answer_by) == petitions.petition_deadlines(
                target.department, submitted_on
            )


def test_a_petition_answered_on_time_was_accepted_and_rated(demo):
    accepted = petition("accepted")
    assert accepted.status == PetitionStatus.ACCEPTED and accepted.answered_on_time is True
    assert accepted.settled_at is not None and accepted.escalation == Escalation.NONE
    target = accepted.targets.get()
    assert target.status == TargetStatus.ANSWERED and not target.answered_late
    assert timezone.localdate(target.answered_at) <= target.answer_by
    ratings = Rating.objects.filter(item_kind=RatedKind.PETITION, item_id=accepted.pk)
    spec = next(p for p in mc.PETITIONS if p.key == "accepted")
    assert ratings.count() == len(spec.raters) >= 3
    assert all(r.created > accepted.settled_at for r in ratings)


def test_a_contested_petition_was_answered_again_and_waits_for_the_committees_verdict(demo):
    contested = petition("contested")
    assert contested.body.name != HENGLONG_COMMITTEE
    assert contested.status == PetitionStatus.ANSWERED and contested.contested_once and contested.contest_reason
    target = contested.targets.select_related("department").get()
    assert target.round == 2 and target.status == TargetStatus.ANSWERED and not target.answered_late
    kinds = list(contested.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "acknowledged", "answered", "all_answered", "contest", "answered", "all_answered"]
    contested_on = timezone.localdate(contested.events.get(kind="contest").created)
    assert target.answer_by == petitions.petition_deadlines(target.department, contested_on)[1]
    # the verdict is the committee's: accept or close, never a second contest
    manager = user("street_njxl")
    with pytest.raises(Conflict) as refused:
        petitions.petition_action(actor=manager, petition=contested, action="contest", reason="再议")
    assert refused.value.code == "engagement.petition.contest.once"
    assert petitions.petition_action(actor=manager, petition=contested, action="accept").status == "accepted"


def test_a_new_petition_is_acknowledged_by_one_department_and_not_yet_by_the_other(demo):
    new = petition("new")
    assert new.status == PetitionStatus.SUBMITTED and new.escalation == Escalation.NONE
    states = dict(new.targets.values_list("department__short_name", "status"))
    spec = next(p for p in mc.PETITIONS if p.key == "new")
    assert states == {spec.departments[0]: TargetStatus.ACKNOWLEDGED, spec.departments[1]: TargetStatus.SENT}
    waiting = new.targets.get(status=TargetStatus.SENT)
    assert not waiting.is_overdue()


def test_petitions_span_committees_and_their_timelines_run_forward_in_the_past(demo):
    assert Petition.objects.values("body").distinct().count() >= 3
    now = timezone.now()
    for item in Petition.objects.all():
        moments = list(item.events.order_by("pk").values_list("created", flat=True))
        assert moments[0] == item.submitted_at == item.created
        assert moments == sorted(moments) and moments[-1] <= now
        assert item.modified == moments[-1]
    assert AuditEvent.objects.filter(action="engagement.petition.submitted").count() == Petition.objects.count()


def test_a_petition_cannot_be_recorded_as_sent_in_the_future(demo):
    body = Body.objects.get(name=HENGLONG_COMMITTEE)
    before = Petition.objects.count()
    with pytest.raises(DomainError) as refused:
        petitions.petition_submit(
            actor=user("convener_henglong"),
            body=body,
            building=body.buildings.get(name="恒隆广场"),
            title="未来的提请",
            text="测试",
            departments=[PetitionTarget.objects.first().department],
            submitted_at=timezone.now() + timedelta(hours=1),
        )
    assert (refused.value.code, refused.value.field) == ("engagement.petition.submitted_at.future", "submitted_at")
    assert Petition.objects.count() == before


def test_the_sweep_has_nothing_left_to_send(demo):
    before = PetitionReminder.objects.count()
    assert petitions.petition_sweep() == 0
    assert petitions.petition_sweep() == 0
    assert PetitionReminder.objects.count() == before


# --- needs and resources ------------------------------------------------------------------------


def test_needs_come_from_decisions_topics_visits_and_petitions(demo):
    needs = list(Need.objects.select_related("body"))
    assert len(needs) >= 8
    assert {n.source for n in needs} >= {NeedSource.DECISION, NeedSource.TOPIC, NeedSource.VISIT, NeedSource.PETITION}
    models = {
        "deliberation.decision": Decision.objects.filter(item__meeting__body_id__in=[n.body_id for n in needs]),
        "deliberation.topic": Topic.objects.all(),
        "engagement.petition": Petition.objects.all(),
        "engagement.visit": Visit.objects.all(),
    }
    for need in needs:
        assert models[need.source_type].filter(pk=need.source_id).exists(), need.title
    visit_need = next(n for n in needs if n.source == NeedSource.VISIT)
    visit = Visit.objects.get(pk=visit_need.source_id)
    assert visit.cadre.username == "liaison_wang" and visit_need.created_by == visit.cadre
    assert visit_need.description == visit.findings and visit_need.body.name == HENGLONG_COMMITTEE
    statuses = {n.status for n in needs}
    assert {NeedStatus.OPEN, NeedStatus.IN_PROJECT, NeedStatus.MET} <= statuses


def test_resources_of_every_kind_from_enterprises_and_a_party_organisation(demo):
    resources = list(Resource.objects.all())
    assert len(resources) >= 8
    assert {r.kind for r in resources} >= {"venue", "expertise", "volunteers", "funds"}
    assert any(r.enterprise_id for r in resources) and any(r.party_organisation_id for r in resources)
    committed = [r for r in resources if r.status == ResourceStatus.COMMITTED]
    assert committed and all(r.project_id for r in committed)
    assert {r.project_id for r in committed} == {project("verified").pk, project("in_progress").pk}


# --- projects -----------------------------------------------------------------------------------


def test_a_delivered_project_was_verified_with_its_milestones_progress_and_ratings(demo):
    delivered = project("verified")
    assert delivered.status == ProjectStatus.VERIFIED and delivered.progress == 100
    assert delivered.published_at < delivered.completed_at < delivered.verified_at <= timezone.now()
    assert delivered.milestones.exists() and not delivered.milestones.filter(done_at__isnull=True).exists()
    assert delivered.updates.count() >= 3 and all(u.text for u in delivered.updates.all())
    assert not delivered.needs.exclude(status=NeedStatus.MET).exists()
    ratings = Rating.objects.filter(item_kind=RatedKind.PROJECT, item_id=delivered.pk).select_related("person")
    people = [r.person for r in ratings]
    assert len(set(people)) == len(people) >= 6
    assert all(body_covers_person(delivered.body, person) for person in people)
    employees = RoleAssignment.objects.active().filter(role=Role.EMPLOYEE, user__person__in=people)
    assert employees.values("user").distinct().count() >= 6
    assert all(r.created > delivered.verified_at for r in ratings)


def test_a_running_project_has_two_claimants_sharing_it(demo):
    running = project("in_progress")
    assert running.status == ProjectStatus.IN_PROGRESS
    claims = list(running.claims.filter(status=ClaimStatus.APPROVED))
    assert len(claims) == 2 and sorted(c.share for c in claims) == [40, 60]
    assert sum(c.share for c in claims) == running.claimed_share <= 100
    assert {bool(c.enterprise_id) for c in claims} == {True, False}  # an enterprise and a party organisation
    done = running.milestones.filter(done_at__isnull=False).count()
    assert 0 < done < running.milestones.count()
    assert running.updates.count() >= 2 and 0 < running.progress < 100


def test_a_progress_update_carries_a_real_png(demo, media):
    photo = ProgressPhoto.objects.select_related("update__project").get()
    assert photo.update.project == project("in_progress")
    with override_settings(MEDIA_ROOT=str(media)), photo.image.open("rb") as handle:
        data = handle.read()
    assert sniff_image(data[:16]) == "png" and data == tiny_png()
    assert data[12:16] == b"IHDR" and data.endswith(b"IEND\xaeB`\x82")


def test_an_open_project_has_one_pending_claim_and_a_draft_waits(demo):
    open_ = project("open")
    assert open_.status == ProjectStatus.OPEN and open_.published_at is not None
    claim = open_.claims.get()
    assert claim.status == ClaimStatus.PENDING and claim.share == 30 == open_.claimed_share
    draft = project("draft")
    assert draft.status == ProjectStatus.DRAFT and draft.published_at is None and not draft.claims.exists()
    assert (
        draft.decision_id
        and FollowUp.objects.filter(
            kind=FollowUpKind.PROJECT, target_type="work.project", target_id=str(draft.pk)
        ).exists()
    )


def test_project_steps_run_forward_in_the_past(demo):
    now = timezone.now()
    for item in Project.objects.exclude(status=ProjectStatus.DRAFT):
        claims = list(item.claims.order_by("pk"))
        assert item.created < item.published_at <= min(c.created for c in claims)
        for claim in claims:
            assert claim.decided_at is None or claim.created < claim.decided_at <= now
        updates = sorted(u.created for u in item.updates.all())
        assert all(max(c.decided_at for c in claims) < moment <= now for moment in updates)
        if item.decision_id:
            assert item.created > Decision.objects.get(pk=item.decision_id).item.meeting.ends_at


def test_the_personas_see_the_projects_of_their_committees(demo):
    henglong = {p.pk for p in project_list(user=user("convener_henglong"))}
    assert {project("verified").pk, project("in_progress").pk} <= henglong
    assert project("draft").pk in {p.pk for p in project_list(user=user("street_njxl"))}
    seen = {p.pk for p in project_list(user=user("employee_henglong_1"))}
    assert project("verified").pk in seen and project("draft").pk not in seen


# --- evaluation ---------------------------------------------------------------------------------


def test_the_closed_round_shows_its_results_and_the_open_one_does_not_yet(demo):
    closed = EvaluationRound.objects.get(body__name=HENGLONG_COMMITTEE)
    assert closed.status == RoundStatus.CLOSED and closed.closed_at <= timezone.now()
    assert closed.answer_count >= closed.min_answers and closed.results_available
    assert Participation.objects.filter(round=closed).count() == Response.objects.filter(round=closed).count()
    assert Participation.objects.filter(round=closed).count() == closed.answer_count
    results = round_results(closed)
    assert results and all(r.count == closed.answer_count for r in results if r.kind == "score")
    running = EvaluationRound.objects.exclude(pk=closed.pk).get()
    assert running.body.name != HENGLONG_COMMITTEE and running.is_open()
    assert 0 < running.answer_count < running.min_answers and not running.results_available
    with pytest.raises(Conflict):
        round_results(running)


def test_a_decided_topic_is_rated_too(demo):
    topic = Topic.objects.get(body__name=HENGLONG_COMMITTEE, title=bc.TOPICS[mc.TOPIC_RATED].title)
    assert topic.status in (TopicStatus.DECIDED, TopicStatus.CLOSED)
    ratings = Rating.objects.filter(item_kind=RatedKind.TOPIC, item_id=topic.pk)
    assert ratings.count() == len(mc.TOPIC_RATERS)
    assert {r.body_id for r in ratings} == {topic.body_id}


# --- honesty and repeatability ------------------------------------------------------------------


def test_the_workflows_are_audited_and_the_chain_verifies(demo):
    assert AuditEvent.objects.filter(action="work.claim.submitted").count() == Claim.objects.count()
    assert AuditEvent.objects.filter(action="evaluation.rating.submitted").count() == Rating.objects.count()
    assert AuditEvent.objects.filter(action="work.project.verify").count() == 1
    assert AuditEvent.objects.filter(action="evaluation.round.answered").count() == sum(
        len(r.answers) for r in mc.ROUNDS
    )
    result = audit_verify()
    assert result.ok, result.problems


def test_load_demo_if_empty_changes_none_of_it(demo):
    models = (Petition, PetitionReminder, Need, Resource, Project, Claim, EvaluationRound, Rating, Notification)

    def counts():
        return [m.objects.count() for m in models]

    before = counts()
    call_command("load_demo", "--if-empty", stdout=StringIO())
    assert counts() == before


def test_the_tiny_png_is_the_same_every_time():
    assert tiny_png() == tiny_png() and tiny_png().startswith(b"\x89PNG\r\n\x1a\n")
