"""``manage.py generate --scale district|city|tiny [--seed N] [--force] [--today YYYY-MM-DD]``."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govcube.core.errors import DomainError
from govcube.demo.scale import generate
from govcube.demo.scale.shapes import SCALES


class Command(BaseCommand):
    help = (
        "Generate a large synthetic data set (tiny, one district or a city of sixteen) in bulk, for load tests. "
        "Refuses a database holding data that was not generated unless --force; city scale needs PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=1, help="Same seed and day, same data set (default 1).")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="The day the history ends (default today)."
        )
        parser.add_argument("--force", action="store_true", help="Add to a database that holds other data.")

    def handle(self, *args, **options):
        try:
            result = generate(
                scale=options["scale"], seed=options["seed"], today=options["today"], force=options["force"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Generated the %(scale)s scale (seed %(seed)s): %(rows)s rows in %(seconds).1f s.")
                % {"scale": result.scale, "seed": result.seed, "rows": f"{result.rows:,}", "seconds": result.seconds}
            )
        )
