"""What the notifications of the evaluation app say (registered once, from ``AppConfig.ready``).

``evaluation.rating.requested`` carries ``object``: the delivered project, answered petition or decided topic.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govcube.notifications import messages

messages.register(
    "evaluation.rating.requested",
    subject=_("Rate what was delivered: %(object)s"),
    body=_(
        "%(object)s has been delivered in your building. Tell the committee how well it was done: "
        "rate it once, from 1 to 5."
    ),
)
