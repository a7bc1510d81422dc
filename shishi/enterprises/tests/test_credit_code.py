"""统一社会信用代码: the GB 32100-2015 check character on real codes, and messages that
say which character is wrong."""

import pytest
from django.core.exceptions import ValidationError

from shishi.core.validators import (
    credit_code_check_char,
    credit_code_problem,
    normalise_credit_code,
    validate_credit_code,
)
from shishi.enterprises.models import Enterprise
from shishi.enterprises.tests.conftest import CODES


@pytest.mark.parametrize("code", CODES)
def test_real_codes_are_valid(code):
    assert credit_code_problem(code) is None
    assert credit_code_check_char(code[:17]) == code[17]


def test_a_wrong_check_character_is_named_with_the_right_one():
    assert credit_code_problem("91350100M000100Y44") == (
        "第18位校验码“4”不正确（按前17位应为“3”），请核对是否有字符录错"
    )


def test_a_character_the_standard_does_not_use_is_named_by_position():
    # O (not 0) typed at the 14th place
    message = credit_code_problem("91350100M0001O0Y43")
    assert message.startswith("第14位“O”不是统一社会信用代码可用的字符")


def test_a_code_of_the_wrong_length_says_how_long_it_is():
    assert credit_code_problem("91350100M000100Y4") == "统一社会信用代码应为18位，现在17位"


def test_a_transposition_is_caught_by_the_check_character():
    swapped = "91350100M000010Y43"  # 1 and 0 swapped at 14/15
    assert credit_code_problem(swapped) is not None


def test_the_division_code_must_be_digits():
    code = "91A50100M000100Y4"
    code += credit_code_check_char(code)
    assert "第3至8位" in credit_code_problem(code)


def test_typed_codes_are_normalised():
    assert normalise_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"


def test_the_model_field_carries_the_validator():
    field = Enterprise._meta.get_field("credit_code")
    assert validate_credit_code in field.validators
    with pytest.raises(ValidationError) as caught:
        field.run_validators("91350100M000100Y44")
    assert "第18位" in caught.value.messages[0]
