"""The monthly bulletin: its numbers, read back from the DOCX (python-docx) and the XLSX annex
(openpyxl), equal the metrics computed directly; the `shishi bulletin` command.

March 2026 has no holiday. Every appeal is a 求助 the city dispatches straight to a town on
Monday 03-02 at 09:00: to be signed by 03-03 and answered by 03-09. Units need 2 dispatches to
be ranked and the last ranked unit is the 约谈 candidate. The bulletin is issued on 04-02.

芝山街道: A1 signed 03-02, answered 03-04, 满意 "solved"; A2 signed 03-03, never answered
  (overdue, 通报 by 03-16); A3 signed 03-02, answered 03-05, 基本满意 "solved".
西桥街道: B1 signed 03-02, answered 03-03, 满意 "solved"; B2 the same, 基本满意 "not solved".
蓝田街道: C1 never signed (not responded, overdue, 通报); C2 signed 03-04 (late), answered
  03-10 (late), no verdict.
By hand (weights 10/20/35/35): 芗城区 = 芝山 + 西桥: 响应率 5/5, 按时办结率 4/(4+1),
解决率 3/(4+1), 满意率 4/4 → 10 + 16 + 21 + 35 = 82; 龙文区 = 蓝田: 0/2, 0/(1+1), 0/(0+1),
满意率 无数据 → 0 over 65 = 0: ranked second, the 约谈 candidate.
Projects (芝山街道 leads): one in progress, one completed in March; the worker last counted
March on 03-31 at 23:00.
"""

import io
from datetime import date

import docx as python_docx
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from shishi.appeals import actions, metrics
from shishi.appeals.models import Appeal, ReplyKind, Verdict
from shishi.appeals.tests import conftest as appeals_fixtures
from shishi.core.documents import charts
from shishi.core.documents.docx import cell_text
from shishi.core.figures import figure
from shishi.core.supervision import Level
from shishi.orgs.models import Unit
from shishi.orgs.queries import ranking_groups
from shishi.projects import metrics as project_metrics
from shishi.projects.models import Status
from shishi.projects.tests import conftest as projects_fixtures
from shishi.reports import bulletin, summary
from shishi.reports.management.commands.bulletin import write_files
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db

# The appeals' desk and the projects' office, as fixtures of this module.
categories, desk = appeals_fixtures.categories, appeals_fixtures.desk
office = projects_fixtures.office

MARCH = date(2026, 3, 1)
MONTH_END = date(2026, 3, 31)
ISSUED = date(2026, 4, 2)
YES, NO = True, False


@pytest.fixture(autouse=True)
def _charts_at_low_resolution(monkeypatch):
    monkeypatch.setattr(charts, "DPI", 30)


@pytest.fixture(autouse=True)
def _ranking_rules(settings):
    settings.APPEAL_MIN_VOLUME = 2
    settings.APPEAL_INTERVIEW_BOTTOM = 1


def _appeal(desk, to: str, *, by=None, sign=None, reply=None, verdict=None) -> Appeal:
    """Dispatched to `to` on 03-02 09:00, signed on 03-<sign> and answered on 03-<reply> (by
    the desk's clerk there, or `by`), the citizen's (day, verdict, solved) taken."""
    appeal = desk.submit(now=at(2026, 3, 2, 9))
    desk.dispatch(appeal, to=to, now=at(2026, 3, 2, 9))
    actor = by or (desk.actor_holding(appeal) if sign else None)
    if sign:
        actions.sign_appeal(appeal=appeal, actor=actor, now=at(2026, 3, sign, 11))
    if reply:
        actions.reply_appeal(
            appeal=appeal,
            actor=actor,
            kind=ReplyKind.SOLVED,
            text=appeals_fixtures.REPLY_TEXT,
            now=at(2026, 3, reply, 15),
        )
    if verdict:
        day, value, solved = verdict
        actions.record_verdict(
            appeal=appeal, verdict=value, solved=solved, actor=None, now=at(2026, 3, day, 9)
        )
    return appeal


