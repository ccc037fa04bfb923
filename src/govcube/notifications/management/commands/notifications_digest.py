from django.core.management.base import BaseCommand, CommandError

from govcube.notifications.digest import digest_send


class Command(BaseCommand):
    help = (
        "Email each daily-digest user one message listing their notifications not yet emailed. "
        "Idempotent: safe to run twice. Run once a day (e.g. from cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        run = digest_send()
        message = f"digest sent to {run.users} users ({run.notifications} notifications)"
        if run.failures:
            raise CommandError(f"{message}; {run.failures} emails failed")
        self.stdout.write(self.style.SUCCESS(message))
