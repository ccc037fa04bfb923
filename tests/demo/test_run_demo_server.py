"""``manage.py run_demo_server``: the worker starts with the server and stops with it."""

from __future__ import annotations

import sys
from io import StringIO

import pytest
from django.core.management import call_command

from govcube.demo.management.commands import run_demo_server

pytestmark = pytest.mark.django_db


class FakeWorker:
    def __init__(self, argv, **kwargs):
        self.argv = argv
        self.kwargs = kwargs
        self.returncode = None
        self.terminated = False

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        while self.returncode is None:
            import time

            time.sleep(0.01)
        return self.returncode

    def terminate(self):
        self.terminated = True
        self.returncode = 0

    def kill(self):  # pragma: no cover - terminate always works here
        self.returncode = -9


@pytest.fixture
def fakes(monkeypatch):
    started, served = [], []

    def popen(argv, **kwargs):
        worker = FakeWorker(argv, **kwargs)
        started.append(worker)
        return worker

    monkeypatch.setattr(run_demo_server.subprocess, "Popen", popen)
    monkeypatch.setattr(run_demo_server, "call_command", lambda *args, **kwargs: served.append((args, kwargs)))
    return started, served


def test_it_starts_the_worker_the_scheduler_and_the_server_and_stops_them(fakes):
    started, served = fakes
    out = StringIO()
    call_command("run_demo_server", "--host", "0.0.0.0", "--port", "8123", stdout=out, stderr=StringIO())
    worker, scheduler = started
    assert worker.argv[:4] == [sys.executable, "-m", "django", "db_worker"]
    assert scheduler.argv[:4] == [sys.executable, "-m", "django", "run_scheduler"]
    assert worker.kwargs["start_new_session"] is True and scheduler.kwargs["start_new_session"] is True
    assert served == [(("runserver", "0.0.0.0:8123"), {"use_reloader": False})]
    assert worker.terminated and scheduler.terminated
    assert "No active demo accounts" in out.getvalue()


def test_ctrl_c_stops_the_worker_too(fakes, monkeypatch):
    started, _served = fakes

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_demo_server, "call_command", interrupted)
    call_command("run_demo_server", stdout=StringIO(), stderr=StringIO())
    assert all(child.terminated for child in started)


def test_the_worker_finds_the_project_package():
    env = run_demo_server.worker_environment()
    assert env["DJANGO_SETTINGS_MODULE"]
    assert any(part.endswith("src") for part in env["PYTHONPATH"].split(":"))
