"""Text as people write it (core.text): cleaned without loss, titles cut where words end."""

import pytest

from shishi.core import text
from shishi.core.forms import LongTextField


def test_clean_strips_controls_and_normalises_line_breaks_and_keeps_everything_else():
    kept = "表\t格\u3000全角，空格😀👨\u200d👩\u200d👧\u200b繁體字"
    written = "第一行\r\n第二行\r第三行\x00\x07\x1b\x7f\x85\u2028" + kept
    assert text.clean(written) == "第一行\n第二行\n第三行\n" + kept


def test_clean_of_clean_text_is_the_same_text():
    written = "小区门口\n\t路灯不亮😀，已经三天。"
    assert text.clean(written) == written


def test_for_search_folds_full_width_and_drops_zero_width_spaces():
    assert text.for_search("ＡＢＣ１２３小\u200b区\ufeff") == "ABC123小区"


@pytest.mark.parametrize(
    ("written", "title"),
    [
        # The first sentence when it fits.
        ("路灯不亮。小区门口的路灯已经坏了三天，晚上出行很不方便。", "路灯不亮"),
        # Else cut where a clause ends …
        (
            "我们小区门口的路灯已经坏了整整三天了，晚上老人孩子出行很不方便，请尽快修复",
            "我们小区门口的路灯已经坏了整整三天了…",
        ),
        # … skipping blank lines and leading spaces.
        ("\n\n  \u3000噪音扰民！楼下烧烤店每晚营业到凌晨两点", "噪音扰民"),
    ],
)
def test_summary_takes_the_first_sentence_or_cuts_at_a_clause(written, title):
    assert text.summary(written, 30) == title


def test_summary_without_punctuation_cuts_between_words_never_inside_one():
    written = (
        "D12市砖厂协会和商品砼协会违规操控市场价格尊敬的政府相关部门"
        "今年以来砖厂与商品砼成立了一个协会"
    )
    title = text.summary(written, 30)
    assert len(title) <= 30 and title.endswith("…")
    head = title[:-1]
    assert written.startswith(head)
    # The next character starts a new jieba word: the cut is at a boundary of the text's words.
    import jieba

    bounds = {0}
    for word in jieba.cut(written):
        bounds.add(max(bounds) + len(word))
    assert len(head) in bounds


def test_summary_of_one_endless_word_is_cut_where_it_must_be():
    assert text.summary("1" * 80, 30) == "1" * 29 + "…"


def test_clip_marks_a_cut_and_leaves_short_text_alone():
    assert text.clip("短信", 10) == "短信"
    assert text.clip("一二三四五六", 4) == "一二三…"


def test_long_text_field_counts_what_is_stored_and_states_a_counter_not_maxlength():
    field = LongTextField(max_length=10, min_length=2)
    # 10 characters once "\r\n" is one line break and the NUL is gone: accepted.
    assert field.clean("一二三四\r\n五六七\x00八九") == "一二三四\n五六七八九"
    attrs = field.widget_attrs(field.widget)
    assert attrs["data-maxchars"] == "10" and "maxlength" not in attrs


def test_an_xlsx_cell_holds_the_whole_text_up_to_excels_limit_and_says_when_cut(tmp_path):
    from openpyxl import Workbook, load_workbook

    from shishi.core.uploads import XLSX_CELL_MAX, XLSX_CUT_NOTE, xlsx_cell

    whole = "投诉" * 2500 + "😀\t表格"
    endless = "长" * (XLSX_CELL_MAX + 10)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append([xlsx_cell(sheet, v) for v in (whole, endless, "=1+1", "响铃\x07字")])
    book.save(tmp_path / "t.xlsx")
    row = next(load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True))
    assert row[0] == whole
    assert len(row[1]) == XLSX_CELL_MAX and row[1].endswith(XLSX_CUT_NOTE)
    assert row[2] == "=1+1"  # text, not a formula
    assert row[3] == "响铃字"
