"""StyledForm marks a field invalid also when a view adds the service's error after validation."""

from __future__ import annotations

from django import forms

from govcube.core.forms import StyledForm


class ShareForm(StyledForm):
    share = forms.IntegerField(label="Share", help_text="1 to 100")


def test_an_error_added_after_validation_marks_the_field_and_links_the_message():
    form = ShareForm({"share": "50"}, auto_id="claim-%s")
    assert form.is_valid()
    assert 'aria-describedby="claim-share-help"' in str(form["share"])
    form.add_error("share", "Only 40% of this project is still unclaimed.")
    html = str(form["share"])
    assert "is-invalid" in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="claim-share-error"' in html
    form.add_error("share", "again")
    assert str(form["share"]).count("is-invalid") == 1


def test_a_validation_error_marks_the_field():
    form = ShareForm({"share": "many"})
    assert not form.is_valid()
    assert 'aria-describedby="id_share-error"' in str(form["share"])
