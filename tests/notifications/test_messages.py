from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from govcube.notifications import messages
from govcube.notifications.models import Notification
from tests.notifications.conftest import make_user


@pytest.fixture
def registered():
    """Register test codes, and remove them afterwards."""
    codes: list[str] = []

    def _register(code: str, **texts):
        messages.register(code, **texts)
        codes.append(code)

    yield _register
    for code in codes:
        messages.unregister(code)


def test_it_fills_a_registered_message_with_its_params(registered):
    registered("test.greeting", subject=gettext_lazy("Hello %(object)s"), body=gettext_lazy("%(object)s is %(state)s"))
    subject, body = messages.render_code("test.greeting", {"object": "Topic 7", "state": "open"}, "en")
    assert (subject, body) == ("Hello Topic 7", "Topic 7 is open")


@pytest.mark.parametrize("language", ["zh-hans", "en", "ja"])
def test_it_renders_with_the_requested_language_active(registered, language):
    registered("test.language", subject=lambda params: translation.get_language(), body=gettext_lazy("Body"))
    subject, body = messages.render_code("test.language", {}, language)
    assert subject == language
    assert body  # a translated lazy string came out as text, whatever the catalogue


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en", "ja"])
def test_render_uses_the_recipients_language(registered, language):
    registered("test.recipient", subject=lambda params: translation.get_language(), body=lambda params: "x")
    user = make_user(f"reader-{language}", language=language)
    notification = Notification.objects.create(recipient=user, code="test.recipient", params={})
    assert messages.render(notification) == (language, "x")
    assert translation.get_language() == "en"  # the caller's language is restored


def test_an_unknown_language_falls_back_to_the_default(registered):
    registered("test.fallback_language", subject=lambda params: translation.get_language(), body="-")
    subject, _body = messages.render_code("test.fallback_language", {}, "klingon")
    assert subject == settings.LANGUAGE_CODE


def test_an_unregistered_workflow_code_reads_object_and_action():
    subject, body = messages.render_code("example.topic.decline", {"object": "Bike parking", "state": "declined"}, "en")
    assert subject == "Bike parking: declined"
    assert body == subject  # the state says nothing more than the action


def test_the_generic_message_names_a_state_that_adds_something(monkeypatch):
    monkeypatch.setitem(messages.STATE_LABELS, "under_screening", gettext_lazy("under screening"))
    _subject, body = messages.render_code(
        "example.topic.screen", {"object": "Bike parking", "state": "under_screening"}, "en"
    )
    assert body == "Bike parking: taken up for screening (now: under screening)"
    _subject, body = messages.render_code("work.plan.close", {"object": "Plan", "state": "archived_late"}, "en")
    assert body == "Plan: closed (now: archived late)"


def test_an_unknown_action_is_shown_by_its_name():
    subject, _body = messages.render_code("work.project.put_on_hold", {"object": "Project X"}, "en")
    assert subject == "Project X: put on hold"


def test_an_unknown_code_without_a_dot_gets_the_generic_message():
    subject, body = messages.render_code("mystery", {}, "en")
    assert subject == "New notification"
    assert body == "New notification"


def test_a_missing_placeholder_becomes_empty(registered):
    registered("test.missing", subject=gettext_lazy("About %(object)s"), body=gettext_lazy("%(reason)s."))
    assert messages.render_code("test.missing", {"object": "A"}, "en") == ("About A", ".")


def test_a_broken_message_falls_back_instead_of_crashing(registered):
    registered("test.broken", subject=gettext_lazy("%(object)d items"), body=lambda params: 1 / 0)
    subject, body = messages.render_code("test.broken", {"object": "not a number"}, "en")
    assert subject == "not a number: broken"  # the generic "<object>: <action>" form
    assert body


@pytest.mark.parametrize("language", ["zh-hans", "en", "ja"])
def test_workflow_fallback_works_in_every_language(language):
    subject, body = messages.render_code("grid.event.close", {"object": "事件1", "state": "closed"}, language)
    assert "事件1" in subject and "事件1" in body


params_strategy = st.dictionaries(
    st.text(min_size=1, max_size=10),
    st.one_of(st.text(max_size=30), st.integers(), st.none(), st.lists(st.integers(), max_size=3)),
    max_size=5,
)


@given(
    code=st.text(max_size=60),
    params=st.one_of(params_strategy, st.none(), st.integers()),
    language=st.sampled_from(["zh-hans", "en", "ja", "", "xx"]),
)
def test_rendering_never_raises(code, params, language):
    subject, body = messages.render_code(code, params, language)
    assert isinstance(subject, str) and subject
    assert isinstance(body, str) and body


def test_single_line_makes_a_safe_subject():
    assert messages.single_line("a\nb\r\n  c") == "a b c"
    assert len(messages.single_line("x" * 500)) == 200