@pytest.fixture
def march(desk, office, lantian_clerk):
    """The month of the module docstring; returns the tree."""
    _appeal(desk, "zhishan", sign=2, reply=4, verdict=(5, Verdict.SATISFIED, YES))
    _appeal(desk, "zhishan", sign=3)
    _appeal(desk, "zhishan", sign=2, reply=5, verdict=(6, Verdict.BASIC, YES))
    _appeal(desk, "xiqiao", sign=2, reply=3, verdict=(4, Verdict.SATISFIED, YES))
    _appeal(desk, "xiqiao", sign=2, reply=3, verdict=(4, Verdict.BASIC, NO))
    _appeal(desk, "lantian")
    _appeal(desk, "lantian", by=actor_of(lantian_clerk), sign=4, reply=10)
    actions.sweep_supervision(now=at(2026, 3, 16, 9))
    office.new(to=Status.IN_PROGRESS)
    office.new(to=Status.COMPLETED, title="芝山街道老旧小区加装电梯")
    summary.refresh([MARCH], now=at(2026, 3, 31, 23))  # the worker's last pass in March
    return desk.tree


def _city_appeals(month: date = MARCH, today: date = ISSUED) -> metrics.Figures:
    start, end = metrics.month_bounds(month)
    total = metrics.Figures()
    for unit_figures in metrics.unit_figures(start=start, end=end, today=today).values():
        total.add(unit_figures)
    return total


def _city_projects(today: date) -> project_metrics.Figures:
    total = project_metrics.Figures()
    for unit_figures in project_metrics.unit_figures(today=today).values():
        total.add(unit_figures)
    return total


def _ranking(group: str) -> metrics.Ranking:
    city = Unit.objects.get(parent=None)
    units = ranking_groups(Unit.objects.all(), root=city)[group]["units"]
    return metrics.rank(units, month=MARCH, today=ISSUED)


def _read_docx(content: bytes):
    return python_docx.Document(io.BytesIO(content))


def _text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _table(document, first_header: str, containing: str) -> list[list[str]]:
    """The rows of the DOCX table with that first header and a cell with that text."""
    for table in document.tables:
        rows = _cells(table)
        if rows[0][0] == first_header and any(containing in row for row in rows):
            return rows
    raise AssertionError(f"no table with {first_header!r} and {containing!r}")


def _sheet_rows(workbook, name: str) -> list[tuple]:
    """A sheet's rows under its title and header."""
    return list(workbook[name].iter_rows(min_row=3, values_only=True))


def test_the_overall_figures_are_the_metrics_written_as_the_dashboards_print_them(march):
    # when the bulletin of March is issued on 04-02
    text = _text(_read_docx(bulletin.files(MARCH, today=ISSUED)[0]))

    # then the appeals' sentence carries the March figures as computed directly on 04-02
    appeals = _city_appeals()
    received = Appeal.objects.filter(received_at__gte=at(2026, 3, 1, 0)).count()
    assert received == 7
    assert f"2026年3月，全市共受理群众诉求{figure('appeals.received').text(received)}" in text
    for key, value in (
        ("appeals.response", appeals.response),  # 7 dispatched, 5 signed on time
        ("appeals.on_time", appeals.on_time),
        ("appeals.solved", appeals.solved_rate),
        ("appeals.satisfied", appeals.satisfied_rate),
    ):
        assert f"{figure(key).label}{figure(key).text(value)}" in text
    assert "响应率71.4%" in text and "满意率100.0%" in text  # by hand: 5/7, 4/4
    assert f"超期未答复{appeals.overdue}件" in text
    # and the projects' sentence is the state the worker last counted in March
    projects = _city_projects(MONTH_END)
    assert "截至2026年3月31日，全市共实施“我为群众办实事”项目2个" in text
    assert f"完成率{figure('projects.done_rate').text(projects.done_rate)}" in text


def test_a_rate_without_data_reads_no_data_never_zero(march):
    # given no milestone of the projects was due by the end of March
    assert _city_projects(MONTH_END).milestone_rate is None

    # when the bulletin is composed
    document = _read_docx(bulletin.files(MARCH, today=ISSUED)[0])

    # then the text and the figures table say 无数据, never 0
    assert "节点按时率无数据" in _text(document)
    assert "节点按时率0" not in _text(document)
    rows = _table(document, "指标", "节点按时率")
    assert next(r for r in rows if r[0] == "节点按时率")[:2] == ["节点按时率", "无数据"]
    # and 龙文区, without a verdict, has no 满意率 in the ranking (—), not 0
    divisions = _table(document, "排名", "龙文区")
    satisfied = divisions[0].index("满意率（%）")
    assert next(r for r in divisions if r[1] == "龙文区")[satisfied] == "—"


