from django.core.management.base import BaseCommand, CommandError

from govcube.core.errors import DomainError
from govcube.workdays.services import calendar_seed_from_package, package_years


class Command(BaseCommand):
    help = (
        "Load the years the chinese-calendar package covers into the working-day calendar. "
        "Idempotent: years already loaded (from the package, a file or by hand) are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="only this year (repeatable)")

    def handle(self, *args, years=None, **options):
        try:
            loaded = calendar_seed_from_package(actor=None, years=years)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        covered = package_years()
        if loaded:
            self.stdout.write(self.style.SUCCESS(f"loaded {len(loaded)} year(s): {', '.join(map(str, loaded))}"))
        else:
            self.stdout.write(f"nothing to do: {covered.start}–{covered.stop - 1} already loaded")
