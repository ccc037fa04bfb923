"""What the service desk's notifications say (registered once, from ``AppConfig.ready``).

Every notification carries ``object`` (the request's number and title); workflow ones also
``state``; ``services.rating.low`` carries ``score``; extensions carry ``days`` or
``approved``; the SLA sweep's carry ``due`` (local time, "2026-11-29 14:30").
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govcube.notifications import messages

REQUEST_MESSAGES = {
    "assign": (
        _("New request for you: %(object)s"),
        _("The request “%(object)s” was assigned to you. Accept it and contact the enterprise."),
    ),
    "accept": (
        _("Request accepted: %(object)s"),
        _("The request “%(object)s” was accepted; the service team is working on it."),
    ),
    "ask": (
        _("The service team needs something from you: %(object)s"),
        _("The service team asked a question about “%(object)s”. Open the request and reply; the clock waits for you."),
    ),
    "resume": (
        _("The enterprise replied: %(object)s"),
        _("The enterprise answered on “%(object)s”; the clock runs again."),
    ),
    "resolve": (
        _("Request resolved: %(object)s"),
        _("The request “%(object)s” was resolved. Open it to read the answer and rate the service."),
    ),
    "close": (
        _("Request closed: %(object)s"),
        _("The request “%(object)s” is closed."),
    ),
    "reopen": (
        _("Request reopened: %(object)s"),
        _("The enterprise reopened “%(object)s”: it is to be handled again within 3 working days."),
    ),
    "transfer": (
        _("Request transferred: %(object)s"),
        _("The request “%(object)s” was transferred to another department."),
    ),
    "withdraw": (
        _("Request withdrawn: %(object)s"),
        _("The enterprise withdrew the request “%(object)s”."),
    ),
    "merge": (
        _("Request merged: %(object)s"),
        _("The request “%(object)s” was merged into a similar request; you now follow that one."),
    ),
}

CLOCKS = {
    "first_response": _("first response"),
    "update": _("update to the enterprise"),
    "resolution": _("resolution"),
}

SLA_MESSAGES = {
    "warning": (
        _("Due soon (%(clock)s): %(object)s"),
        _("The %(clock)s of “%(object)s” is due at %(due)s."),
    ),
    "breach": (
        _("Overdue (%(clock)s): %(object)s"),
        _("The %(clock)s of “%(object)s” was due at %(due)s and is overdue."),
    ),
    "escalation_lead": (
        _("Escalated to the team lead (%(clock)s): %(object)s"),
        _("The %(clock)s of “%(object)s” was due at %(due)s. Please follow it up with the owner."),
    ),
    "escalation_district": (
        _("Escalated to the district (%(clock)s): %(object)s"),
        _("The %(clock)s of “%(object)s” was due at %(due)s and is still not met a working day later."),
    ),
}

OTHER_MESSAGES = {
    "services.request.message": (
        _("New message: %(object)s"),
        _("There is a new message on the request “%(object)s”."),
    ),
    "services.rating.low": (
        _("Low rating to review: %(object)s"),
        _("The enterprise rated “%(object)s” %(score)s of 5. Review it and record what was done."),
    ),
    "services.extension.requested": (
        _("Extension to decide: %(object)s"),
        _("The owner of “%(object)s” asks for %(days)s more working days."),
    ),
    "services.request.escalated": (
        _("Escalated: %(object)s"),
        _("The team lead pressed on “%(object)s”. Please report progress."),
    ),
}


def _with_clock(template, clock: str):
    """A template whose ``%(clock)s`` is the clock's translated name, in the reader's language."""

    def render(params) -> str:
        values = {"object": "", "due": ""} | dict(params) | {"clock": str(CLOCKS[clock])}
        return str(template) % values

    return render


def _extension_decided(params, *, body: bool) -> str:
    approved = bool(params.get("approved"))
    values = {"object": params.get("object", "")}
    if body:
        text = (
            gettext("The extension asked for “%(object)s” was approved; the resolution deadline moved.")
            if approved
            else gettext("The extension asked for “%(object)s” was refused; the deadline stands.")
        )
    else:
        text = gettext("Extension approved: %(object)s") if approved else gettext("Extension refused: %(object)s")
    return text % values


def register_all() -> None:
    for action, (subject, body) in REQUEST_MESSAGES.items():
        messages.register(f"services.request.{action}", subject=subject, body=body)
    for clock in CLOCKS:
        for kind, (subject, body) in SLA_MESSAGES.items():
            messages.register(
                f"services.sla.{clock}.{kind}", subject=_with_clock(subject, clock), body=_with_clock(body, clock)
            )
    for code, (subject, body) in OTHER_MESSAGES.items():
        messages.register(code, subject=subject, body=body)
    messages.register(
        "services.extension.decided",
        subject=lambda params: _extension_decided(params, body=False),
        body=lambda params: _extension_decided(params, body=True),
    )


register_all()
