"""Loading the demo's governance bodies and their deliberation, after the foundation data.

Everything is written through the real services (``bodies.services``,
``deliberation.services``, ``directory.services``) acting as the demo user who would do it:
street officials (or the district's system administrator where no street official account
exists) set up bodies and their members; Hang Lung Plaza's convener runs campaigns,
screening and meetings; its secretary records presence, minutes and votes; employees submit,
support, withdraw topics and register as observers.

Two things cannot happen through the services as they are, and are done honestly around them:

- *The past.* The services refuse meetings and campaign closings in the past. A past meeting is
  created with a start in the future, gets its agenda, invitations and observers, and is then
  moved into the past by a queryset ``update()`` of ``starts_at`` / ``ends_at`` /
  ``registration_closes_at`` only; after that it runs through the workflow (start, presence,
  minutes, decisions and votes, end, approve and publish) like any meeting. A past campaign is
  created open with a provisional closing time, receives its topics, and then gets its real
  closing time in the past the same way. Afterwards the ``created`` / ``recorded_at`` /
  ``checked_in_at`` timestamps of the rows involved are moved to plausible moments of that past.
  No status is ever written directly: every state comes from a workflow action. The audit
  trail keeps the real time of loading (it is a hash chain and is never rewritten).
- *Membership terms* start ``MEMBERS_SINCE_DAYS`` before loading, so members were members when
  the past meetings took place (``body_member_add`` accepts a start date).

The same seed gives the same bodies, members, topics and votes; dates move with the day of
loading so there is always a past and an upcoming meeting.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from govcube.bodies import services as bodies
from govcube.bodies.models import Body, BodyKind, BodyMember, MemberRole
from govcube.bodies.permissions import forget_body_roles
from govcube.deliberation import services as deliberation
from govcube.deliberation.models import (
    AgendaItem,
    Attendance,
    Campaign,
    Decision,
    FollowUp,
    Meeting,
    Registration,
    Topic,
    TopicSource,
    TopicSupport,
    Vote,
    VoteMethod,
)
from govcube.demo import bodies_content as bc
from govcube.demo import content as c
from govcube.demo.generator import make_mobile
from govcube.directory import services as directory
from govcube.territory.models import Node, NodeKind

if TYPE_CHECKING:
    from govcube.demo.generator import EnterprisePlan
    from govcube.demo.services import _Loader
    from govcube.directory.models import Person
    from govcube.territory.models import Building

MEETING_LENGTH = timedelta(hours=2)


class BodiesLoader:
    def __init__(self, foundation: _Loader):
        self.f = foundation
        self.plan = foundation.plan
        self.rng = random.Random(f"{self.plan.seed}:bodies")
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.since = self.today + timedelta(days=bc.MEMBERS_SINCE_DAYS)
        self.district = foundation.nodes[c.DISTRICT[0]]
        self.org_by_name = {org.name: org for org in foundation.organisations}
        self.extra: dict[str, Person] = {}
        self.bodies: list[Body] = []
        self.committees: dict[str, Body] = {}  # by the first building's name
        self.topics: dict[str, Topic] = {}
        self._tenants: dict[str, list[EnterprisePlan]] = {}

    # --- entry points ---------------------------------------------------------------------

    def run(self) -> None:
        self._extra_people()
        self._henglong_committee()
        for spec in bc.COMMITTEES:
            self._committee(spec)
        for spec in bc.PLATFORMS:
            self._platform(spec)
        self._alliance()
        for user in self.f.users.values():  # memberships changed: drop cached body roles
            forget_body_roles(user)
        self._henglong_deliberation()
        for story in bc.OTHER_STORIES:
            self._story(story)
        self._topic(self.committees[c.BOHUA], bc.BOHUA_TOPIC, key="bohua")
        self._backdate_supports()

    def counts(self) -> dict[str, int]:
        topics = Counter(Topic.objects.values_list("status", flat=True))
        return {
            "bodies": len(self.bodies),
            "building_committees": sum(1 for b in self.bodies if b.kind == BodyKind.BUILDING_COMMITTEE),
            "body_members": BodyMember.objects.count(),
            "campaigns": Campaign.objects.count(),
            "topics": sum(topics.values()),
            "topic_states": len(topics),
            "meetings": Meeting.objects.count(),
            "decisions": Decision.objects.count(),
        }

    # --- references -------------------------------------------------------------------------

    def user(self, username: str):
        return self.f.users[username]

    def building(self, name: str) -> Building:
        return self.f.buildings[self.plan.building_by_name(name).code]

    def tenants(self, building_name: str) -> list[EnterprisePlan]:
        """The building's current tenants, largest first (the order the foundation uses for accounts)."""
        if building_name not in self._tenants:
            code = self.plan.building_by_name(building_name).code
            self._tenants[building_name] = sorted(self.plan.tenants_of(code), key=lambda e: (-e.headcount, e.index))
        return self._tenants[building_name]

    def person(self, ref: str) -> Person:
        if ref.startswith("@"):
            return self.user(ref[1:]).person
        kind, _sep, rest = ref.partition(":")
        if kind == "extra":
            return self.extra[rest]
        name, _sep, detail = rest.rpartition(":")
        if kind == "grid":
            return self.f.people[f"grid:{self.plan.building_by_name(name).code}:{detail}"]
        if kind == "staff":
            return self.f.people[f"staff:{self.tenants(name)[int(detail)].index}:0"]
        raise ValueError(ref)  # pragma: no cover - content is fixed

    def _add_member(self, actor, body: Body, role: str, ref: str) -> BodyMember:
        kind, _sep, rest = ref.partition(":")
        who: dict = {}
        if kind == "org":
            who["party_organisation"] = self.org_by_name[rest]
        elif kind == "ent":
            name, _sep, rank = rest.rpartition(":")
            who["enterprise"] = self.f.enterprises[self.tenants(name)[int(rank)].index]
        else:
            who["person"] = self.person(ref)
        return bodies.body_member_add(actor=actor, body=body, role=role, start=self.since, **who)

    def _node(self, ref: str) -> Node:
        kind, _sep, value = ref.partition(":")
        if kind == "district":
            return self.district
        if kind == "street":
            return self.f.nodes[f"{c.DISTRICT[0]}-{value}"]
        if kind == "block":
            code = next(n.code for n in self.plan.nodes if n.kind == NodeKind.BLOCK_GRID and n.name == value)
            return self.f.nodes[code]
        raise ValueError(ref)  # pragma: no cover - content is fixed

    def _official_for(self, node: Node):
        """Who sets up a body on this node: the street's official, else the district's administrator."""
        for username, suffix in (("street_njxl", c.NJXL), ("street_jas", c.JAS)):
            if node.street_id == self.f.nodes[f"{c.DISTRICT[0]}-{suffix}"].pk:
                return self.user(username)
        return self.f.admin

    def _common_node(self, buildings: list[Building]) -> Node:
        """The lowest node above all the buildings (the building's own node for a single one)."""
        if len(buildings) == 1:
            return buildings[0].node
        prefix = os.path.commonprefix([b.node.path for b in buildings])
        return Node.objects.get(path=prefix[: len(prefix) // Node.steplen * Node.steplen])

    def _party_committee_of(self, building_name: str) -> str:
        """The name of the 楼宇联合党委 a building belongs to (per cluster grid on Nanjing West Road)."""
        spec = self.plan.building_by_name(building_name)
        if spec.street == c.NJXL:
            anchor = self.plan.clusters[spec.parent][0]
            return f"{next(b.name for b in self.plan.buildings if b.code == anchor)}楼宇联合党委"
        return f"{building_name}楼宇联合党委"

    # --- time ---------------------------------------------------------------------------------

    def _at(self, day: int, hour: int, minute: int = 0, *, workday: bool = True) -> datetime:
        """A local time ``day`` days from today, moved off the weekend (away from today) when asked."""
        when = self.today + timedelta(days=day)
        while workday and when.weekday() >= 5:
            when += timedelta(days=1 if day >= 0 else -1)
        return timezone.make_aware(datetime.combine(when, time(hour, minute)))

    # --- bodies ---------------------------------------------------------------------------------

    def _extra_people(self) -> None:
        used = {p.mobile for p in self.plan.people}
        for spec in bc.EXTRA_PEOPLE:
            node = self.district if spec.node == "district" else self._node(f"street:{spec.node}")
            self.extra[spec.key] = directory.person_create(
                actor=self.f.admin,
                node=node,
                name=spec.name,
                mobile=make_mobile(self.rng, used),
                is_party_member=True,
            )

    def _body(self, *, actor, node, name, kind, buildings=(), **fields) -> Body:
        body = bodies.body_create(actor=actor, node=node, name=name, kind=kind, buildings=buildings, **fields)
        self.bodies.append(body)
        return body

    def _henglong_committee(self) -> None:
        buildings = [self.building(name) for name in bc.HENGLONG_BUILDINGS]
        node = self._common_node(buildings)
        actor = self._official_for(node)
        body = self._body(
            actor=actor,
            node=node,
            name=bc.HENGLONG_COMMITTEE,
            kind=BodyKind.BUILDING_COMMITTEE,
            buildings=buildings,
            description="在恒隆广场楼宇联合党委领导下，覆盖恒隆广场及周边8栋楼宇，企业和员工共同参与，"
            "楼事楼议、楼事楼办、楼事楼管。",
        )
        for role, ref in bc.HENGLONG_MEMBERS:
            self._add_member(actor, body, role, ref)
        self.committees[c.HENGLONG] = body

    def _committee(self, spec: bc.CommitteeSpec) -> None:
        buildings = [self.building(name) for name in spec.buildings]
        node = self._common_node(buildings)
        actor = self._official_for(node)
        anchor, others = spec.buildings[0], spec.buildings[1:]
        body = self._body(
            actor=actor,
            node=node,
            name=spec.name,
            kind=BodyKind.BUILDING_COMMITTEE,
            buildings=buildings,
            majority_rule=spec.majority_rule,
            description=f"在{self._party_committee_of(anchor)}领导下，覆盖{'、'.join(spec.buildings)}，"
            "楼事楼议、楼事楼办、楼事楼管。",
        )
        on_njxl = self.plan.building_by_name(anchor).street == c.NJXL
        if on_njxl:  # the building's double grid chiefs convene and keep the records
            members = [("convener", f"grid:{anchor}:convener"), ("secretary", f"grid:{anchor}:worker")]
            members += [("member", f"grid:{name}:convener") for name in others]
        else:
            members = [("convener", f"staff:{anchor}:0"), ("secretary", f"staff:{anchor}:1")]
            members += [("member", f"staff:{name}:0") for name in others]
        members.append(("lead_unit", f"org:{self._party_committee_of(anchor)}"))
        members.append(("member_unit", f"ent:{anchor}:2"))
        if self.rng.random() < 0.6:
            members.append(("member", f"staff:{anchor}:{len(self.tenants(anchor)) - 1}"))
        for role, ref in members:
            self._add_member(actor, body, role, ref)
        self.committees[anchor] = body

    def _platform(self, spec: bc.PlatformSpec) -> None:
        node = self._node(spec.node)
        if spec.buildings == ("*block",):
            buildings = [b for b in self.f.buildings.values() if b.node.path.startswith(node.path)]
        elif spec.buildings == ("*njxl",):
            buildings = [self.f.buildings[code] for codes in self.plan.clusters.values() for code in codes]
        else:
            buildings = [self.building(name) for name in spec.buildings]
        actor = self._official_for(node)
        body = self._body(
            actor=actor, node=node, name=spec.name, kind=spec.kind, buildings=buildings, description=spec.description
        )
        for role, ref in spec.members:
            self._add_member(actor, body, role, ref)

    def _alliance(self) -> None:
        """The Global Service Provider alliance: the DRC's contact as lead unit, 32 member enterprises, two working groups."""
        admin = self.f.admin
        alliance = self._body(
            actor=admin,
            node=self.district,
            name=bc.ALLIANCE_NAME,
            kind=BodyKind.INDUSTRY_ALLIANCE,
            description=bc.ALLIANCE_DESCRIPTION,
        )
        self._add_member(admin, alliance, MemberRole.LEAD_UNIT, "@alliance_lead")
        providers = sorted(
            (e for e in self.plan.enterprises if e.is_global_service_provider), key=lambda e: (-e.headcount, e.index)
        )
        for spec in providers:
            bodies.body_member_add(
                actor=admin,
                body=alliance,
                role=MemberRole.MEMBER_UNIT,
                enterprise=self.f.enterprises[spec.index],
                start=self.since,
            )
        for name, divisions in bc.WORKING_GROUPS:
            group = self._body(
                actor=admin,
                node=self.district,
                name=name,
                kind=BodyKind.WORKING_GROUP,
                parent=alliance,
                description=f"{bc.ALLIANCE_NAME}下设工作组，推进任务清单中的项目。",
            )
            chosen = [e for e in providers if e.industry in divisions][:8]
            convener = self.f.people[f"staff:{chosen[0].index}:0"]
            bodies.body_member_add(actor=admin, body=group, role=MemberRole.CONVENER, person=convener, start=self.since)
            for spec in chosen:
                bodies.body_member_add(
                    actor=admin,
                    body=group,
                    role=MemberRole.MEMBER_UNIT,
                    enterprise=self.f.enterprises[spec.index],
                    start=self.since,
                )

    # --- topics -------------------------------------------------------------------------------

    def _topic(
        self,
        body: Body,
        spec: bc.TopicSpec,
        *,
        key: str,
        campaign: Campaign | None = None,
        manager=None,
        source: str = TopicSource.WALK_IN,
    ) -> Topic:
        """Submitted by its proposer's account, or entered by the manager as a walk-in / visit topic."""
        proposer = self.person(spec.proposer)
        fields = {
            "body": body,
            "title": spec.title,
            "text": spec.text,
            "category": spec.category,
            "campaign": campaign,
            "on_behalf_of": proposer.employer if spec.on_behalf else None,
            "is_anonymous": spec.anonymous,
        }
        if spec.proposer.startswith("@"):
            topic = deliberation.topic_submit(actor=self.user(spec.proposer[1:]), **fields)
        else:
            topic = deliberation.topic_submit(actor=manager, proposer=proposer, source=source, **fields)
        for ref in spec.supporters:
            topic = deliberation.topic_support(actor=self.user(ref[1:]), topic=topic)
        created = self._at(spec.day, self.rng.randint(9, 19), self.rng.choice((0, 10, 25, 40, 55)), workday=False)
        Topic.objects.filter(pk=topic.pk).update(created=created)
        topic.created = created
        self.topics[key] = topic
        return topic

    def _act(self, actor, key: str, *actions: str, reason: str = "", merged_into: str = "") -> Topic:
        topic = self.topics[key]
        for action in actions:
            topic = deliberation.topic_action(
                actor=actor,
                topic=topic,
                action=action,
                reason=reason,
                merged_into=self.topics[merged_into] if merged_into else None,
            )
        self.topics[key] = topic
        return topic

    def _backdate_supports(self) -> None:
        """Supports follow their topic by a few hours each (merged supporters moved with the merge)."""
        created = dict(Topic.objects.values_list("pk", "created"))
        for n, (pk, topic_id) in enumerate(
            TopicSupport.objects.order_by("topic_id", "pk").values_list("pk", "topic_id")
        ):
            when = min(created[topic_id] + timedelta(hours=2 + 5 * (n % 4)), self.now)
            TopicSupport.objects.filter(pk=pk).update(created=when)

    def _campaign(self, actor, body: Body, *, title: str, question: str, opens: datetime, closes: datetime) -> Campaign:
        """A campaign; one meant to have closed already gets a provisional close (see ``_close_in_the_past``)."""
        campaign = deliberation.campaign_create(
            actor=actor,
            body=body,
            title=title,
            question=question,
            opens_at=opens,
            closes_at=closes if closes > self.now else self.now + timedelta(hours=1),
            categories=bc.CATEGORIES,
        )
        Campaign.objects.filter(pk=campaign.pk).update(created=opens - timedelta(days=2))
        return campaign

    def _close_in_the_past(self, campaign: Campaign, closes: datetime) -> None:
        """After its topics are in, a past campaign gets its real closing time (a time shift, nothing else)."""
        Campaign.objects.filter(pk=campaign.pk).update(closes_at=closes)

    # --- meetings ---------------------------------------------------------------------------

    def _meeting(self, body: Body, spec: bc.MeetingSpec, *, manager, recorder) -> Meeting:
        start = self._at(spec.day, spec.hour, spec.minute)
        past = start < self.now
        # A past meeting is planned at the same hour a few weeks ahead, then moved back (see the module's docstring).
        shift = timedelta(days=7 * ((self.today - start.date()).days // 7 + 2)) if past else timedelta(0)
        planned = start + shift
        open_attendance = spec.observer_seats > 0
        meeting = deliberation.meeting_create(
            actor=manager,
            body=body,
            title=spec.title,
            kind=spec.kind,
            starts_at=planned,
            ends_at=planned + MEETING_LENGTH,
            place=spec.place,
            open_attendance=open_attendance,
            observer_seats=spec.observer_seats,
            registration_closes_at=(planned - timedelta(days=1)).replace(hour=18, minute=0)
            if open_attendance
            else None,
        )
        for item in spec.items:
            deliberation.agenda_item_add(
                actor=manager,
                meeting=meeting,
                title=item.title,
                topic=self.topics[item.topic] if item.topic else None,
                minutes_planned=item.minutes_planned,
            )
        meeting = deliberation.meeting_action(actor=manager, meeting=meeting, action="schedule")
        registrations = [
            deliberation.registration_create(actor=self.user(username), meeting=meeting) for username in spec.observers
        ]
        if not past:
            Meeting.objects.filter(pk=meeting.pk).update(created=self.now - timedelta(days=2))
            Registration.objects.filter(meeting=meeting).update(created=self.now - timedelta(hours=20))
            return meeting
        closes = meeting.registration_closes_at - shift if meeting.registration_closes_at else None
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=start, ends_at=start + MEETING_LENGTH, registration_closes_at=closes
        )
        meeting.refresh_from_db()
        self._hold(meeting, spec, manager=manager, recorder=recorder, registrations=registrations)
        self._backdate_meeting(meeting)
        return meeting

    def _hold(self, meeting: Meeting, spec: bc.MeetingSpec, *, manager, recorder, registrations) -> None:
        """Run a meeting that has been moved into the past: presence, minutes, decisions, end, publication."""
        meeting = deliberation.meeting_action(actor=recorder, meeting=meeting, action="start")
        for registration in registrations:
            deliberation.registration_check_in(actor=recorder, meeting=meeting, code=registration.check_in_code)
        expected = [
            a.member for a in Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member_id")
        ]
        may_miss = [m for m in expected if m.votes and m.role not in (MemberRole.CONVENER, MemberRole.SECRETARY)]
        absent = set(self.rng.sample(may_miss, min(spec.absent, len(may_miss))))
        for member in expected:
            deliberation.attendance_record(actor=recorder, meeting=meeting, member=member, present=member not in absent)
        present_voting = [m for m in expected if m.votes and m not in absent]
        items = list(meeting.items.order_by("order", "pk"))
        for item, item_spec in zip(items, spec.items, strict=True):
            if item_spec.minutes:
                deliberation.minutes_save(actor=recorder, item=item, minutes=item_spec.minutes, version=None)
            if item_spec.deliberate_only:
                self.topics[item_spec.topic] = deliberation.topic_action(
                    actor=recorder, topic=item.topic, action="deliberate"
                )
            if item_spec.decision is not None:
                self._decide(recorder, item, item_spec.decision, present_voting)
        deliberation.meeting_action(actor=recorder, meeting=meeting, action="end")
        for item, item_spec in zip(items, spec.items, strict=True):
            if item_spec.minutes:
                deliberation.minutes_action(actor=manager, item=item, action="approve")
                deliberation.minutes_action(actor=manager, item=item, action="publish")
            if item_spec.close_topic:
                self._act(manager, item_spec.topic, "close")

    def _decide(self, recorder, item: AgendaItem, spec: bc.DecisionSpec, present_voting: list[BodyMember]) -> None:
        if spec.method == VoteMethod.ROLL_CALL:
            decision = deliberation.decision_record(actor=recorder, item=item, text=spec.text, method=spec.method)
            dissent = self.rng.sample(
                [m for m in present_voting if m.role != MemberRole.CONVENER], spec.against + spec.abstain
            )
            choices = dict.fromkeys(present_voting, "for")
            choices.update(dict.fromkeys(dissent[: spec.against], "against"))
            choices.update(dict.fromkeys(dissent[spec.against :], "abstain"))
            for member, choice in choices.items():
                deliberation.vote_cast(actor=recorder, decision=decision, member=member, choice=choice)
            decision = deliberation.decision_close(actor=recorder, decision=decision)
        else:
            decision = deliberation.decision_record(
                actor=recorder,
                item=item,
                text=spec.text,
                method=spec.method,
                votes_for=len(present_voting) - spec.against - spec.abstain,
                votes_against=spec.against,
                votes_abstain=spec.abstain,
            )
        for kind, description in spec.follow_ups:
            deliberation.follow_up_add(actor=recorder, decision=decision, kind=kind, description=description)

    def _backdate_meeting(self, meeting: Meeting) -> None:
        """Move the bookkeeping timestamps of a past meeting to the moments they stand for."""
        start, end = meeting.starts_at, meeting.ends_at
        planned = start - timedelta(days=14)
        Meeting.objects.filter(pk=meeting.pk).update(created=planned, modified=end)
        AgendaItem.objects.filter(meeting=meeting).update(created=planned, modified=end + timedelta(days=2))
        Attendance.objects.filter(meeting=meeting).update(recorded_at=start + timedelta(minutes=5))
        Registration.objects.filter(meeting=meeting).update(created=start - timedelta(days=6), modified=start)
        Registration.objects.filter(meeting=meeting, checked_in_at__isnull=False).update(
            checked_in_at=start - timedelta(minutes=10)
        )
        for n, item in enumerate(meeting.items.order_by("order", "pk")):
            moment = start + timedelta(minutes=20 * (n + 1))
            Decision.objects.filter(item=item).update(created=moment, modified=moment)
            Vote.objects.filter(decision__item=item).update(created=moment)
            FollowUp.objects.filter(decision__item=item).update(created=end, modified=end)

    # --- Hang Lung Plaza ------------------------------------------------------------------------

    def _henglong_deliberation(self) -> None:
        body = self.committees[c.HENGLONG]
        convener, secretary = self.user("convener_henglong"), self.user("secretary_henglong")
        question = "围绕楼宇环境、交通出行、餐饮配套、党建活动和企业服务，您希望楼事会协商解决哪些问题？"

        opens, closes = self._at(-84, 9), self._at(-63, 18)
        past = self._campaign(
            convener,
            body,
            title=f"恒隆广场楼事会{opens.month}月议题征集",
            question=question,
            opens=opens,
            closes=closes,
        )
        past_keys = (
            "elevator",
            "elevator_again",
            "charging",
            "parcel",
            "rider_station",
            "canteen",
            "meeting_rooms",
            "talent_permit",
        )
        for key in past_keys:
            self._topic(body, bc.TOPICS[key], key=key, campaign=past, manager=convener)
        self._close_in_the_past(past, closes)
        self._act(convener, "elevator", "screen", "accept")
        self._act(convener, "elevator_again", "screen", "merge", merged_into="elevator")
        for key in ("charging", "parcel", "rider_station", "canteen"):
            self._act(convener, key, "accept")
        self._act(convener, "meeting_rooms", "screen", "decline", reason=bc.DECLINE_REASON["meeting_rooms"])
        self._act(convener, "talent_permit", "refer", reason=bc.REFER_REASON["talent_permit"])
        for spec in bc.HENGLONG_PAST_MEETINGS:
            self._meeting(body, spec, manager=convener, recorder=secretary)

        opens = self._at(-10, 9)
        current = self._campaign(
            convener,
            body,
            title=f"恒隆广场楼事会{opens.month}月议题征集",
            question="本期重点征集楼宇周边交通秩序、午间餐饮和垃圾分类方面的意见建议，也欢迎提出其他楼宇事务。",
            opens=opens,
            closes=self._at(11, 18),
        )
        current_keys = (
            "waste",
            "lunch_orders",
            "youth",
            "service_kiosk",
            "bikes",
            "parcel_lockers",
            "weekend_ac",
            "nursing_room",
        )
        for key in current_keys:
            self._topic(body, bc.TOPICS[key], key=key, campaign=current, manager=convener)
        self._act(convener, "bikes", "screen")
        self._act(convener, "youth", "screen", "accept")
        for key in ("waste", "lunch_orders", "service_kiosk"):
            self._act(convener, key, "accept")
        self._act(self.user("employee_henglong_2"), "parcel_lockers", "withdraw")
        self._meeting(body, bc.HENGLONG_UPCOMING, manager=convener, recorder=secretary)

    # --- other committees ---------------------------------------------------------------------

    def _story(self, story: bc.CommitteeStory) -> None:
        body = self.committees[story.committee]
        manager = self.user(story.manager)
        decided = f"{story.committee}:decided"
        self._topic(body, story.decided, key=decided, manager=manager, source=TopicSource.VISIT)
        self._act(manager, decided, "accept")
        meeting = replace(
            story.meeting,
            items=(
                bc.ItemSpec(
                    topic=decided,
                    minutes_planned=30,
                    minutes=story.minutes,
                    decision=story.decision,
                    close_topic=True,
                ),
            ),
        )
        self._meeting(body, meeting, manager=manager, recorder=manager)
        campaign = self._campaign(
            manager,
            body,
            title=story.campaign,
            question="请提出您在楼宇工作、生活中遇到的问题和建议。",
            opens=self._at(-12, 9),
            closes=self._at(16, 18),
        )
        for name, spec in (
            ("submitted", story.submitted),
            ("accepted", story.accepted),
            ("referred", story.referred[0]),
        ):
            self._topic(body, spec, key=f"{story.committee}:{name}", campaign=campaign, manager=manager)
        self._act(manager, f"{story.committee}:accepted", "screen", "accept")
        self._act(manager, f"{story.committee}:referred", "refer", reason=story.referred[1])


def bodies_load(foundation: _Loader) -> dict[str, int]:
    """Load the bodies and deliberation on top of the foundation's data; returns the counts."""
    loader = BodiesLoader(foundation)
    loader.run()
    return loader.counts()
