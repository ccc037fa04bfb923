from django.core.management.base import BaseCommand

from govcube.engagement.services import overdue_visit_sweep


class Command(BaseCommand):
    help = "Tell liaison cadres about planned visits whose day has passed (once per visit; run daily)."

    def handle(self, *args, **options):
        sent = overdue_visit_sweep()
        self.stdout.write(f"Overdue visits: {sent} cadre notification(s) sent")
