"""Loading the demo's special petitions, project claiming and evaluation, after building liaison.

Everything is a workflow and goes through the real services, acting as the demo user who would do
it, so every step has its audit event, its notifications and (for petitions) its timeline:

- a few invented accounts (enterprise contacts and employees of the Hang Lung and Kerry committees'
  buildings): ``directory.person_create`` by ``district_admin``, ``_user_create`` and
  ``_role_assign`` by ``district_security``, like the liaison cadres;
- four special petitions (``engagement.services.petitions``): ``petition_submit`` with
  ``submitted_at`` in the past (its deadlines count from that day), ``target_acknowledge``,
  ``target_answer``, ``petition_action`` (accept, contest). The overdue one is swept by
  ``petition_sweep`` on the past days the hourly sweep would have reminded and escalated it, so
  its reminders, escalations and notifications to the street and the district are real;
- needs, resources, projects, claims, milestones and progress (``work.services``), one progress
  photo being a small PNG made here;
- ratings and two evaluation rounds (``evaluation.services``).

The services act at the time of loading; afterwards the rows' own timestamps (``created`` /
``modified``, ``acknowledged_at``, ``published_at``, ``done_at``…) and the petitions' timeline
events are moved back by queryset ``update()`` to the moments they stand for; a project's steps
are kept in order (``_next``). Three dates are moved with them so they stay consistent: the
round-two answer date of the contested petition (counted from the day it was contested), a
running project's start day and a closed round's closing time. The audit trail keeps the real
time of loading (it is a hash chain and is never rewritten).

One write has no service and is done through the model with an explicit audit event: the party
position that lets Hang Lung's full-time party worker act for the building's joint party
committee (``demo.mechanisms.position_recorded``).

The same seed gives the same content; dates move with the day of loading.
"""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone

from govcube.accounts.models import User
from govcube.accounts.roles import Role
from govcube.accounts.services import _role_assign, _user_create
from govcube.audit.services import audit_record
from govcube.bodies.models import Body
from govcube.deliberation.models import Decision, Topic
from govcube.demo import bodies_content as bc
from govcube.demo import content as c
from govcube.demo import mechanisms_content as mc
from govcube.demo.engagement_loader import _stamp
from govcube.demo.generator import make_mobile
from govcube.directory import services as directory
from govcube.directory.models import PartyOrganisation, Person, Position
from govcube.engagement.models import (
    Escalation,
    Petition,
    PetitionEvent,
    PetitionReminder,
    PetitionTarget,
    Visit,
    VisitStatus,
)
from govcube.engagement.services import petitions
from govcube.evaluation import services as evaluation
from govcube.evaluation.models import EvaluationRound, QuestionKind, Rating
from govcube.services.models import Department
from govcube.work import services as work
from govcube.work.models import Claim, Milestone, Need, NeedSource, ProgressPhoto, ProgressUpdate, Project, Resource
from govcube.workdays import calendar as wd

if TYPE_CHECKING:
    from govcube.demo.services import _Loader
    from govcube.territory.models import Building


