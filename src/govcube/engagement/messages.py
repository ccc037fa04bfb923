"""What the notifications of building liaison and visits say (registered once, from ``AppConfig.ready``).

Every notification carries ``object`` (the building, or the visit); workflow ones also ``state``.
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
    "engagement.visit.record",
    subject=_("Visit recorded: %(object)s"),
    body=_("The visit %(object)s was recorded."),
)
messages.register(
    "engagement.visit.cancel",
    subject=_("Visit cancelled: %(object)s"),
    body=_("The visit %(object)s was cancelled."),
)