def test_a_month_without_appeals_reads_no_data_for_its_rates(march):
    # when the bulletin of February (nothing dispatched) is composed
    text = _text(_read_docx(bulletin.files(date(2026, 2, 1), today=ISSUED)[0]))

    # then its rates are 无数据 and its counts 0
    assert "全市共受理群众诉求0件" in text
    assert "满意率无数据" in text and "响应率无数据" in text
    assert "满意率0.0%" not in text


def test_ranking_order_and_scores_equal_the_metrics_in_text_and_annex(march):
    # given the rankings as the metrics compute them
    expected = {}
    for group, sheet in (("divisions", "排名-县（区）"), ("all_towns", "排名-全市乡镇（街道）")):
        ranking = _ranking(group)
        expected[sheet] = [(r.rank, r.unit.name, r.figures.score) for r in ranking.ranked]
    assert [name for _, name, _ in expected["排名-县（区）"]] == ["芗城区", "龙文区"]
    assert [score for _, _, score in expected["排名-县（区）"]] == [82.0, 0.0]

    # when the bulletin is issued
    content, annex = bulletin.files(MARCH, today=ISSUED)
    document, workbook = _read_docx(content), load_workbook(io.BytesIO(annex))

    # then each ranking table, in the text and in the annex, lists them in that order
    for sheet, ranked in expected.items():
        rows = _sheet_rows(workbook, sheet)
        assert [(r[0], r[1], r[8]) for r in rows[: len(ranked)]] == ranked
        text_rows = _table(document, "排名", ranked[0][1])[1:]
        assert [(r[0], r[1], r[8]) for r in text_rows[: len(ranked)]] == [
            (str(rank), name, cell_text(score)) for rank, name, score in ranked
        ]


def test_the_interview_section_names_the_candidates_of_every_ranking(march):
    # given the metrics' 约谈 candidates: 龙文区 and 蓝田街道
    candidates = [
        r.unit.name for g in ("divisions", "all_towns") for r in _ranking(g).interview_candidates
    ]
    assert candidates == ["龙文区", "蓝田街道"]

    # when the bulletin is issued
    paragraphs = [p.text for p in _read_docx(bulletin.files(MARCH, today=ISSUED)[0]).paragraphs]

    # then the 约谈 section names each of them, with rank and score, and nobody else
    start = paragraphs.index("三、约谈候选单位")
    section = "\n".join(paragraphs[start : paragraphs.index("四、下一步工作要求")])
    assert "龙文区（第2名，综合得分0分）" in section
    assert "蓝田街道（第3名，综合得分0分）" in section
    assert "芗城区" not in section and "芝山街道" not in section
    assert bulletin.INTERVIEW_MARK == "约谈候选"  # the word appeals/figures.py writes


def test_the_notice_list_is_the_appeals_at_the_notify_rung(march):
    # given the appeals the ladder took to 通报 (A2 and C1)
    codes = list(
        Appeal.objects.filter(supervision=Level.NOTIFY).order_by("handle_due", "pk")
        .values_list("code", flat=True)
    )  # fmt: skip
    assert len(codes) == 2

    # when the bulletin is issued
    content, annex = bulletin.files(MARCH, today=ISSUED)

    # then the 通报 list of the text and the annex's sheet are exactly those
    rows = _table(_read_docx(content), "受理编号", codes[0])
    assert [row[0] for row in rows[1:]] == codes
    sheet = _sheet_rows(load_workbook(io.BytesIO(annex)), "通报清单")
    assert [row[0] for row in sheet] == codes


