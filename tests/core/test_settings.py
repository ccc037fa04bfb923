"""Production mode refuses insecure configuration; development has safe defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from govcube.config import check_production, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"}}
    full.update(env)
    code = "import django; django.setup(); print('started')"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=full | {"PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "govcube.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_with_defaults():
    result = _start({"GOVCUBE_ENV": "production"})
    assert result.returncode != 0
    assert "Refusing to start in production mode" in result.stderr
    assert "SECRET_KEY" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_proper_values(tmp_path):
    result = _start(
        {
            "GOVCUBE_ENV": "production",
            "SECRET_KEY": "x7" * 30 + "abcdefgh",
            "AUDIT_HMAC_KEY": "k3" * 20,
            "ALLOWED_HOSTS": "govcube.example",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        ({"secret_key": "django-insecure-" + "a" * 60}, "SECRET_KEY"),
        ({"debug": True}, "DEBUG"),
        ({"allowed_hosts": ["*"]}, "ALLOWED_HOSTS"),
        ({"database_url": ""}, "DATABASE_URL"),
        ({"audit_key": ""}, "AUDIT_HMAC_KEY"),
        ({"audit_key": "q9" * 30}, "AUDIT_HMAC_KEY"),
    ],
)
def test_each_insecure_value_is_named(kwargs, needle):
    good = {
        "secret_key": "q9" * 30,
        "debug": False,
        "allowed_hosts": ["govcube.example"],
        "database_url": "postgres://x",
        "audit_key": "a7" * 20,
    }
    with pytest.raises(ImproperlyConfigured) as exc:
        check_production(**(good | kwargs))
    assert needle in str(exc.value)


def test_bad_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("GC_TEST_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("GC_TEST_BOOL", False)
    monkeypatch.setenv("GC_TEST_INT", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("GC_TEST_INT", 1)


@pytest.mark.django_db
def test_production_refuses_demo_accounts(settings, personas):
    from govcube.accounts.demo_guard import refuse_demo_accounts_in_production
    from govcube.accounts.models import User

    settings.PRODUCTION = True
    refuse_demo_accounts_in_production()  # no demo accounts: fine
    User.objects.filter(pk=personas.street_njxl.pk).update(is_demo=True)
    with pytest.raises(ImproperlyConfigured):
        refuse_demo_accounts_in_production()


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_warns_when_tasks_wait_for_the_worker(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="govcube.notifications.tasks.deliver_notifications",
        backend_name="default",
        run_after=get_date_max(),
        priority=0,
        queue_name="default",
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    check = client.get("/healthz").json()["checks"]["task_queue"]
    assert check["ok"] is True and check["warning"] is True and "worker" in check["detail"]


@pytest.mark.django_db
def test_healthz_answers_503_when_a_check_fails(client, monkeypatch):
    from govcube.core import health

    def broken():
        raise RuntimeError("down")

    monkeypatch.setitem(health._CHECKS, "broken", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["broken"]["ok"] is False
