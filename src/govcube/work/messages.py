"""What the notifications of the work app say (registered once, from ``AppConfig.ready``).

Every notification carries ``object``: the project's title (``work.claim.submitted`` also
``claimant`` and ``share``), the resource's title for ``work.resource.offered``, the claim
("<claimant> <share>%") for the claim workflow. Workflow notifications (``work.project.<action>``,
``work.claim.<action>``) also carry ``state``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from govcube.notifications import messages

MESSAGES = {
    "work.claim.submitted": (
        _("New claim on %(object)s"),
        _("%(claimant)s claimed %(share)s%% of the project “%(object)s”. Approve or decline the claim."),
    ),
    "work.progress.posted": (
        _("Progress reported: %(object)s"),
        _("New progress was reported on the project “%(object)s”."),
    ),
    "work.resource.offered": (
        _("Resource offered: %(object)s"),
        _("A resource was offered to your body: “%(object)s”. It can be committed to one of its projects."),
    ),
    "work.resource.committed": (
        _("Your resource is used: %(object)s"),
        _("The resource you offered was committed to the project “%(object)s”."),
    ),
    "work.project.start": (
        _("Project started: %(object)s"),
        _("The project “%(object)s” has started. Post your progress and photos on its page."),
    ),
    "work.project.complete": (
        _("Project reported complete: %(object)s"),
        _("The project “%(object)s” was reported complete. Verify the outcome or send it back."),
    ),
    "work.project.verify": (
        _("Project verified: %(object)s"),
        _("The delivery of the project “%(object)s” was verified. Thank you."),
    ),
    "work.project.send_back": (
        _("Project sent back: %(object)s"),
        _("The project “%(object)s” was sent back for more work. Open it to read the reason."),
    ),
    "work.project.cancel": (
        _("Project cancelled: %(object)s"),
        _("The project “%(object)s” was cancelled. Open it to read the reason."),
    ),
    "work.claim.approve": (
        _("Claim approved: %(object)s"),
        _("Your claim (%(object)s) was approved. You can start on the project."),
    ),
    "work.claim.reject": (
        _("Claim not approved: %(object)s"),
        _("Your claim (%(object)s) was not approved. Open the project to read the reason."),
    ),
    "work.claim.withdraw": (
        _("Claim withdrawn: %(object)s"),
        _("The claim %(object)s was withdrawn; its share is free to claim again."),
    ),
}

for _code, (_subject, _body) in MESSAGES.items():
    messages.register(_code, subject=_subject, body=_body)
