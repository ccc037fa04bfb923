"""``manage.py run_demo_server [--host H] [--port P]``: the task worker, the scheduler and the
development server together.

Used by ``make run``. Prints the demo accounts, starts ``db_worker`` and ``run_scheduler`` (which
enqueues the periodic SLA sweep, webhook retries and daily digest) as child processes (same
Python), runs Django's development server in this process, and stops the children when the
server stops (Ctrl-C, SIGTERM or SIGHUP). The children run in their own sessions, so a Ctrl-C
reaches only the server and the children are stopped once, by this command.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

import govcube
from govcube.demo.content import DEFAULT_PASSWORD
from govcube.demo.selectors import demo_account_rows, demo_password_is_default, format_demo_accounts

WORKER_STOP_TIMEOUT = 15  # seconds a worker gets to finish its current task
# Each of these stops the server (as a KeyboardInterrupt) and then the worker.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def worker_command() -> list[str]:
    return [sys.executable, "-m", "django", "db_worker", "--queue-name", "*", "--no-reload"]


def scheduler_command() -> list[str]:
    return [sys.executable, "-m", "django", "run_scheduler"]


def worker_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "govcube.settings")
    source = str(Path(govcube.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH", "")]))
    return env


class Command(BaseCommand):
    help = "Run the task worker and the development server together (for the demo; not for production)."
    requires_system_checks = []  # runserver runs them

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host: str, port: int, **options):
        password = DEFAULT_PASSWORD if demo_password_is_default() else None
        self.stdout.write(format_demo_accounts(demo_account_rows(), password))
        self.stdout.write("")
        worker = subprocess.Popen(  # noqa: S603 - a fixed argv
            worker_command(), env=worker_environment(), start_new_session=True
        )
        scheduler = subprocess.Popen(  # noqa: S603 - a fixed argv
            scheduler_command(), env=worker_environment(), start_new_session=True, stdout=subprocess.DEVNULL
        )
        stopping = threading.Event()
        threading.Thread(target=self._watch, args=(worker, stopping), daemon=True).start()
        previous = {signum: signal.signal(signum, signal.default_int_handler) for signum in STOP_SIGNALS}
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        try:
            call_command("runserver", address, use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            stopping.set()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self._stop(worker)
            if scheduler.poll() is None:
                scheduler.terminate()
                scheduler.wait(timeout=WORKER_STOP_TIMEOUT)

    def _watch(self, worker: subprocess.Popen, stopping: threading.Event) -> None:
        code = worker.wait()
        if not stopping.is_set():
            self.stderr.write(_("The task worker stopped unexpectedly (exit code %(code)s).") % {"code": code})

    def _stop(self, worker: subprocess.Popen) -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=WORKER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write(_("Task worker stopped."))
