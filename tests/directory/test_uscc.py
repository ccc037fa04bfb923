"""USCC validation: property-based against the check-digit algorithm of GB 32100-2015."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from govcube.directory.validators import validate_uscc
from tests.factories import make_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(st.integers(min_value=1, max_value=99_999_999))
def test_generated_codes_are_valid(n):
    validate_uscc(make_uscc(n))


@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from(ALPHABET))
def test_any_wrong_check_digit_is_rejected(n, replacement):
    code = make_uscc(n)
    if replacement == code[-1]:
        return
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code[:-1] + replacement)
    assert exc.value.code in {"checksum", "format"}


@given(st.text(alphabet=ALPHABET, min_size=0, max_size=30).filter(lambda s: len(s) != 18))
def test_wrong_lengths_are_rejected_as_length(code):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code)
    assert exc.value.code == "length"


@pytest.mark.parametrize("code", ["91310106MA1FL0RO1X", "9131010600000001IL", "9131010600000001ZL"])
def test_letters_outside_the_alphabet_are_rejected(code):
    with pytest.raises(ValidationError):
        validate_uscc(code)


def test_a_known_real_format_code_passes():
    # Check digit computed by hand for this body: 91310106 + 00000001 + 9 → L
    validate_uscc("91310106000000019L")


def test_input_is_normalised_before_validation():
    from govcube.directory.validators import normalise_uscc

    assert normalise_uscc(" 91310106000000019l ") == "91310106000000019L"
