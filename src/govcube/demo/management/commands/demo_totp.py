"""``manage.py demo_totp <username>``: the current 6-digit TOTP code of a demo account."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govcube.core.errors import DomainError
from govcube.demo.selectors import demo_totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (refuses any account that is not an active demo account)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        try:
            code, seconds = demo_totp_code(options["username"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(code)
        self.stderr.write(_("valid for %(seconds)d more seconds") % {"seconds": seconds})
