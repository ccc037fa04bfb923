"""``manage.py run_scheduler``: enqueue the periodic jobs (SLA sweep, webhook retries, daily digest)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand

from govcube.core.periodic import enqueue_due


class Command(BaseCommand):
    help = "Enqueue periodic jobs for the task worker when they are due (run one per deployment)."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=int, default=30, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args, tick: int, once: bool, **options):
        last_runs: dict = {}
        stop = {"now": False}
        signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        while True:
            for name in enqueue_due(last_runs):
                self.stdout.write(f"enqueued {name}")
            if once or stop["now"]:
                return
            time.sleep(tick)
