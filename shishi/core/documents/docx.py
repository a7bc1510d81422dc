"""A document (core.documents) as a DOCX in the layout of GB/T 9704-2012《党政机关公文格式》.

A4 with the standard 版心 (156×225mm), 22 lines of 28 characters in 三号仿宋; the red 版头
(issuing body, document number, red rule), the title in 小标宋, 主送, the body with headings
numbered by level, tables, charts, 附件 line, 落款 and "— 1 —" page numbers (odd pages right,
even pages left).

Fonts are named as offices have them (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体) with the
East Asian font set on every run (w:rFonts/@w:eastAsia), which python-docx's `font.name` does
not do; a reader without them substitutes their own. Borders and the PAGE field are built as
small OOXML elements, python-docx has no API for them.
"""

import io
import math
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from shishi.core.documents import Chart, Document, Heading, Paragraph, Table, charts

# 字号 in points.
CHUHAO, ERHAO, SANHAO, SIHAO, WUHAO = 42, 22, 16, 14, 10.5

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

RED = RGBColor(0xFF, 0x00, 0x00)
TEXT_WIDTH = Mm(156)  # 版心 width
LINE = Pt(28.9)  # fixed line pitch: 22 lines fill the 225mm 版心
CHAR = Pt(SANHAO)  # one character of body text, the unit of 空二字 / 右空四字
CHART_WIDTH = Cm(15.5)
KEEP_TOGETHER_ROWS = 6  # a longer table may run on over a page break (its rows never split)

# Heading level -> (number format, East Asian font, bold).
HEADING_STYLES = {
    1: ("{}、", HEITI, False),
    2: ("（{}）", KAITI, False),
    3: ("{}.", FANGSONG, True),
    4: ("（{}）", FANGSONG, False),
}
CHINESE_DIGITS = "〇一二三四五六七八九"

NO_FONT_NOTE = "（本机未安装中文字体，图表中的文字可能无法显示。）"


def render(document: Document) -> bytes:
    """The document as .docx bytes, laid out as a 公文 (GB/T 9704-2012)."""
    out = docx.Document()
    _page(out)
    _base_style(out)
    _masthead(out, document)
    _title_and_addressees(out, document)
    _body(out, document)
    _closing(out, document)
    _page_numbers(out)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# --- Page and defaults -------------------------------------------------------------------------


