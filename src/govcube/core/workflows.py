"""The workflow helper every module uses for state changes.

A workflow is declared as a table of transitions (state, action, who may, next
state). ``transition_apply`` is the one way to move an object: it checks the
state and the actor, requires the payload fields the transition names, saves,
audits (``<workflow>.<action>``) and queues the notification after commit.

    TOPIC_FLOW = Workflow("deliberation.topic", [
        Transition("submitted", "screen", "under_screening", allowed=is_convener),
        Transition("under_screening", "decline", "declined", allowed=is_convener, requires=("reason",)),
    ])
    transition_apply(workflow=TOPIC_FLOW, obj=topic, action="decline", actor=user, payload={"reason": "…"})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import transaction
from django.utils.translation import gettext as _

from govcube.core.errors import Conflict, DomainError, PermissionDenied, check_version

Predicate = Callable[[object, object], bool]


def anyone(user, obj) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    source: str | tuple[str, ...]
    action: str
    target: str
    allowed: Predicate = anyone
    requires: tuple[str, ...] = ()
    label: str = ""
    # Who is told: a function (obj, actor) -> iterable of users.
    notify: Callable[[object, object], Iterable] | None = None

    def leaves(self, state: str) -> bool:
        return state == self.source if isinstance(self.source, str) else state in self.source


@dataclass
class Workflow:
    name: str  # the audit namespace, e.g. "deliberation.topic"
    transitions: list[Transition]
    field: str = "status"
    _by_action: dict[str, list[Transition]] = dataclass_field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_action = {}
        for transition in self.transitions:
            self._by_action.setdefault(transition.action, []).append(transition)

    @property
    def actions(self) -> list[str]:
        return list(self._by_action)

    def find(self, state: str, action: str) -> Transition | None:
        for transition in self._by_action.get(action, ()):
            if transition.leaves(state):
                return transition
        return None

    def available(self, obj, user) -> list[Transition]:
        """The actions this user may take on this object now (for buttons and API answers)."""
        state = getattr(obj, self.field)
        return [t for t in self.transitions if t.leaves(state) and t.allowed(user, obj)]


def transition_apply(
    *,
    workflow: Workflow,
    obj,
    action: str,
    actor,
    payload: dict | None = None,
    version: int | None = None,
    apply: Callable[[object, Transition, dict], None] | None = None,
):
    """Apply one declared transition; returns the saved object."""
    payload = payload or {}
    if action not in workflow.actions:
        raise DomainError(f"{workflow.name}.{action}.unknown", _("Unknown action."), status=400)
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        state = getattr(locked, workflow.field)
        transition = workflow.find(state, action)
        if transition is None:
            raise Conflict(
                f"{workflow.name}.{action}.not_allowed_in_state",
                _("This action is not possible in the current state."),
                field=workflow.field,
            )
        if not transition.allowed(actor, locked):
            raise PermissionDenied(f"{workflow.name}.{action}.forbidden")
        for name in transition.requires:
            if not str(payload.get(name) or "").strip():
                raise DomainError(f"{workflow.name}.{action}.{name}_required", _("This field is required."), field=name)
        if hasattr(locked, "version"):
            check_version(locked, version, f"{workflow.name}.{action}.stale")
            locked.version += 1
        setattr(locked, workflow.field, transition.target)
        if apply is not None:
            apply(locked, transition, payload)
        locked.save()
        from govcube.audit.services import audit_record

        audit_record(
            actor=actor,
            action=f"{workflow.name}.{action}",
            obj=locked,
            before={workflow.field: state},
            after={workflow.field: transition.target, **payload},
        )
        if transition.notify is not None:
            recipients = [user for user in transition.notify(locked, actor) if user != actor]
            if recipients:
                from govcube.notifications.services import notify

                notify(
                    recipients=recipients,
                    code=f"{workflow.name}.{action}",
                    obj=locked,
                    params={"object": str(locked), "state": transition.target},
                )
    return locked
