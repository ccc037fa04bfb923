from __future__ import annotations

import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govcube.accounts.models import User
from govcube.accounts.roles import Role

WEBHOOK_PERMISSION = "notifications.change_webhookendpoint"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def make_user(username: str, *, email: str = "", language: str = "en", **fields) -> User:
    return User.objects.create_user(
        username=username, email=email, language=language, display_name=username, password=None, **fields
    )


@pytest.fixture
def alice(db):
    return make_user("alice", email="alice@example.com")


@pytest.fixture
def bob(db):
    return make_user("bob", email="bob@example.com")


@pytest.fixture
def webhook_permission(monkeypatch):
    """Grant notifications.change_webhookendpoint to system and street admins for the test.

    (accounts/roles.py does not list it yet; once it does, this fixture changes nothing.)
    """
    import rules

    from govcube.accounts import roles
    from govcube.accounts.rules import _make_predicate

    for role in (Role.SYSTEM_ADMIN, Role.STREET_OFFICIAL):
        monkeypatch.setitem(roles.ROLE_PERMISSIONS, role, roles.ROLE_PERMISSIONS[role] | {WEBHOOK_PERMISSION})
    added = not rules.perm_exists(WEBHOOK_PERMISSION)
    if added:
        rules.add_perm(WEBHOOK_PERMISSION, _make_predicate(WEBHOOK_PERMISSION))
    yield WEBHOOK_PERMISSION
    if added:
        rules.remove_perm(WEBHOOK_PERMISSION)


class Receiver:
    """A webhook receiver on 127.0.0.1: records what it got and answers with ``status``."""

    def __init__(self) -> None:
        self.requests: list[tuple[Message, bytes]] = []
        self.status = 200
        self.url = ""

    @property
    def last(self) -> tuple[Message, bytes]:
        return self.requests[-1]


@pytest.fixture
def receiver(monkeypatch):
    for variable in PROXY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.requests.append((self.headers, body))
            self.send_response(received.status)
            if 300 <= received.status < 400:
                self.send_header("Location", received.url + "/elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format, *args):  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield received
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
