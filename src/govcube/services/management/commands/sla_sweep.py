from django.core.management.base import BaseCommand

from govcube.services.sweep import sla_sweep


class Command(BaseCommand):
    help = "Send SLA reminders and escalations that are due (idempotent; run every few minutes)."

    def handle(self, *args, **options):
        sent = sla_sweep()
        self.stdout.write(f"SLA sweep done: {sent} message(s) sent")