def test_the_document_reads_as_a_bulletin_of_the_city_office(march):
    # when the bulletin is composed without a number (a draft: only the archive numbers
    # documents, in order), and with one
    document = bulletin.compose(MARCH, today=ISSUED)
    numbered = bulletin.compose(MARCH, today=ISSUED, number="漳实事办〔2026〕15号")

    # then it is titled, numbered and addressed as a 通报 and names its annex
    assert document.title == "关于2026年3月“我为群众办实事”工作情况的通报"
    assert document.number == ""
    assert numbered.number == "漳实事办〔2026〕15号"
    assert document.issuer == "漳州市“我为群众办实事”实践活动领导小组办公室"
    assert document.addressees.startswith("各县（市、区）")
    assert document.annex_title == "2026年3月诉求办理与实事项目统计表"
    headings = [b.text for b in document.blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert headings == ["总体情况", "群众诉求办理情况", "约谈候选单位", "下一步工作要求"]


def test_a_state_never_counted_in_the_month_is_reported_as_of_the_day(desk, office):
    # given projects entered in March, but no worker ran in March
    office.new(to=Status.IN_PROGRESS)

    # when the bulletin of March is issued on 04-02
    text = _text(_read_docx(bulletin.files(MARCH, today=ISSUED, now=at(2026, 4, 2, 9))[0]))

    # then the projects are reported as they stand on 04-02, and the text says so
    projects = _city_projects(ISSUED)
    assert "截至2026年4月2日，全市共实施“我为群众办实事”项目1个" in text
    rate = figure("projects.report_rate").text(projects.report_rate)
    assert f"按时报送率{rate}" in text


def test_the_queries_do_not_grow_with_the_appeals(march, desk, django_assert_num_queries):
    # given the queries of one bulletin (after a first one filled the caches)
    bulletin.compose(MARCH, today=ISSUED)
    with CaptureQueriesContext(connection) as first:
        bulletin.compose(MARCH, today=ISSUED)

    # when March has twice as many appeals
    for _ in range(7):
        _appeal(desk, "zhishan", sign=2, reply=4, verdict=(5, Verdict.SATISFIED, YES))

    # then the next bulletin takes as many queries
    with django_assert_num_queries(len(first.captured_queries)):
        bulletin.compose(MARCH, today=ISSUED)


# --- The command -----------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The command's today: 2026-04-02."""
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 4, 2, 10))


def test_command_writes_the_docx_and_its_annex_beside_it(march, clock, tmp_path):
    # when an operator runs `shishi bulletin --month 2026-03 --output 通报.docx`
    folder = tmp_path / "out"
    folder.mkdir()
    out = io.StringIO()
    call_command("bulletin", month="2026-03", output=str(folder / "通报.docx"), stdout=out)

    # then both files are written, and the command says where
    document = _read_docx((folder / "通报.docx").read_bytes())
    workbook = load_workbook(folder / "通报.xlsx")
    assert "关于2026年3月“我为群众办实事”工作情况的通报" in _text(document)
    assert {"排名-县（区）", "通报清单"} <= set(workbook.sheetnames)
    assert f"已写入 {folder / '通报.docx'}" in out.getvalue()
    assert f"已写入 {folder / '通报.xlsx'}" in out.getvalue()
    assert sorted(p.name for p in folder.iterdir()) == ["通报.docx", "通报.xlsx"]


def test_command_reports_on_the_last_complete_month_by_default(march, clock, tmp_path):
    call_command("bulletin", output=str(tmp_path / "b.docx"), stdout=io.StringIO())

    assert "关于2026年3月" in _text(_read_docx((tmp_path / "b.docx").read_bytes()))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"month": "2026-13", "output": "b.docx"}, "月份“2026-13”无效"),
        ({"month": "2026/03", "output": "b.docx"}, "应为 YYYY-MM"),
        ({"month": "2026-05", "output": "b.docx"}, "尚未开始"),
        ({"month": "2026-03", "output": "b.pdf"}, "须以 .docx 结尾"),
        ({"month": "2026-03", "output": "missing/b.docx"}, "目录不存在"),
        ({"month": "2026-03", "output": "a-file/b.docx"}, "目录不存在"),
        ({"month": "2026-03"}, "请用 --output"),
    ],
)
def test_command_refuses_bad_input_and_writes_nothing(tree, clock, tmp_path, options, message):
    # given a plain file where a directory is expected
    (tmp_path / "a-file").write_text("")
    if "output" in options:
        options = options | {"output": str(tmp_path / options["output"])}

    # when the command is run with bad input, it refuses in words
    with pytest.raises(CommandError, match=message):
        call_command("bulletin", stdout=io.StringIO(), **options)

    # and nothing was written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_files_are_written_all_or_none(tmp_path):
    # given the second file cannot be written (its directory does not exist)
    first, second = tmp_path / "b.docx", tmp_path / "missing" / "b.xlsx"

    # when both are written
    with pytest.raises(CommandError, match="无法写入文件"):
        write_files({first: b"docx", second: b"xlsx"})

    # then neither is there, nor any temporary file
    assert list(tmp_path.iterdir()) == []