def _page(out) -> None:
    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def _base_style(out) -> None:
    """Normal is body text: 三号仿宋 on the fixed line pitch, no space between paragraphs."""
    normal = out.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), east_asia=FANGSONG, latin=LATIN)
    normal.font.size = Pt(SANHAO)
    layout = normal.paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = LINE
    # Chinese line breaking and punctuation rules follow the East Asian language.
    lang = out.styles.element.find(qn("w:docDefaults") + "//" + qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


# --- Building blocks ---------------------------------------------------------------------------


def _paragraph(
    out,
    *,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: Length | int = 0,
    before: Length | int = 0,
    line: Length | None = LINE,
) -> DocxParagraph:
    """A paragraph; `line=None` is single spacing (for pictures and oversized type)."""
    paragraph = out.add_paragraph()
    layout = paragraph.paragraph_format
    layout.alignment = align
    layout.first_line_indent = indent
    if before:
        layout.space_before = before
    if line is None:
        layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        layout.line_spacing = line  # a Length: exactly this
    return paragraph


def _run(
    paragraph: DocxParagraph,
    text: str,
    *,
    font: str = FANGSONG,
    size: float = SANHAO,
    bold: bool = False,
    color: RGBColor | None = None,
    latin: str = LATIN,
) -> Run:
    run = paragraph.add_run(text)
    _set_fonts(run._r.get_or_add_rPr(), east_asia=font, latin=latin)
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if color is not None:
        run.font.color.rgb = color
    return run


def _set_fonts(rpr, *, east_asia: str, latin: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    # Quotes and dashes shared by both scripts are drawn by the Chinese font (full width).
    fonts.set(qn("w:hint"), "eastAsia")


# --- 版头: issuing body, number, red rule ----------------------------------------------------


def _masthead(out, document: Document) -> None:
    text = document.header or f"{document.issuer}文件"
    size, scale = _masthead_fit(text)
    # The 发文机关标志 starts 35mm below the top of the 版心.
    header = _paragraph(out, align=WD_ALIGN_PARAGRAPH.CENTER, before=Mm(35), line=None)
    run = _run(header, text, font=XIAOBIAOSONG, latin=XIAOBIAOSONG, size=size, bold=True, color=RED)
    if scale < 100:
        _squeeze(run, scale)
    if document.number:
        number = _paragraph(out, align=WD_ALIGN_PARAGRAPH.CENTER, before=2 * LINE)
        _run(number, document.number)
    _red_rule(out)


def _masthead_fit(text: str) -> tuple[float, int]:
    """Type size (points) and character width (%) that keep the header on one line: 初号 when
    it fits; a long name first narrows its characters (to 60%, as offices do), then shrinks."""
    room = TEXT_WIDTH.pt * 0.97
    wanted = _ems(text) * CHUHAO
    if wanted <= room:
        return CHUHAO, 100
    if wanted * 0.6 <= room:
        return CHUHAO, math.floor(100 * room / wanted)
    return math.floor(2 * room / (_ems(text) * 0.6)) / 2, 60


def _tags(names: str) -> tuple[str, ...]:
    return tuple(f"w:{name}" for name in names.split())


def _squeeze(run: Run, percent: int) -> None:
    scale = OxmlElement("w:w")
    scale.set(qn("w:val"), str(percent))
    run._r.get_or_add_rPr().insert_element_before(scale, *RPR_AFTER_W)


# CT_RPr children after w:w: the schema fixes the order, and Word refuses a file that breaks it.
RPR_AFTER_W = _tags(
    "kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang"
    " eastAsianLayout specVanish oMath"
)


def _red_rule(out) -> None:
    """The 分隔线: a red bottom border over the full 版心, 4mm under the number."""
    rule = _paragraph(out, line=Mm(4))
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in {"val": "single", "sz": "18", "space": "0", "color": "FF0000"}.items():
        bottom.set(qn(f"w:{name}"), value)  # sz in eighths of a point: 2.25pt
    borders.append(bottom)
    rule._p.get_or_add_pPr().insert_element_before(borders, *PPR_AFTER_PBDR)


# CT_PPr children after w:pBdr (the same rule).
PPR_AFTER_PBDR = _tags(
    "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct"
    " autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing"
    " mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl"
    " divId cnfStyle rPr sectPr pPrChange"
)


# --- 标题 and 主送 -----------------------------------------------------------------------------


def _title_and_addressees(out, document: Document) -> None:
    # 二号 type wants more room than the body's pitch when the title runs to two lines.
    title = _paragraph(out, align=WD_ALIGN_PARAGRAPH.CENTER, before=2 * LINE, line=Pt(35))
    _run(title, document.title, font=XIAOBIAOSONG, latin=XIAOBIAOSONG, size=ERHAO)
    if document.addressees:
        to = _paragraph(out, align=WD_ALIGN_PARAGRAPH.LEFT, before=LINE)
        _run(to, document.addressees)


# --- 正文 -------------------------------------------------------------------------------------


def _body(out, document: Document) -> None:
    numbering = HeadingNumbers()
    font_noted = False
    for block in document.blocks:
        match block:
            case Heading():
                _heading(out, block, numbering.label(block.level))
            case Paragraph():
                _run(_paragraph(out, indent=2 * CHAR), block.text)
            case Table():
                _table(out, block)
            case Chart():
                _chart(out, block)
                if not font_noted and charts.cjk_font() is None:
                    _run(_paragraph(out, indent=2 * CHAR), NO_FONT_NOTE, size=SIHAO)
                    font_noted = True
    if document.annex_title:
        annex = _paragraph(out, indent=2 * CHAR, before=LINE)
        _run(annex, f"附件：{document.annex_title}")


class HeadingNumbers:
    """一、 （一） 1. （1）: each level counts on, and starts again under a new higher heading."""

    def __init__(self) -> None:
        self.counts = [0] * len(HEADING_STYLES)

    def label(self, level: int) -> str:
        level = min(max(level, 1), len(HEADING_STYLES))
        self.counts[level - 1] += 1
        self.counts[level:] = [0] * (len(self.counts) - level)
        count = self.counts[level - 1]
        number = chinese_number(count) if level <= 2 else str(count)
        return HEADING_STYLES[level][0].format(number)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (headings stay under a hundred)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")
    )


def _heading(out, heading: Heading, label: str) -> None:
    _, font, bold = HEADING_STYLES[min(max(heading.level, 1), len(HEADING_STYLES))]
    paragraph = _paragraph(out, indent=2 * CHAR)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, label + heading.text, font=font, bold=bold)


# --- Tables ------------------------------------------------------------------------------------


def _table(out, table: Table) -> None:
    rows = table.rows if table.shown is None else table.rows[: table.shown]
    caption = _paragraph(out, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(6))
    caption.paragraph_format.keep_with_next = True
    _run(caption, table.title, bold=True)
    _grid(out, table.headers, rows)
    if not table.rows:
        _run(_paragraph(out, align=WD_ALIGN_PARAGRAPH.CENTER), "（无数据）", size=SIHAO)
    elif len(rows) < len(table.rows):
        where = "完整表格见附件" if table.sheet else f"此处列出前{len(rows)}行"
        _run(_paragraph(out, align=WD_ALIGN_PARAGRAPH.LEFT), f"（共{len(table.rows)}行，{where}）")
    if table.note:
        note = table.note if table.note.startswith("注") else f"注：{table.note}"
        _run(_paragraph(out, line=Pt(22)), note, size=SIHAO)
    _paragraph(out, line=Pt(8))  # a little air before the text goes on


