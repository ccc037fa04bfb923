"""``manage.py demo_totp``: codes for demo accounts only."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.management import CommandError, call_command

from govcube.accounts.models import User
from govcube.demo.content import DEMO_TOTP_SECRET
from govcube.demo.selectors import demo_totp_code

pytestmark = pytest.mark.django_db


def demo_user(username="district_admin", **fields):
    user = User.objects.create_user(username=username, password="Correct-Horse-42!", **fields)
    User.objects.filter(pk=user.pk).update(is_demo=True)
    user.refresh_from_db()
    TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def expected_codes():
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return {format_hotp_value(hotp_value(DEMO_TOTP_SECRET, c)) for c in (counter, counter + 1)}


def test_it_prints_the_current_code_of_a_demo_account():
    user = demo_user()
    out = StringIO()
    call_command("demo_totp", "district_admin", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert code in expected_codes()
    authenticator = Authenticator.objects.get(user=user)
    assert TOTP(authenticator).validate_code(code)


def test_the_code_follows_the_clock():
    demo_user()
    code, seconds = demo_totp_code("district_admin", at=59)
    assert code == format_hotp_value(hotp_value(DEMO_TOTP_SECRET, 59 // app_settings.TOTP_PERIOD))
    assert 0 < seconds <= app_settings.TOTP_PERIOD


def test_it_refuses_a_non_demo_account_even_with_a_second_factor():
    user = User.objects.create_user(username="real_admin", password="Correct-Horse-42!")
    TOTP.activate(user, DEMO_TOTP_SECRET)
    out = StringIO()
    with pytest.raises(CommandError, match="not an active demo account"):
        call_command("demo_totp", "real_admin", stdout=out)
    assert out.getvalue() == ""


def test_it_refuses_an_unknown_or_deactivated_account():
    with pytest.raises(CommandError):
        call_command("demo_totp", "nobody", stdout=StringIO())
    user = demo_user("district_leader")
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(CommandError):
        call_command("demo_totp", "district_leader", stdout=StringIO())


def test_it_refuses_a_demo_account_without_a_second_factor():
    user = demo_user("street_njxl")
    Authenticator.objects.filter(user=user).delete()
    with pytest.raises(CommandError, match="second factor"):
        call_command("demo_totp", "street_njxl", stdout=StringIO())