class MechanismsLoader:
    def __init__(self, foundation: _Loader):
        self.f = foundation
        self.plan = foundation.plan
        self.rng = random.Random(f"{self.plan.seed}:mechanisms")
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.since = self.today - timedelta(days=mc.SINCE_DAYS)
        self._users: dict[str, User] = {}
        self._committees: dict[str, Body] = {}
        self.departments = {d.short_name: d for d in Department.objects.all()}
        self.party_committee: PartyOrganisation | None = None
        self.petitions: dict[str, Petition] = {}
        self.needs: dict[str, Need] = {}
        self.resources: dict[str, Resource] = {}
        self.projects: dict[str, Project] = {}
        self.rounds: dict[str, EvaluationRound] = {}
        self.clock = self.now  # the moment of a project's last step (see ``_next``)

    # --- entry points ---------------------------------------------------------------------

    def run(self) -> None:
        self._accounts()
        self._position()
        for spec in mc.PETITIONS:
            getattr(self, f"_petition_{spec.key}")(spec)
        petitions.petition_sweep()  # what the hourly sweep finds at the time of loading
        for spec in mc.NEEDS:
            self._need(spec)
        self._visit_need()
        for spec in mc.RESOURCES:
            self._resource(spec)
        for spec in mc.PROJECTS:
            self._project(spec)
        for spec in mc.ROUNDS:
            self._round(spec)
        henglong = self.committee(c.HENGLONG)
        decided = self._decision(henglong, mc.TOPIC_RATED).item.meeting.ends_at
        first = max(self._at(self._day(mc.TOPIC_RATED_DAY), 10, 0), decided + timedelta(days=1))
        self._ratings(self._topic(henglong, mc.TOPIC_RATED), mc.TOPIC_RATERS, first)

    def counts(self) -> dict[str, int]:
        return {
            "petitions": Petition.objects.count(),
            "petitions_escalated_to_district": Petition.objects.filter(escalation=Escalation.DISTRICT).count(),
            "petition_reminders": PetitionReminder.objects.count(),
            "needs": Need.objects.count(),
            "resources": Resource.objects.count(),
            "projects": Project.objects.count(),
            "project_claims": Claim.objects.count(),
            "progress_updates": ProgressUpdate.objects.count(),
            "evaluation_rounds": EvaluationRound.objects.count(),
            "evaluation_answers": sum(EvaluationRound.objects.values_list("answer_count", flat=True)),
            "evaluation_ratings": Rating.objects.count(),
        }

    # --- references -------------------------------------------------------------------------

    def user(self, username: str) -> User:
        """A fresh account (no permission caches left from earlier loaders)."""
        if username not in self._users:
            self._users[username] = User.objects.select_related("person").get(username=username)
        return self._users[username]

    def building(self, name: str) -> Building:
        return self.f.buildings[self.plan.building_by_name(name).code]

    def committee(self, first_building: str) -> Body:
        if first_building not in self._committees:
            name = bc.HENGLONG_COMMITTEE if first_building == c.HENGLONG else f"{first_building}楼宇事务委员会"
            self._committees[first_building] = Body.objects.get(name=name)
        return self._committees[first_building]

    def _tenant(self, building: str, rank: int):
        code = self.plan.building_by_name(building).code
        tenants = sorted(self.plan.tenants_of(code), key=lambda e: (-e.headcount, e.index))
        return self.f.enterprises[tenants[rank].index]

    def _topic(self, body: Body, ref: str) -> Topic:
        title = bc.TOPICS[ref].title if ref in bc.TOPICS else ref
        return Topic.objects.get(body=body, title=title)

    def _decision(self, body: Body, ref: str) -> Decision:
        return Decision.objects.select_related("item__meeting").get(
            item__meeting__body=body, item__topic=self._topic(body, ref), passed=True
        )

    def _acts_as(self, username: str) -> dict:
        """Offer or claim as the party committee (its position's holder) or as the contact's enterprise."""
        if username == mc.PARTY_POSITION[0]:
            return {"party_organisation": self.party_committee}
        return {"enterprise": self.user(username).person.employer}

    # --- time ---------------------------------------------------------------------------------

    def _wd(self, days: int) -> date:
        """The working day ``days`` working days from today (petitions count in working days)."""
        return wd.add_working_days(self.today, days)

    def _day(self, days: int) -> date:
        """``days`` calendar days from today, moved off the weekend (away from today)."""
        day = self.today + timedelta(days=days)
        while day.weekday() >= 5:
            day += timedelta(days=1 if days >= 0 else -1)
        return day

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return min(timezone.make_aware(datetime.combine(day, time(hour, minute))), self.now)

    # --- people -------------------------------------------------------------------------------

    def _accounts(self) -> None:
        used = set(Person.objects.exclude(mobile="").values_list("mobile", flat=True))
        for spec in mc.ACCOUNTS:
            employer = self._tenant(spec.building, spec.rank)
            person = directory.person_create(
                actor=self.f.admin,
                node=employer.node,
                name=spec.name,
                mobile=make_mobile(self.rng, used),
                employer=employer,
            )
            user = _user_create(
                actor=self.f.security,
                username=spec.username,
                password=self.f.password,
                display_name=person.name,
                person=person,
                is_demo=True,
            )
            where = {"enterprise": employer} if spec.role == Role.ENTERPRISE_CONTACT else {"node": employer.node}
            _role_assign(actor=self.f.security, user=user, role=spec.role, valid_from=self.since, **where)

    def _position(self) -> None:
        username, organisation, title = mc.PARTY_POSITION
        self.party_committee = PartyOrganisation.objects.get(name=organisation)
        person = self.user(username).person
        position = Position.objects.create(
            person=person, party_organisation=self.party_committee, title=title, start=self.since
        )
        audit_record(
            actor=self.f.admin,
            action="demo.mechanisms.position_recorded",
            obj=position,
            after={
                "person": person.pk,
                "party_organisation": self.party_committee.pk,
                "title": title,
                "start": self.since.isoformat(),
            },
        )

    # --- special petitions --------------------------------------------------------------------

    def _then(self, petition: Petition, moment: datetime, action):
        """Run one step of a petition's story and move the timeline rows it wrote to ``moment``."""
        last_event = PetitionEvent.objects.filter(petition=petition).aggregate(m=Max("pk"))["m"] or 0
        last_reminder = PetitionReminder.objects.filter(target__petition=petition).aggregate(m=Max("pk"))["m"] or 0
        result = action()
        PetitionEvent.objects.filter(petition=petition, pk__gt=last_event).update(created=moment)
        PetitionReminder.objects.filter(target__petition=petition, pk__gt=last_reminder).update(created=moment)
        Petition.objects.filter(pk=petition.pk).update(modified=moment)
        return result

    def _target(self, petition: Petition, short_name: str) -> PetitionTarget:
        return PetitionTarget.objects.select_related("petition", "department").get(
            petition=petition, department=self.departments[short_name]
        )

    def _submit(self, spec: mc.PetitionSpec, moment: datetime) -> Petition:
        body = self.committee(spec.committee)
        petition = petitions.petition_submit(
            actor=self.user(spec.submitter),
            body=body,
            building=self.building(spec.building),
            title=spec.title,
            text=spec.text,
            evidence=spec.evidence,
            departments=[self.departments[name] for name in spec.departments],
            decision=self._decision(body, spec.decision_topic) if spec.decision_topic else None,
            submitted_at=moment,
        )
        PetitionEvent.objects.filter(petition=petition).update(created=moment)
        Petition.objects.filter(pk=petition.pk).update(created=moment, modified=moment)
        PetitionTarget.objects.filter(petition=petition).update(created=moment, modified=moment)
        self.petitions[spec.key] = petition
        return petition

    def _acknowledge(self, petition: Petition, spec: mc.PetitionSpec, moment: datetime) -> None:
        target = self._target(petition, spec.departments[0])
        self._then(
            petition, moment, lambda: petitions.target_acknowledge(actor=self.user(spec.answerer), target=target)
        )
        PetitionTarget.objects.filter(pk=target.pk).update(acknowledged_at=moment, modified=moment)

    def _answer(self, petition: Petition, spec: mc.PetitionSpec, moment: datetime, text: str) -> None:
        target = self._target(petition, spec.departments[0])
        self._then(
            petition,
            moment,
            lambda: petitions.target_answer(actor=self.user(spec.answerer), target=target, answer=text),
        )
        PetitionTarget.objects.filter(pk=target.pk).update(answered_at=moment, modified=moment)

    def _petition_overdue(self, spec: mc.PetitionSpec) -> None:
        """Acknowledged, never answered: reminded, then escalated to the street and then to the district."""
        petition = self._submit(spec, self._at(self._wd(spec.submitted), 10, 0))
        self._acknowledge(petition, spec, self._at(self._wd(spec.submitted + 1), 15, 20))
        due = self._target(petition, spec.departments[0]).answer_by
        sweeps = (
            wd.add_working_days(due, -petitions.REMIND_BEFORE),  # answer coming due
            wd.add_working_days(due, 1),  # overdue: the street hears of it
            wd.add_working_days(due, petitions.ESCALATE_TO_DISTRICT_AFTER + 1),  # and then the district
        )
        for day in sweeps:
            if day >= self.today:  # pragma: no cover - content is fixed
                raise ValueError("The overdue petition must have gone up to the district before loading.")
            self._then(petition, self._at(day, 8, 0), lambda day=day: petitions.petition_sweep(day))

    def _petition_accepted(self, spec: mc.PetitionSpec) -> None:
        """Answered on time and accepted by the committee; then rated by people of its buildings."""
        petition = self._submit(spec, self._at(self._wd(spec.submitted), 10, 30))
        self._acknowledge(petition, spec, self._at(self._wd(spec.submitted + 1), 9, 40))
        self._answer(petition, spec, self._at(self._wd(-2), 16, 0), spec.answers[0])
        accepted = self._at(self._wd(-1), 10, 0)
        petition = self._then(
            petition,
            accepted,
            lambda: petitions.petition_action(actor=self.user(spec.submitter), petition=petition, action="accept"),
        )
        Petition.objects.filter(pk=petition.pk).update(settled_at=accepted)
        self._ratings(petition, spec.raters, accepted + timedelta(hours=4))

    def _petition_contested(self, spec: mc.PetitionSpec) -> None:
        """Answered, contested once, answered again: waiting for the committee's verdict."""
        petition = self._submit(spec, self._at(self._wd(spec.submitted), 14, 0))
        self._acknowledge(petition, spec, self._at(self._wd(spec.submitted + 1), 10, 0))
        self._answer(petition, spec, self._at(self._wd(spec.submitted + 4), 15, 0), spec.answers[0])
        contested_on = self._wd(spec.submitted + 5)
        self._then(
            petition,
            self._at(contested_on, 11, 0),
            lambda: petitions.petition_action(
                actor=self.user(spec.submitter), petition=petition, action="contest", reason=spec.contest_reason
            ),
        )
        for target in PetitionTarget.objects.filter(petition=petition).select_related("department"):
            _acknowledge_by, due = petitions.petition_deadlines(target.department, contested_on)
            PetitionTarget.objects.filter(pk=target.pk).update(answer_by=due)
        self._answer(petition, spec, self._at(self._wd(-1), 16, 30), spec.answers[1])

    def _petition_new(self, spec: mc.PetitionSpec) -> None:
        """Just submitted: the first department acknowledged it, the second not yet."""
        petition = self._submit(spec, self._at(self._wd(spec.submitted), 15, 0))
        self._acknowledge(petition, spec, self._at(self._wd(spec.submitted), 17, 10))

    # --- needs and resources --------------------------------------------------------------------

    def _need(self, spec: mc.NeedSpec) -> None:
        body = self.committee(spec.committee)
        if spec.source == NeedSource.DECISION:
            source = self._decision(body, spec.ref)
            known = source.item.meeting.ends_at
        elif spec.source == NeedSource.TOPIC:
            source = self._topic(body, spec.ref)
            known = source.created
        else:
            source = Petition.objects.get(pk=self.petitions[spec.ref].pk)
            known = source.submitted_at
        need = work.need_create(
            actor=self.user(spec.creator),
            body=body,
            title=spec.title,
            description=spec.description,
            source=spec.source,
            source_obj=source,
            building=self.building(spec.building) if spec.building else None,
        )
        moment = min(max(self._at(self._day(spec.day), 9, 30 + len(self.needs)), known + timedelta(hours=1)), self.now)
        _stamp(Need, [(need.pk, moment, moment)])
        self.needs[spec.key] = need

    def _visit_need(self) -> None:
        """liaison_wang records a need from his latest visit that found one (see VISIT_NEEDS)."""
        wang = self.user("liaison_wang")
        buildings = [self.building(name) for name in mc.VISIT_NEED_BUILDINGS]
        visits = Visit.objects.filter(cadre=wang, status=VisitStatus.DONE, building__in=buildings).order_by(
            "-visited_at", "-pk"
        )
        visit = visits.filter(findings__in=list(mc.VISIT_NEEDS)).first() or visits.first()
        title = mc.VISIT_NEEDS.get(visit.findings) or visit.findings.partition("：")[2][:40] or visit.findings[:40]
        need = work.need_create(
            actor=wang,
            body=self.committee(c.HENGLONG),
            title=title,
            description=visit.findings,
            source=NeedSource.VISIT,
            source_obj=visit,
            building=visit.building,
        )
        moment = min(visit.visited_at + timedelta(days=1), self.now)
        _stamp(Need, [(need.pk, moment, moment)])
        self.needs["visit"] = need

    def _resource(self, spec: mc.ResourceSpec) -> None:
        until = self.today + timedelta(days=spec.available_days) if spec.available_days is not None else None
        resource = work.resource_offer(
            actor=self.user(spec.offerer),
            kind=spec.kind,
            title=spec.title,
            description=spec.description,
            quantity=spec.quantity,
            body=self.committee(spec.committee),
            available_until=until,
            **self._acts_as(spec.offerer),
        )
        moment = self._at(self._day(spec.day), 11, 0)
        _stamp(Resource, [(resource.pk, moment, moment)])
        resource.created = resource.modified = moment
        self.resources[spec.key] = resource

    # --- projects -----------------------------------------------------------------------------

    def _next(self, planned: datetime) -> datetime:
        """The moment of a project's next step: as planned, but never before its previous step."""
        self.clock = min(max(planned, self.clock + timedelta(minutes=25)), self.now)
        return self.clock

    def _project(self, spec: mc.ProjectSpec) -> None:
        body = self.committee(spec.committee)
        manager = self.user(spec.manager)
        decision = self._decision(body, spec.decision_topic) if spec.decision_topic else None
        self.clock = self._at(self._day(spec.created), 10, 0)
        if decision is not None:  # never before the meeting that decided it
            self.clock = max(self.clock, decision.item.meeting.ends_at + timedelta(hours=18))
        approved = [self._day(claim.approved_day) for claim in spec.claims if claim.approved_day is not None]
        project = work.project_create(
            actor=manager,
            body=body,
            title=spec.title,
            description=spec.description,
            what_is_needed=spec.what_is_needed,
            building=self.building(spec.building),
            needs=[self.needs[key] for key in spec.needs],
            decision=decision,
            starts_on=min(approved) if approved else None,
            due_on=self.today + timedelta(days=spec.due) if spec.due is not None else None,
            milestones=spec.milestones,
        )
        Project.objects.filter(pk=project.pk).update(created=self.clock, modified=self.clock)
        self.projects[spec.key] = project
        if spec.key == "draft":
            return
        project = work.project_action(actor=manager, project=project, action="publish")
        published = self._next(self.clock + timedelta(hours=3))
        Project.objects.filter(pk=project.pk).update(published_at=published, modified=published)
        claims = [self._claim(project, claim) for claim in spec.claims]
        for claim, claim_spec in zip(claims, spec.claims, strict=True):
            if claim_spec.approved_day is not None:
                work.claim_action(actor=manager, claim=claim, action="approve")
                moment = self._next(self._at(self._day(claim_spec.approved_day), 10, 0))
                Claim.objects.filter(pk=claim.pk).update(decided_at=moment, modified=moment)
        if spec.key == "open":
            return
        project = work.project_action(actor=manager, project=project, action="start")
        started = self._next(self.clock)
        for key in spec.resources:
            work.resource_commit(actor=manager, resource=self.resources[key], project=project)
            offered = self.resources[key].created
            Resource.objects.filter(pk=self.resources[key].pk).update(modified=max(started, offered))
        Project.objects.filter(pk=project.pk).update(starts_on=timezone.localdate(started), modified=started)
        milestones = list(project.milestones.order_by("order", "pk"))
        for update in spec.updates:
            self._progress(project, update, milestones)
        if spec.completed is None:
            return
        project = work.project_action(
            actor=self.user(spec.claims[0].claimant), project=project, action="complete", outcome=spec.outcome
        )
        completed = self._next(self._at(self._day(spec.completed), 17, 0))
        project = work.project_action(actor=manager, project=project, action="verify")
        verified = self._next(self._at(self._day(spec.verified), 10, 0))
        Project.objects.filter(pk=project.pk).update(completed_at=completed, verified_at=verified, modified=verified)
        project.refresh_from_db()
        self._ratings(
            project, spec.raters, max(self._at(self._day(spec.verified + 1), 9, 0), verified + timedelta(hours=1))
        )

    def _claim(self, project: Project, spec: mc.ClaimSpec) -> Claim:
        claim = work.claim_submit(
            actor=self.user(spec.claimant),
            project=project,
            share=spec.share,
            commitment=spec.commitment,
            **self._acts_as(spec.claimant),
        )
        moment = self._next(self._at(self._day(spec.day), 11, 0))
        _stamp(Claim, [(claim.pk, moment, moment)])
        return claim

    def _progress(self, project: Project, spec: mc.UpdateSpec, milestones: list[Milestone]) -> None:
        milestone = milestones[spec.milestone] if spec.milestone is not None else None
        photos = [SimpleUploadedFile(spec.photo, tiny_png(), content_type="image/png")] if spec.photo else []
        update = work.progress_post(
            actor=self.user(spec.author),
            project=project,
            text=spec.text,
            progress=spec.progress,
            milestone=milestone,
            photos=photos,
        )
        moment = self._next(self._at(self._day(spec.day), 16, 0))
        _stamp(ProgressUpdate, [(update.pk, moment, moment)])
        _stamp(ProgressPhoto, [(pk, moment, moment) for pk in update.photos.values_list("pk", flat=True)])
        if milestone is not None:
            Milestone.objects.filter(pk=milestone.pk).update(done_at=moment, modified=moment)
        Project.objects.filter(pk=project.pk).update(modified=moment)

    # --- evaluation ---------------------------------------------------------------------------

    def _ratings(self, item, raters, first: datetime) -> None:
        """People of the committee's buildings rate a delivered item, the first at ``first``."""
        rows = []
        for n, (username, score, comment) in enumerate(raters):
            rating = evaluation.rating_submit(actor=self.user(username), item=item, score=score, comment=comment)
            moment = min(first + timedelta(minutes=47 * n), self.now)
            rows.append((rating.pk, moment, moment))
        _stamp(Rating, rows)

    def _round(self, spec: mc.RoundSpec) -> None:
        body = self.committee(spec.committee)
        manager = self.user(spec.manager)
        opens = self._at(self._day(spec.opens), 9, 0)
        closes = timezone.make_aware(datetime.combine(self._day(spec.closes), time(18, 0)))
        round_ = evaluation.round_create(
            actor=manager,
            body=body,
            title=spec.title,
            opens_at=opens,
            closes_at=closes if closes > self.now else self.now + timedelta(hours=1),
            min_answers=spec.min_answers,
        )
        questions = list(round_.questions.order_by("order", "pk"))
        scored = [q for q in questions if q.kind == QuestionKind.SCORE]
        texts = [q for q in questions if q.kind == QuestionKind.TEXT]
        for username, scores, text in spec.answers:
            answers = {q.pk: score for q, score in zip(scored, scores, strict=True)}
            answers.update(dict.fromkeys((q.pk for q in texts), text))
            evaluation.round_answer(actor=self.user(username), round_=round_, answers=answers)
        if closes <= self.now:  # a past round: closed by its convener, then given its real closing time
            evaluation.round_close(actor=manager, round_=round_)
            EvaluationRound.objects.filter(pk=round_.pk).update(closes_at=closes, closed_at=closes, modified=closes)
        EvaluationRound.objects.filter(pk=round_.pk).update(created=opens - timedelta(days=2))
        self.rounds[spec.key] = round_


def tiny_png(width: int = 24, height: int = 16) -> bytes:
    """A small, valid PNG (a grey floor with a green parking bay), made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(width):
            bay = 6 <= x < width - 6 and 3 <= y < height - 3
            row += bytes((46, 160, 67) if bay else (176, 176, 176))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def mechanisms_load(foundation: _Loader) -> dict[str, int]:
    """Load petitions, projects and evaluation on top of the bodies, the service desk and liaison."""
    loader = MechanismsLoader(foundation)
    loader.run()
    return loader.counts()
