"""QuickSelect writes the same <select> as Django's widget templates, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from shishi.core.forms import QuickSelect, QuickSelectMultiple

CHOICES = [
    ("", "请选择"),
    ("城乡建设", [(1, "城乡建设/住房保障"), (2, '城乡建设/<安全>生产 & "隐患"')]),
    (3, "劳动和社会保障"),
]


@pytest.mark.parametrize(
    ("ours", "django", "value"),
    [
        (QuickSelect, forms.Select, 2),
        (QuickSelect, forms.Select, None),
        (QuickSelectMultiple, forms.SelectMultiple, [1, 3]),
    ],
)
def test_the_markup_is_djangos(ours, django, value):
    attrs = {"id": "id_x", "data-searchable": "输入名称筛选", "required": True, "size": 5}
    mine = ours(attrs=attrs, choices=CHOICES).render("category", value)
    theirs = django(attrs=attrs, choices=CHOICES).render("category", value)

    assert parse_html(mine) == parse_html(theirs)
    assert "&lt;安全&gt;生产 &amp; &quot;隐患&quot;" in mine  # labels escaped
    chosen = value if isinstance(value, list) else [value if value else ""]
    assert mine.count(" selected") == len(chosen)
    for one in chosen:
        assert f'value="{one}" selected' in mine


def test_a_form_field_uses_it_with_its_choices(db):
    class Form(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=QuickSelect)

    html = str(Form(initial={"pick": "b"})["pick"])
    assert parse_html(html) == parse_html(
        '<select name="pick" id="id_pick"><option value="a">甲</option>'
        '<option value="b" selected>乙</option></select>'
    )
