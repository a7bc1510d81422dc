"""The monthly bulletin (月度通报) of the whole city: a 公文 (DOCX) and its XLSX annex.

Composed from the figures registry only (core.figures), never naming a module: 总体情况 from
every module's sentences (the overview's), each with a table of its figures and how they are
counted (统计口径); then, for each module with them, its ranking tables (with a chart of the
first table's scores) and its own section (the appeals' 通报 list); then the units the
rankings put up for 约谈; then the requirements. Every number is `Figure.text`
of the value the dashboards show for the city and the month; the summary month is recounted
first, so they also equal the metrics computed directly.

The bulletin reads a module's ranking tables (core.documents.Table) by a convention, which
appeals/figures.py follows: ranked rows come first, their first column the rank (an int;
anything else: not ranked); the second column is the unit, the column headed `SCORE_HEADER`
the score, and a last column of `INTERVIEW_MARK` puts the unit on the 约谈 list (of
`ATTENTION_MARK`: named as needing attention). A table bound for the annex shows only its
ranked rows in the text (units ranked apart or idle can run to a hundred towns).

A state module (projects) keeps, for a month gone by, the state of its last count in that
month; a month it was never counted in (a new installation, the demo) is reported as of the
bulletin's day instead, and the text says which day.
"""

from dataclasses import replace
from datetime import date, datetime

from shishi.core import workdays
from shishi.core.documents import Block, Chart, Document, Heading, Paragraph, Table, annex, docx
from shishi.core.figures import Period, Scope
from shishi.reports import summary
from shishi.reports.overview import city_scope, issuer, sentences

INTERVIEW_MARK = "约谈候选"  # appeals/figures.py marks its 约谈 candidates with the same word
ATTENTION_MARK = "需关注"  # … and units ranked apart with a bad record with this one
SCORE_HEADER = "综合得分"
NUMBER_PREFIX = "漳实事办"
ADDRESSEES = "各县（市、区）“我为群众办实事”实践活动领导小组办公室，市直各单位："
# Working days the units listed for 约谈 have for their written report (整改报告).
REPORT_WORKDAYS = 10


def title(month: date) -> str:
    return f"关于{Period.month(month).label}“我为群众办实事”工作情况的通报"


def compose(month: date, *, today: date, number: str = "", now: datetime | None = None) -> Document:
    """The bulletin of `month` for the whole city, dated `today`; `number` is the document
    number (漳实事办〔2026〕12号) the archive gave it (reports.actions); blank for a draft
    (the CLI), which the office numbers when it issues it."""
    period = Period.month(month)
    # A state (projects) is counted now only if the bulletin is dated today (`now`'s day).
    reading = summary.live(city_scope(period, today), now=now)
    modules = [
        (module, reading.scope) for module in reading.modules.values() if not module.source.internal
    ]
    document = Document(
        title=title(period.start),
        issuer=issuer(),
        issued=today,
        number=number,
        addressees=ADDRESSEES,
        annex_title=f"{period.label}诉求办理与实事项目统计表",
    )
    document.add(
        Paragraph(
            "为推动“我为群众办实事”实践活动走深走实，切实解决群众急难愁盼问题，"
            f"现将{period.label}全市“我为群众办实事”工作情况通报如下。"
        ),
        Heading("总体情况"),
    )
    for module, scope in modules:
        when = _when(module, scope)
        document.add(Paragraph(when + "".join(sentences(module, scope))))
        if module.counted:
            document.add(_figures_table(module, when))
    rankings: list[Table] = []
    for module, scope in modules:
        source = module.source
        tables = source.rankings(scope, module.per_unit) if source.rankings else []
        section = source.bulletin(scope) if source.bulletin else []
        if not tables and not section:
            continue
        document.add(Heading(f"{source.title}情况"))
        if tables:
            document.add(Heading("排名情况", level=2), *_ranking_blocks(tables))
            rankings.extend(tables)
        document.add(*section)
    if rankings:
        document.add(*_interviews(rankings, period))
    document.add(Heading("下一步工作要求"), *_requirements(today))
    return document


def files(
    month: date, *, today: date, number: str = "", now: datetime | None = None
) -> tuple[bytes, bytes]:
    """The bulletin as (DOCX bytes, XLSX annex bytes)."""
    document = compose(month, today=today, number=number, now=now)
    return docx.render(document), annex.workbook(document)


