"""Personal-data pages and exports are not stored by caches; logging out clears the site's data."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_personal_data_pages_and_api_answers_are_no_store(login, personas, world):
    client = login(personas.street_njxl)
    for url in (
        reverse("directory:person_list"),
        reverse("directory:person", args=[world.person_a.pk]),
        "/api/v1/people",
        "/me/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_an_export_is_no_store_and_an_ordinary_page_is_not(login, personas):
    client = login(personas.street_njxl)
    export = client.get(reverse("directory:enterprise_list") + "?format=xlsx")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    assert "no-store" in export["Cache-Control"]
    page = client.get(reverse("territory:building_list"))
    assert "no-store" not in page.get("Cache-Control", "")


def test_logging_out_clears_cookies_storage_and_cache(login, personas, client):
    login(personas.street_njxl)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "_auth_user_id" not in client.session


def test_every_page_has_a_content_security_policy_without_inline_script(client, login, personas):
    from pathlib import Path

    page = login(personas.street_njxl).get(reverse("territory:building_list"))
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    assert "script-src 'self' 'unsafe-inline'" not in policy
    html = page.content.decode()
    assert " onchange=" not in html and " onclick=" not in html
    templates = Path(__file__).resolve().parents[2] / "src" / "govcube"
    inline = [
        str(path)
        for path in templates.rglob("*.html")
        if any(handler in path.read_text(encoding="utf-8") for handler in (" onclick=", " onchange=", " onsubmit="))
    ]
    assert inline == []
