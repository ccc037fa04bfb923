from django.core.management.base import BaseCommand

from govcube.engagement.services import petition_sweep


class Command(BaseCommand):
    help = "Remind departments of petition answers coming due and escalate overdue ones (idempotent; run hourly)."

    def handle(self, *args, **options):
        sent = petition_sweep()
        self.stdout.write(f"Petition sweep done: {sent} message(s) sent")
