"""Login security: lockout, no account enumeration, Argon2, second factor, session timeouts."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.urls import reverse

from govcube.accounts.middleware import _LOGIN_AT, _SEEN_AT
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN_URL = "/accounts/login/"


def _attempt(client, username, password):
    return client.post(LOGIN_URL, {"login": username, "password": password})


def test_a_correct_password_logs_in(client, personas):
    response = _attempt(client, "street_njxl", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_the_account_locks_after_repeated_failures(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "street_njxl", "wrong-password")
    locked = _attempt(client, "street_njxl", PASSWORD)
    assert locked.status_code == 429
    assert client.get(reverse("core:home")).status_code == 302  # still not logged in


def test_an_unknown_account_gets_the_same_answers(client, personas):
    known = [_attempt(client, "street_njxl", "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    unknown = [_attempt(client, "no_such_user", "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]

    def strip(response, username):
        text = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.content.decode())
        return text.replace(username, "X")

    assert strip(known[0], "street_njxl") == strip(unknown[0], "no_such_user")
    assert strip(known[-1], "street_njxl") == strip(unknown[-1], "no_such_user")


def test_the_security_admin_can_lift_a_lockout(client, personas, login):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "street_njxl", "wrong-password")
    admin = login(personas.district_security)
    assert admin.post(reverse("accounts:user_unlock", args=[personas.street_njxl.pk])).status_code == 302
    admin.logout()
    assert _attempt(client, "street_njxl", PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2_in_the_real_settings():
    from govcube import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "12345678901234", "Password1234"])
def test_weak_passwords_are_refused(personas, password):
    from govcube.accounts.services import user_create
    from govcube.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        user_create(actor=personas.district_security, username="new_user", password=password)
    assert exc.value.field == "password"


def test_district_roles_must_enrol_a_second_factor(client, personas, login):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=personas.district_leader).delete()
    response = login(personas.district_leader).get(reverse("territory:building_list"))
    assert response.status_code == 302 and "/accounts/2fa/totp/activate" in response["Location"]


def test_street_roles_do_not_need_a_second_factor(personas, login):
    assert login(personas.street_njxl).get(reverse("territory:building_list")).status_code == 200


def test_an_idle_session_ends(client, personas, login):
    client = login(personas.street_njxl)
    client.get(reverse("core:home"))
    session = client.session
    session[_SEEN_AT] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("core:home")).status_code == 302


def test_a_session_ends_after_the_absolute_timeout_even_when_active(client, personas, login):
    client = login(personas.street_njxl)
    client.get(reverse("core:home"))
    session = client.session
    session[_LOGIN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_TIMEOUT - 5
    session[_SEEN_AT] = int(time.time())
    session.save()
    assert client.get(reverse("core:home")).status_code == 302


def test_self_signup_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code in (200, 403)
    assert not response.context or "form" not in response.context or response.context.get("form") is None
