"""``manage.py demo_remove``: deactivate the demo accounts so a production start is allowed."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from govcube.demo.services import demo_accounts_remove


class Command(BaseCommand):
    help = "Deactivate and unlink every demo account (no login, unusable password, no roles, no second factor)."

    def handle(self, *args, **options):
        removed = demo_accounts_remove(actor=None)
        if not removed:
            self.stdout.write(_("No demo accounts to remove."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Deactivated %(count)d demo accounts: %(names)s")
                % {"count": len(removed), "names": ", ".join(removed)}
            )
        )
