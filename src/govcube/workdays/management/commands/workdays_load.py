from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govcube.core.errors import DomainError
from govcube.workdays.files import parse_year_file
from govcube.workdays.models import Source
from govcube.workdays.services import calendar_year_load


class Command(BaseCommand):
    help = (
        "Load one year of the working-day calendar from a CSV or JSON file (date,kind,name; "
        "see src/govcube/workdays/data/README.md). All or nothing: a file with any problem stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, help="the year the file is for (default: the year of its dates)")
        parser.add_argument("--replace", action="store_true", help="replace a year that is already loaded")
        parser.add_argument("--note", default="", help="e.g. the number of the State Council's notice")

    def handle(self, *args, file: Path, year=None, replace=False, note="", **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        try:
            parsed = parse_year_file(content, filename=file.name)
            year = self._year(year, parsed)
            loaded = calendar_year_load(
                actor=None, year=year, rows=parsed.rows, source=Source.FILE, note=note, replace=replace
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"loaded {loaded.year}: {len(parsed.rows)} days from {file.name}"))

    @staticmethod
    def _year(year, parsed) -> int:
        if year is not None:
            if parsed.year is not None and parsed.year != year:
                raise CommandError(f"the file declares the year {parsed.year}, not {year}")
            return year
        if parsed.year is not None:
            return parsed.year
        return parsed.rows[0].date.year  # every other row must be in the same year
