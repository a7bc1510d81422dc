"""The one mobile-number rule that forms, the API, the portal and actions share."""

import pytest

from shishi.core.validators import is_mobile


@pytest.mark.parametrize("phone", ["13912345678", "19900001111", "15012345678"])
def test_mainland_mobile_numbers_pass(phone):
    assert is_mobile(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "12345678901",  # no carrier uses 12x
        "1391234567",  # ten digits
        "139123456789",  # twelve
        "13912345678\n",  # a trailing newline would pass `$`
        "１３９１２３４５６７８",  # full-width digits would pass `\d`
        "+8613912345678",
        "",
    ],
)
def test_anything_else_is_refused(phone):
    assert not is_mobile(phone)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("１３９１２３４５６７８", "13912345678"),  # full-width, as a Chinese IME types it
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        (" 13912345678\n", "13912345678"),
    ],
)
def test_a_number_as_people_type_it_is_stored_the_one_way(typed, stored):
    from shishi.core.validators import MobileField

    assert MobileField().clean(typed) == stored


@pytest.mark.parametrize("typed", ["1٣600000012", "1३600000012", "13600000０1２x"])
def test_other_scripts_digits_are_refused_not_folded(typed):
    from django.core.exceptions import ValidationError

    from shishi.core.validators import MobileField, normalise_mobile

    assert not is_mobile(normalise_mobile(typed))
    with pytest.raises(ValidationError):
        MobileField().clean(typed)
