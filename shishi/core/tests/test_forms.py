"""Forms speak plainly: length limits in words, number keypads on phones."""

from django import forms

from shishi.core.forms import StyledForm


class _Note(StyledForm):
    text = forms.CharField(min_length=10, max_length=20, widget=forms.Textarea)
    days = forms.IntegerField()
    amount = forms.DecimalField()


def test_length_errors_are_plain_chinese_and_the_limit_is_stated():
    short, long = _Note({"text": "太短", "days": 1, "amount": 1}), _Note({"text": "长" * 21})

    assert short.errors["text"] == ["请至少填写10个字（现在2个字）"]
    assert long.errors["text"] == ["最多20个字（现在21个字），请精简"]
    assert _Note().fields["text"].help_text == "不超过20字"
    assert 'maxlength="20"' in str(_Note()["text"])


def test_a_limit_the_help_text_already_states_is_not_said_twice():
    class _Told(StyledForm):
        text = forms.CharField(max_length=20, widget=forms.Textarea, help_text="10–20字")

    assert _Told().fields["text"].help_text == "10–20字"


def test_number_fields_ask_for_a_number_keypad():
    form = _Note()

    assert 'inputmode="numeric"' in str(form["days"])
    assert 'inputmode="decimal"' in str(form["amount"])
