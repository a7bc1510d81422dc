"""The 公文 DOCX, its charts and the XLSX annex, read back with python-docx and openpyxl."""

import io
import logging
from datetime import date

import docx as python_docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from matplotlib import font_manager
from openpyxl import load_workbook

from shishi.core.documents import Chart, Document, Heading, Paragraph, Table, annex, charts
from shishi.core.documents.docx import NO_FONT_NOTE, render

ISSUER = "漳州市“我为群众办实事”实践活动领导小组办公室"
NUMBER = "漳实事办〔2026〕12号"
TITLE = "关于2026年11月诉求办理情况的通报"
COUNTIES = ("芗城区", "龙文区", "龙海区")
RED = RGBColor(0xFF, 0x00, 0x00)


@pytest.fixture(autouse=True)
def _charts_at_low_resolution(monkeypatch):
    monkeypatch.setattr(charts, "DPI", 30)


@pytest.fixture
def no_cjk_font(monkeypatch):
    """The machine has no font with Chinese glyphs."""
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts, "find_cjk_family", lambda: None)
    yield
    charts.cjk_font.cache_clear()  # the next test looks the real font up again


@pytest.fixture
def some_font(monkeypatch):
    """A Chinese font is found: this machine's, or a stand-in where none is installed."""
    if charts.cjk_font() is not None:
        yield
        return
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts, "find_cjk_family", lambda: "DejaVu Sans")
    yield
    charts.cjk_font.cache_clear()


def bulletin(*blocks, **fields) -> Document:
    values = {
        "title": TITLE,
        "issuer": ISSUER,
        "issued": date(2026, 12, 2),
        "number": NUMBER,
        "addressees": "各县（市、区）、市直各单位：",
    }
    document = Document(**(values | fields))
    document.add(*blocks)
    return document


def rates_chart(kind: str = "bar") -> Chart:
    return Chart("按时办结率", kind, COUNTIES, (("按时办结率", (95.5, None, 80.0)),), unit="%")


def read(document: Document):
    return python_docx.Document(io.BytesIO(render(document)))


def texts(out) -> list[str]:
    return [p.text for p in out.paragraphs]


def paragraph(out, text: str):
    return next(p for p in out.paragraphs if p.text == text)


def next_paragraph(out, paragraph):
    paragraphs = out.paragraphs
    return paragraphs[[p._p for p in paragraphs].index(paragraph._p) + 1]


def east_asian_font(run) -> str:
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def bottom_border_colour(paragraph) -> str | None:
    bottom = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    return None if bottom is None else bottom.get(qn("w:color"))


# --- 版头, title, page -------------------------------------------------------------------------


def test_red_header_is_the_issuer_with_wenjian_centred_and_red():
    out = read(bulletin())

    header = out.paragraphs[0]
    assert header.text == ISSUER + "文件"
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [run.font.color.rgb for run in header.runs] == [RED]
    assert header.runs[0].font.bold
    assert header.runs[0].font.size >= Pt(22)


def test_a_header_of_its_own_replaces_the_default():
    out = read(bulletin(header="漳州市实事办"))

    assert out.paragraphs[0].text == "漳州市实事办"


def test_number_is_centred_under_the_header_then_a_red_rule():
    out = read(bulletin())

    number, rule = out.paragraphs[1], out.paragraphs[2]
    assert number.text == NUMBER
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert rule.text == ""
    assert bottom_border_colour(rule) == "FF0000"


def test_an_internal_report_keeps_header_and_rule_without_a_number():
    out = read(bulletin(number=""))

    assert out.paragraphs[0].text == ISSUER + "文件"
    assert bottom_border_colour(out.paragraphs[1]) == "FF0000"
    assert not any("〔" in text for text in texts(out))


def test_title_in_xiaobiaosong_erhao_centred_then_the_addressees():
    out = read(bulletin())

    title = paragraph(out, TITLE)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert east_asian_font(title.runs[0]) == "方正小标宋简体"
    to = next_paragraph(out, title)
    assert to.text == "各县（市、区）、市直各单位："
    assert to.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert not to.paragraph_format.first_line_indent


def test_page_is_a4_with_the_standard_margins():
    section = read(bulletin()).sections[0]

    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_body_is_fangsong_sanhao_indented_two_characters_on_fixed_lines():
    out = read(bulletin(Paragraph("全市共受理群众诉求3216件。")))

    body = paragraph(out, "全市共受理群众诉求3216件。")
    run = body.runs[0]
    assert east_asian_font(run) == "仿宋_GB2312"
    assert run.font.name == "Times New Roman"
    assert run.font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= body.paragraph_format.line_spacing.pt <= 29


# --- Headings ----------------------------------------------------------------------------------


