from django.core.management.base import BaseCommand, CommandError

from govcube.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exits non-zero when any row was edited or deleted."

    def handle(self, *args, **options):
        result = audit_verify()
        for problem in result.problems[:100]:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(f"audit chain broken: {len(result.problems)} problem(s) in {result.checked} events")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {result.checked} events"))
