"""``manage.py load_demo [--if-empty] [--password P]``: the Jing'an demo, loaded through the services."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govcube.core.errors import DomainError
from govcube.demo.content import DEFAULT_PASSWORD
from govcube.demo.selectors import demo_account_rows, format_demo_accounts
from govcube.demo.services import demo_load


class Command(BaseCommand):
    help = "Load the Jing'an demo: territory, buildings and tax records, enterprises, party organisations, people and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already holds a territory."
        )
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help=f"Password of every demo account (default {DEFAULT_PASSWORD})."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = demo_load(password=options["password"], if_empty=options["if_empty"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if result is None:
            self.stdout.write(_("The database already holds a territory: the demo was not loaded."))
            return
        self.stdout.write(
            self.style.SUCCESS(_("Jing'an demo loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
        )
        for key, value in result.counts.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write("")
        self.stdout.write(format_demo_accounts(demo_account_rows(), result.password))