def test_headings_are_numbered_by_level_and_restart_under_a_higher_one():
    blocks = [
        Heading("总体情况"),
        Heading("主要做法", 2),
        Heading("压实责任", 3),
        Heading("红黄牌预警", 4),
        Heading("挂牌督办", 4),
        Heading("强化督办", 3),
        Heading("预警", 4),
        Heading("存在问题", 2),
        Heading("签收不及时", 3),
        Heading("下一步工作"),
        Heading("抓整改", 2),
    ]
    out = read(bulletin(*blocks))

    headings = [t for t in texts(out) if any(t.endswith(b.text) for b in blocks)]
    assert headings == [
        "一、总体情况",
        "（一）主要做法",
        "1.压实责任",
        "（1）红黄牌预警",
        "（2）挂牌督办",
        "2.强化督办",
        "（1）预警",
        "（二）存在问题",
        "1.签收不及时",
        "二、下一步工作",
        "（一）抓整改",
    ]


def test_heading_fonts_follow_the_level():
    out = read(bulletin(Heading("甲"), Heading("乙", 2), Heading("丙", 3), Heading("丁", 4)))

    runs = {p.text: p.runs[0] for p in out.paragraphs if p.runs}
    assert east_asian_font(runs["一、甲"]) == "黑体"
    assert east_asian_font(runs["（一）乙"]) == "楷体_GB2312"
    assert east_asian_font(runs["1.丙"]) == "仿宋_GB2312" and runs["1.丙"].font.bold
    assert east_asian_font(runs["（1）丁"]) == "仿宋_GB2312" and not runs["（1）丁"].font.bold


def test_first_level_numbers_go_on_in_chinese_past_ten():
    out = read(bulletin(*[Heading(f"第{n}项") for n in range(1, 22)]))

    numbered = [t for t in texts(out) if t.endswith("项")]
    assert numbered[9:12] == ["十、第10项", "十一、第11项", "十二、第12项"]
    assert numbered[19:] == ["二十、第20项", "二十一、第21项"]


# --- Tables ------------------------------------------------------------------------------------


def test_table_cells_are_the_rows_with_a_dash_for_no_data():
    table = Table(
        "各县（市、区）办理情况",
        ("单位", "受理量", "按时办结率（%）"),
        [("芗城区", 120, 95.5), ("龙文区", 80, None)],
        note="按时办结率=按时办结件数÷应办结件数。",
    )
    out = read(bulletin(table))

    grid = out.tables[0]
    assert [[cell.text for cell in row.cells] for row in grid.rows] == [
        ["单位", "受理量", "按时办结率（%）"],
        ["芗城区", "120", "95.5"],
        ["龙文区", "80", "—"],
    ]
    assert all(cell.paragraphs[0].runs[0].font.bold for cell in grid.rows[0].cells)
    unit, count, _ = grid.rows[1].cells
    assert unit.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert count.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    caption = paragraph(out, "各县（市、区）办理情况")
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER and caption.runs[0].font.bold
    note = paragraph(out, "注：按时办结率=按时办结件数÷应办结件数。")
    assert note.runs[0].font.size < Pt(16)


def test_a_table_shows_its_first_rows_and_says_the_rest_are_in_the_annex():
    rows = [(f"单位{n}", n) for n in range(30)]
    out = read(bulletin(Table("排名", ("单位", "件数"), rows, sheet="排名", shown=5)))

    grid = out.tables[0]
    assert [row.cells[0].text for row in grid.rows[1:]] == [f"单位{n}" for n in range(5)]
    assert "（共30行，完整表格见附件）" in texts(out)


def test_a_table_shown_in_full_says_nothing_about_the_annex():
    out = read(bulletin(Table("排名", ("单位", "件数"), [("甲", 1)], sheet="排名", shown=5)))

    assert len(out.tables[0].rows) == 2
    assert not any(t.startswith("（共") for t in texts(out))


# --- Charts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", charts.KINDS)
def test_each_kind_of_chart_draws_a_png_with_gaps_for_no_data(kind):
    chart = Chart(
        "受理量",
        kind,
        COUNTIES,
        (("10月", (12.0, None, 3.0)), ("11月", (None, 7.0, 5.0))),
        unit="件",
    )

    assert charts.draw(chart).startswith(b"\x89PNG")


def test_a_chart_without_any_data_still_draws():
    chart = Chart("受理量", "line", COUNTIES, (("11月", (None, None, None)),))

    assert charts.draw(chart).startswith(b"\x89PNG")


def test_an_unknown_chart_kind_is_refused():
    with pytest.raises(ValueError, match="radar"):
        charts.draw(Chart("受理量", "radar", COUNTIES, (("11月", (1, 2, 3)),)))


def test_the_chinese_font_found_is_one_matplotlib_can_load():
    name = charts.cjk_font()
    if name is None:
        pytest.skip("no CJK font installed here (the no-font path is tested below)")

    path = font_manager.findfont(name, fallback_to_default=False)
    assert charts._draws_chinese(path)


def test_chart_is_an_inline_picture_with_its_title_under_it(some_font):
    out = read(bulletin(rates_chart()))

    assert len(out.inline_shapes) == 1
    assert out.inline_shapes[0].width <= Cm(15.6)
    pictures = [p for p in out.paragraphs if p._p.xpath(".//w:drawing")]
    assert len(pictures) == 1
    below = next_paragraph(out, pictures[0])
    assert below.text == "按时办结率"
    assert NO_FONT_NOTE not in texts(out)


