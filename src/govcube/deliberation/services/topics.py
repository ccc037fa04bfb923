"""Topics (议题): submission, support (附议), editing and the screening workflow."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.bodies.models import Body, Mechanism
from govcube.bodies.permissions import is_manager, is_member
from govcube.bodies.selectors import body_covers_person
from govcube.core.errors import Conflict, DomainError, PermissionDenied, check_version
from govcube.core.services import validate
from govcube.core.workflows import transition_apply
from govcube.deliberation.models import Campaign, Topic, TopicSource, TopicStatus, TopicSupport
from govcube.deliberation.sanitise import sanitise_html
from govcube.deliberation.workflows import TOPIC_FLOW, TOPIC_STATES

MAX_TITLE = 200
MAX_TEXT = 20_000


def _require_person(actor):
    if not getattr(actor, "person_id", None):
        raise DomainError(
            "deliberation.topic.no_person",
            _("Your account is not linked to a person, so you cannot take part."),
            status=403,
        )
    return actor.person


def _liaison_of(actor, body) -> bool:
    """A liaison cadre of one of the body's buildings raises what a visit found."""
    from govcube.engagement.selectors import is_liaison_for

    return is_liaison_for(actor, body.buildings.values_list("pk", flat=True))


def _clean_text(title: str, text: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise DomainError("deliberation.topic.title.required", _("Give the topic a title."), field="title")
    if len(title) > MAX_TITLE:
        raise DomainError(
            "deliberation.topic.title.too_long", _("The title is too long (200 characters at most)."), field="title"
        )
    if len(text or "") > MAX_TEXT:
        raise DomainError(
            "deliberation.topic.text.too_long", _("The text is too long (20,000 characters at most)."), field="text"
        )
    clean = sanitise_html(text)
    if not clean:
        raise DomainError("deliberation.topic.text.required", _("Describe the topic."), field="text")
    return title, clean


def topic_submit(
    *,
    actor,
    body: Body,
    title: str,
    text: str,
    category: str = "",
    campaign: Campaign | None = None,
    on_behalf_of=None,
    is_anonymous: bool = False,
    source: str = TopicSource.ONLINE,
    proposer=None,
    as_liaison: bool = False,
) -> Topic:
    """Someone working in the covered buildings (or a member) raises a topic.

    Staff entering a walk-in topic for someone else pass ``proposer``; they must manage the body.
    """
    if not body.has(Mechanism.TOPIC_COLLECTION):
        raise DomainError("deliberation.topic.body.closed", _("This body does not collect topics."), field="body")
    if proposer is not None and proposer.pk != getattr(actor, "person_id", None):
        if not is_manager(actor, body):
            raise PermissionDenied("deliberation.topic.submit_for_other.denied")
    else:
        proposer = _require_person(actor)
        if not (
            body_covers_person(body, proposer) or is_member(actor, body) or (as_liaison and _liaison_of(actor, body))
        ):
            raise PermissionDenied(
                "deliberation.topic.submit.not_covered",
                _("Only people working in the buildings this body covers can raise topics here."),
            )
    if campaign is not None:
        if campaign.body_id != body.pk:
            raise DomainError(
                "deliberation.topic.campaign.other_body", _("This campaign belongs to another body."), field="campaign"
            )
        if not campaign.is_open():
            raise DomainError("deliberation.topic.campaign.closed", _("This campaign is not open."), field="campaign")
        if category and campaign.categories and category not in campaign.categories:
            raise DomainError(
                "deliberation.topic.category.unknown", _("Choose one of the campaign's categories."), field="category"
            )
        source = TopicSource.CAMPAIGN
    if on_behalf_of is not None and proposer.employer_id != on_behalf_of.pk:
        raise DomainError(
            "deliberation.topic.on_behalf_of.not_employer",
            _("You can only speak for your own employer."),
            field="on_behalf_of",
        )
    title, clean = _clean_text(title, text)
    topic = Topic(
        body=body,
        campaign=campaign,
        title=title,
        text=clean,
        category=(category or "").strip()[:50],
        proposer=proposer,
        on_behalf_of=on_behalf_of,
        is_anonymous=is_anonymous,
        source=source,
        district_id_scope=body.district_id,
        street_id_scope=body.street_id,
    )
    validate(topic, "deliberation.topic")
    with transaction.atomic():
        topic.save()
        audit_record(
            actor=actor, action="deliberation.topic.submitted", obj=topic, after={"title": title, "body": body.pk}
        )
    return topic


def topic_edit(*, actor, topic: Topic, version: int | None, title: str, text: str, category: str = "") -> Topic:
    if not (actor.person_id and actor.person_id == topic.proposer_id):
        raise PermissionDenied("deliberation.topic.edit.denied")
    if not TOPIC_STATES[topic.status].editable:
        raise Conflict("deliberation.topic.edit.locked", _("The topic can no longer be edited."))
    title, clean = _clean_text(title, text)
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        check_version(topic, version, "deliberation.topic.stale")
        before = {"title": topic.title}
        topic.title, topic.text, topic.category = title, clean, (category or topic.category)[:50]
        topic.version += 1
        topic.save()
        audit_record(actor=actor, action="deliberation.topic.edited", obj=topic, before=before, after={"title": title})
    return topic


def topic_support(*, actor, topic: Topic) -> Topic:
    person = _require_person(actor)
    if not TOPIC_STATES[topic.status].supportable:
        raise Conflict("deliberation.topic.support.closed", _("This topic can no longer be supported."))
    if person.pk == topic.proposer_id:
        raise Conflict("deliberation.topic.support.own", _("You cannot support your own topic."))
    if not (body_covers_person(topic.body, person) or is_member(actor, topic.body)):
        raise PermissionDenied("deliberation.topic.support.not_covered")
    try:
        with transaction.atomic():
            TopicSupport.objects.create(topic=topic, person=person)
            Topic.objects.filter(pk=topic.pk).update(support_count=F("support_count") + 1)
            audit_record(actor=actor, action="deliberation.topic.supported", obj=topic)
    except IntegrityError:
        raise DomainError(
            "deliberation.topic.support.twice", _("You already support this topic."), status=409
        ) from None
    topic.refresh_from_db(fields=["support_count"])
    return topic


def topic_unsupport(*, actor, topic: Topic) -> Topic:
    person = _require_person(actor)
    with transaction.atomic():
        deleted, _rows = TopicSupport.objects.filter(topic=topic, person=person).delete()
        if deleted:
            Topic.objects.filter(pk=topic.pk).update(support_count=F("support_count") - 1)
            audit_record(actor=actor, action="deliberation.topic.unsupported", obj=topic)
    topic.refresh_from_db(fields=["support_count"])
    return topic


def topic_action(
    *, actor, topic: Topic, action: str, reason: str = "", merged_into: Topic | None = None, version: int | None = None
) -> Topic:
    """Screening and the rest of the topic's life, through the declared workflow."""
    payload: dict = {}
    if reason:
        payload["reason"] = reason.strip()[:2000]
    if action == "merge":
        if merged_into is None:
            raise DomainError(
                "deliberation.topic.merge.merged_into_required",
                _("Choose the topic to merge into."),
                field="merged_into",
            )
        if (
            merged_into.pk == topic.pk
            or merged_into.body_id != topic.body_id
            or merged_into.status in (TopicStatus.MERGED, TopicStatus.DECLINED, TopicStatus.WITHDRAWN)
        ):
            raise DomainError(
                "deliberation.topic.merge.invalid_target",
                _("Merge into another open topic of the same body."),
                field="merged_into",
            )
        payload["merged_into"] = merged_into.pk

    def apply(locked, transition, data):
        if "reason" in data:
            locked.reason = data["reason"]
        if action == "merge":
            locked.merged_into_id = data["merged_into"]

    topic = transition_apply(
        workflow=TOPIC_FLOW, obj=topic, action=action, actor=actor, payload=payload, version=version, apply=apply
    )
    if action == "merge":
        _move_supporters(topic, merged_into)
    return topic


def _move_supporters(source: Topic, target: Topic) -> None:
    """The proposer and supporters of a merged topic follow the kept one."""
    people = {source.proposer_id, *source.supports.values_list("person_id", flat=True)} - {target.proposer_id}
    existing = set(target.supports.values_list("person_id", flat=True))
    new = [TopicSupport(topic=target, person_id=pid) for pid in sorted(people - existing)]
    TopicSupport.objects.bulk_create(new)
    Topic.objects.filter(pk=target.pk).update(support_count=F("support_count") + len(new))
