from django.core.management.base import BaseCommand

from govcube.notifications.webhooks import webhook_sweep


class Command(BaseCommand):
    help = (
        "Attempt every pending webhook delivery whose retry is due, or that was never tried. "
        "The worker retries by itself; run this every few minutes as a safety net."
    )

    def handle(self, *args, **options):
        outcome = webhook_sweep()
        summary = ", ".join(f"{key}: {value}" for key, value in sorted(outcome.items())) or "nothing due"
        self.stdout.write(self.style.SUCCESS(summary))
