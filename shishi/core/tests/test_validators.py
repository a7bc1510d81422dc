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