def _grid(out, headers: tuple[str, ...], rows: list[tuple]) -> None:
    size = SIHAO if len(headers) <= 5 else WUHAO  # narrower type for wide tables
    grid = out.add_table(rows=1, cols=len(headers))
    grid.style = out.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        _cell(cell, text, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_as_header(grid.rows[0])
    for row in rows:
        added = grid.add_row()
        _keep_row_on_one_page(added)
        for cell, value in zip(added.cells, row, strict=True):
            _cell(cell, cell_text(value), size=size, align=_alignment(value))
    _column_widths(grid, headers, rows)
    if len(rows) <= KEEP_TOGETHER_ROWS:
        _keep_together(grid)


def _keep_row_on_one_page(row) -> None:
    """w:cantSplit: a row is never broken across two pages."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def cell_text(value) -> str:
    """How a table value is printed: None (no data) as —, floats to two decimals at most."""
    match value:
        case None:
            return "—"
        case bool():
            return "是" if value else "否"
        case float() if math.isnan(value):
            return "—"
        case float():
            return f"{value:.2f}".rstrip("0").rstrip(".")
        case datetime():
            return value.strftime("%Y-%m-%d %H:%M")
        case date():
            return value.isoformat()
    return str(value)


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _alignment(value):
    if value is None:
        return WD_ALIGN_PARAGRAPH.CENTER
    return WD_ALIGN_PARAGRAPH.RIGHT if _is_number(value) else WD_ALIGN_PARAGRAPH.LEFT


def _cell(cell, text: str, *, size: float, align, bold: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.alignment = align
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _run(paragraph, text, size=size, bold=bold)


def _repeat_as_header(row) -> None:
    """The header row is printed again on each page a long table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _keep_together(grid) -> None:
    """A short table is not split over two pages: each row keeps with the next."""
    for row in grid.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


HEADER_EMS = 4


def _column_widths(grid, headers: tuple[str, ...], rows: list[tuple]) -> None:
    """Columns share the 版心 by their longest value (within limits: a long name wraps). A
    header may wrap over two or three lines, so it asks for at most HEADER_EMS: a long header
    (超期未答复（件）) must not squeeze the unit names into one character a line."""
    weights = []
    for index, header in enumerate(headers):
        values = [_ems(cell_text(row[index])) for row in rows]
        wanted = max([min(_ems(header), HEADER_EMS), *values])
        # + 1: the cell's own margins; the table's type is smaller than body type.
        weights.append(min(max(wanted, 2), 14) + 1)
    grid.autofit = False
    for column, weight in zip(grid.columns, weights, strict=True):
        width = Emu(int(TEXT_WIDTH * weight / sum(weights)))
        column.width = width  # the grid LibreOffice reads
        for cell in column.cells:
            cell.width = width  # the cell widths Word reads


def _ems(text: str) -> float:
    """Printed width in characters of body type: Chinese 1, Latin letters and digits ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


# --- Charts ------------------------------------------------------------------------------------


def _chart(out, chart: Chart) -> None:
    picture = _paragraph(out, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(6), line=None)
    picture.paragraph_format.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(charts.draw(chart)), width=CHART_WIDTH)
    caption = _paragraph(out, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(caption, chart.title, size=SIHAO, bold=True)


# --- 落款 --------------------------------------------------------------------------------------


def _closing(out, document: Document) -> None:
    """Issuing body over the date; the date 右空四字, the body centred over it when shorter
    (the layout for a sealed document, GB/T 9704-2012 7.3.5.1)."""
    when = chinese_date(document.issued)
    centred = 4 + (_ems(when) - _ems(document.issuer)) / 2
    issuer = _paragraph(out, align=WD_ALIGN_PARAGRAPH.RIGHT, before=2 * LINE)
    issuer.paragraph_format.right_indent = Emu(int(CHAR * max(centred, 2)))
    issuer.paragraph_format.keep_with_next = True
    _run(issuer, document.issuer)
    day = _paragraph(out, align=WD_ALIGN_PARAGRAPH.RIGHT)
    day.paragraph_format.right_indent = 4 * CHAR
    _run(day, when)


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2026年12月2日."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- 页码 --------------------------------------------------------------------------------------


def _page_numbers(out) -> None:
    """ "— 1 —" in 四号宋体 7mm under the 版心: odd pages on the right, even pages on the left,
    each 空一字 from the edge."""
    out.settings.odd_and_even_pages_header_footer = True
    section = out.sections[0]
    line = Pt(18)
    section.footer_distance = Emu(Mm(35 - 7) - line)
    odd = section.footer.paragraphs[0]
    odd.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(SIHAO)
    even = section.even_page_footer.paragraphs[0]
    even.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(SIHAO)
    for paragraph in (odd, even):
        paragraph.paragraph_format.line_spacing = line
        _page_field(paragraph)


def _page_field(paragraph: DocxParagraph) -> None:
    def text(value: str) -> Run:
        return _run(paragraph, value, font=SONGTI, latin=SONGTI, size=SIHAO)

    text("— ")
    _field_char(text(""), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    text("")._r.append(instruction)
    _field_char(text(""), "separate")
    text("1")  # shown until the reader updates the field
    _field_char(text(""), "end")
    text(" —")


def _field_char(run: Run, kind: str) -> None:
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    run._r.append(mark)