def _figures_table(module: summary.ModuleCounts, when: str) -> Table:
    """Every figure of a module for the city as the text prints it (also in the annex)."""
    source = module.source
    return Table(
        title=f"{source.title}主要指标（{when.rstrip('，')}）",
        headers=("指标", "数值", "统计口径"),
        rows=[
            (figure.label, module.values.text(figure.key), figure.explain)
            for figure in source.figures
        ],
        note="“无数据”指该项没有可计算的数据（如本期无评价），不按0计。",
        sheet=f"指标-{source.title}",
    )


def _when(module: summary.ModuleCounts, scope: Scope) -> str:
    """How a module's paragraph opens: the month for what happened in it; for a state
    (projects), the day it was last counted on within the month."""
    if module.source.state and module.counted:
        day = module.as_of or scope.as_of
        return f"截至{day:%Y年%-m月%-d日}，"
    return f"{scope.period.label}，"


def _ranking_blocks(tables: list[Table]) -> list[Block]:
    """The tables (those in the annex with their ranked rows only), the first followed by a
    bar chart of its ranked units' scores."""
    blocks: list[Block] = []
    for index, table in enumerate(tables):
        ranked = [row for row in table.rows if _ranked(row)]
        if table.sheet and table.shown is None and len(ranked) < len(table.rows):
            table = replace(table, shown=len(ranked))
        blocks.append(table)
        if index == 0 and SCORE_HEADER in table.headers and ranked:
            column = table.headers.index(SCORE_HEADER)
            blocks.append(
                Chart(
                    title=f"{table.title}：{SCORE_HEADER}",
                    kind="barh",
                    labels=tuple(str(row[1]) for row in ranked),
                    series=((SCORE_HEADER, tuple(row[column] for row in ranked)),),
                    unit="分",
                )
            )
    return blocks


def _ranked(row: tuple) -> bool:
    return isinstance(row[0], int) and not isinstance(row[0], bool)


def _interviews(tables: list[Table], period: Period) -> list[Block]:
    """The units the rankings put up for 约谈, table by table, and those marked for
    attention (not in the text's tables, which show the ranked rows only)."""
    paragraphs, noted = [], False
    for table in tables:
        score = table.headers.index(SCORE_HEADER) if SCORE_HEADER in table.headers else None
        marked = [row for row in table.rows if row and row[-1] == INTERVIEW_MARK]
        if marked:
            named = "、".join(_named(row, score) for row in marked)
            paragraphs.append(f"在{table.title}中，{named}排名靠后，列为约谈候选单位。")
        noticed = [row for row in table.rows if row and row[-1] == ATTENTION_MARK]
        if noticed:
            named = "、".join(_named(row, score) for row in noticed)
            paragraphs.append(
                f"在{table.title}中，{named}未参加排名，但被标注为“{ATTENTION_MARK}”，"
                "请一并查找原因、抓好整改。"
            )
            noted = True
    if not paragraphs:
        paragraphs.append(f"{period.label}各项排名中，没有单位列为约谈候选。")
    title = f"约谈候选及{ATTENTION_MARK}单位" if noted else "约谈候选单位"
    return [Heading(title), *(Paragraph(text) for text in paragraphs)]


def _named(row: tuple, score: int | None) -> str:
    facts = []
    if _ranked(row):
        facts.append(f"第{row[0]}名")
    if score is not None and row[score] is not None:
        facts.append(f"{SCORE_HEADER}{docx.cell_text(row[score])}分")
    return f"{row[1]}（{'，'.join(facts)}）" if facts else str(row[1])


def _requirements(today: date) -> list[Block]:
    due = workdays.add_workdays(today, REPORT_WORKDAYS)
    return [
        Heading("抓紧办结超期诉求", level=2),
        Paragraph(
            "对本通报列出的超期未答复诉求，承办单位要立即办理、限期办结，逐件答复群众；"
            "市“我为群众办实事”实践活动领导小组办公室将逐件跟踪督办，"
            "对逾期仍未办结的予以通报。"
        ),
        Heading("认真抓好问题整改", level=2),
        Paragraph(
            "列为约谈候选的单位要深入查找诉求办理中的短板和原因，"
            f"于{due:%Y年%-m月%-d日}前向市“我为群众办实事”实践活动领导小组办公室"
            "报送书面整改报告；整改不到位的，将约谈单位主要负责人。"
        ),
        Heading("持续提升办理质效", level=2),
        Paragraph(
            "各地各部门要坚持以群众满意为标准，落实首问负责和限时办结，"
            "如实答复、不推诿、不敷衍，切实提高响应率、解决率和满意率；"
            "实事项目牵头单位要对照时间节点抓紧推进，按时报送进度，确保项目按期完成、群众满意。"
        ),
    ]
