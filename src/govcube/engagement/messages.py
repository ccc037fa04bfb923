"""What the notifications of building liaison, visits and special petitions say (registered once,
from ``AppConfig.ready``).

Every notification carries ``object`` (the building, the visit, the petition's title); workflow ones
also ``state``. The petition services add ``due`` (the answer date) and the sweep ``department``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govcube.notifications import messages

messages.register(
    "engagement.liaison.assigned",
    subject=_("You look after a building: %(object)s"),
    body=_("You were assigned as the liaison cadre of %(object)s. Plan your visits on your desk."),
)
messages.register(
    "engagement.visit.overdue",
    subject=_("Overdue visit: %(object)s"),
    body=_("The visit %(object)s was planned for %(due)s and has not been recorded. Record it or cancel it."),
)
messages.register(
    "engagement.visit.record",
    subject=_("Visit recorded: %(object)s"),
    body=_("The visit %(object)s was recorded."),
)
messages.register(
    "engagement.visit.cancel",
    subject=_("Visit cancelled: %(object)s"),
    body=_("The visit %(object)s was cancelled."),
)


# --- Special petitions ----------------------------------------------------------------------------
# To the departments when the committee sends a petition (object, due)
messages.register(
    "engagement.petition.submitted",
    subject=_("New special petition: %(object)s"),
    body=_(
        "A building affairs committee sent your department the special petition %(object)s. "
        "Acknowledge it, and answer by %(due)s."
    ),
)
# From the hourly sweep (object, department, due)
messages.register(
    "engagement.petition.acknowledge_overdue",
    subject=_("Petition not acknowledged yet: %(object)s"),
    body=_(
        "%(department)s has not acknowledged the special petition %(object)s in time. The answer is due by %(due)s."
    ),
)
messages.register(
    "engagement.petition.answer_soon",
    subject=_("Answer due soon: %(object)s"),
    body=_("The answer of %(department)s to the special petition %(object)s is due by %(due)s."),
)
messages.register(
    "engagement.petition.answer_overdue",
    subject=_("Answer overdue: %(object)s"),
    body=_(
        "The answer of %(department)s to the special petition %(object)s was due by %(due)s and has not "
        "arrived. The petition is escalated to the street."
    ),
)
messages.register(
    "engagement.petition.escalated_street",
    subject=_("Overdue petition escalated to the street: %(object)s"),
    body=_(
        "%(department)s has not answered the special petition %(object)s, due by %(due)s. "
        "It is escalated to you as the street: please follow it up with the department."
    ),
)
messages.register(
    "engagement.petition.escalated_district",
    subject=_("Overdue petition escalated to the district: %(object)s"),
    body=_(
        "%(department)s has still not answered the special petition %(object)s, due by %(due)s, "
        "more than five working days later. It is escalated to the district."
    ),
)
# Workflow notifications (object, state)
messages.register(
    "engagement.petition.all_answered",
    subject=_("Every department has answered: %(object)s"),
    body=_(
        "Every department has answered the special petition %(object)s. Accept the answer, contest it "
        "once with your reasons, or close the petition as unresolved."
    ),
)
messages.register(
    "engagement.petition.contest",
    subject=_("Answer contested: %(object)s"),
    body=_("The committee contested the answer to the special petition %(object)s. Please answer again."),
)
messages.register(
    "engagement.petition.withdraw",
    subject=_("Petition withdrawn: %(object)s"),
    body=_("The committee withdrew the special petition %(object)s. No answer is needed any more."),
)