def test_without_a_chinese_font_the_document_and_the_log_say_so(no_cjk_font, caplog):
    with caplog.at_level(logging.WARNING, logger="shishi.core.documents.charts"):
        out = read(bulletin(rates_chart(), rates_chart("pie")))

    assert len(out.inline_shapes) == 2  # still drawn
    assert texts(out).count(NO_FONT_NOTE) == 1
    warnings = [r for r in caplog.records if r.name == "shishi.core.documents.charts"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING


def test_the_missing_font_is_logged_once_per_process(no_cjk_font, caplog):
    with caplog.at_level(logging.WARNING, logger="shishi.core.documents.charts"):
        render(bulletin(rates_chart()))
        render(bulletin(rates_chart()))

    assert len([r for r in caplog.records if r.name == "shishi.core.documents.charts"]) == 1


def test_a_document_without_charts_needs_no_font_note(no_cjk_font):
    out = read(bulletin(Paragraph("特此通报。")))

    assert NO_FONT_NOTE not in texts(out)


# --- 附件, 落款, 页码 --------------------------------------------------------------------------


def test_annex_line_then_issuer_over_the_date_on_the_right():
    out = read(bulletin(Paragraph("特此通报。"), annex_title="各单位办理情况统计表"))

    assert texts(out)[-3:] == ["附件：各单位办理情况统计表", ISSUER, "2026年12月2日"]
    issuer, day = out.paragraphs[-2:]
    assert issuer.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert day.paragraph_format.right_indent == Pt(4 * 16)


def test_the_date_is_written_without_leading_zeros():
    out = read(bulletin(issued=date(2026, 3, 5)))

    assert texts(out)[-1] == "2026年3月5日"


def test_no_annex_line_without_an_annex():
    out = read(bulletin(Paragraph("特此通报。")))

    assert not any(t.startswith("附件") for t in texts(out))


def test_page_numbers_are_a_page_field_between_dashes_right_on_odd_left_on_even_pages():
    out = read(bulletin())
    section = out.sections[0]

    assert out.settings.odd_and_even_pages_header_footer
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for footer in (odd, even):
        assert [i.text.strip() for i in footer._p.xpath(".//w:instrText")] == ["PAGE"]
        assert footer.text == "— 1 —"  # the field's stand-in result between the dashes
        assert east_asian_font(footer.runs[0]) == "宋体"
        assert footer.runs[0].font.size == Pt(14)


# --- The XLSX annex ----------------------------------------------------------------------------


def open_annex(document: Document):
    return load_workbook(io.BytesIO(annex.workbook(document)))


def test_annex_has_one_sheet_per_table_that_names_one():
    long_name = "各县（市、区）“我为群众办实事”诉求办理情况按时办结率满意率排名"
    out = open_annex(
        bulletin(
            Table("甲", ("单位",), [("芗城区",)], sheet="县区"),
            Table("乙", ("单位",), [("芗城区",)]),
            Table("丙", ("单位",), [("芗城区",)], sheet="县区"),
            Table("丁", ("单位",), [("芗城区",)], sheet=long_name),
            Table("戊", ("单位",), [("芗城区",)], sheet="1/2"),
        )
    )

    assert out.sheetnames == ["县区", "县区(2)", long_name[:31], "1_2"]
    assert [out[name]["A1"].value for name in out.sheetnames] == ["甲", "丙", "丁", "戊"]


def test_annex_sheet_holds_every_row_numbers_as_numbers_and_the_note_last():
    rows = [("芗城区", 120, 95.5), ("龙文区", 80, None), ("龙海区", 0, 100.0)]
    table = Table(
        "办理情况",
        ("单位", "受理量", "满意率"),
        rows,
        note="满意率为百分比。",
        sheet="办理情况",
        shown=1,
    )
    out = open_annex(bulletin(table))

    sheet = out["办理情况"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["办理情况", None, None],
        ["单位", "受理量", "满意率"],
        ["芗城区", 120, 95.5],
        ["龙文区", 80, "—"],
        ["龙海区", 0, 100],
        ["注：满意率为百分比。", None, None],
    ]
    header = sheet["A2"]
    assert header.font.bold and header.fill.fgColor.rgb.endswith("D9E1F2")
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["A"].width >= 8


def test_formula_like_text_in_the_annex_stays_text():
    rows = [('=HYPERLINK("http://evil.example","点我")', 1), ("+1-2", 2)]
    out = open_annex(bulletin(Table("单位", ("单位", "件数"), rows, sheet="单位")))

    cells = [out["单位"]["A3"], out["单位"]["A4"]]
    assert [c.value for c in cells] == [rows[0][0], "+1-2"]
    assert [c.data_type for c in cells] == ["s", "s"]


def test_a_document_without_annex_tables_gets_a_sheet_saying_so():
    out = open_annex(bulletin(Table("甲", ("单位",), [("芗城区",)])))

    assert out.sheetnames == ["说明"]
    assert out["说明"]["A1"].value == "本文件没有附表。"
