"""The 综述: every registered module's figures of the year so far written into prose; a module
registered later appears without touching overview.py; the `shishi overview` command.

The month is test_bulletin's March 2026 (its docstring has the appeals and projects); the
overview is taken on 04-02.
"""

import io
from datetime import date

import docx as python_docx
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from shishi.appeals import metrics
from shishi.appeals.models import Appeal
from shishi.core import figures
from shishi.core.figures import Figure, Source, figure
from shishi.projects import metrics as project_metrics
from shishi.reports import overview
from shishi.reports.tests import test_bulletin
from shishi.testing import at

pytestmark = pytest.mark.django_db

# The month of test_bulletin, as fixtures of this module.
categories, desk, office, march = (
    test_bulletin.categories,
    test_bulletin.desk,
    test_bulletin.office,
    test_bulletin.march,
)
AS_OF = date(2026, 4, 2)
TITLE = "“我为群众办实事”实践活动工作综述"


def _year_so_far() -> metrics.Figures:
    """The city's appeal figures from 1 January to the end of April, computed on 04-02."""
    start, _ = metrics.month_bounds(date(2026, 1, 1))
    _, end = metrics.month_bounds(date(2026, 4, 1))
    total = metrics.Figures()
    for unit_figures in metrics.unit_figures(start=start, end=end, today=AS_OF).values():
        total.add(unit_figures)
    return total


def test_overview_writes_the_year_so_far_as_the_metrics_count_it(march):
    # when the 综述 is taken on 04-02
    text = overview.text(AS_OF)

    # then it opens with the date and the appeals of the year, as computed directly
    title, blank, first, second, *_ = text.split("\n")  # then the modules after these
    assert (title, blank) == (TITLE, "")
    received = Appeal.objects.filter(received_at__year=2026).count()
    assert first.startswith(f"截至2026年4月2日，今年全市共受理群众诉求{received}件")
    appeals = _year_so_far()
    for key, value in (
        ("appeals.overdue", appeals.overdue),
        ("appeals.response", appeals.response),
        ("appeals.on_time", appeals.on_time),
        ("appeals.solved", appeals.solved_rate),
        ("appeals.satisfied", appeals.satisfied_rate),
        ("appeals.score", appeals.score),
    ):
        assert f"{figure(key).label}{figure(key).text(value)}" in first
    # and the projects as they stand on 04-02
    projects = project_metrics.Figures()
    for unit_figures in project_metrics.unit_figures(today=AS_OF).values():
        projects.add(unit_figures)
    assert second.startswith(f"全市共实施“我为群众办实事”项目{projects.projects}个")
    assert f"完成率{figure('projects.done_rate').text(projects.done_rate)}" in second


def test_a_rate_without_data_reads_no_data_never_zero(tree):
    # given a city where nothing has happened this year
    # when the 综述 is taken
    text = overview.text(date(2026, 1, 15), now=at(2026, 1, 15, 9))

    # then the counts are 0 and the rates 无数据, never 0
    assert "截至2026年1月15日，今年全市共受理群众诉求0件" in text
    assert "满意率无数据" in text and "完成率无数据" in text
    assert "满意率0.0%" not in text and "完成率0.0%" not in text


@pytest.fixture
def visits(monkeypatch, tree):
    """A module registered after overview.py was written: 入户走访, 12 visits by 芝山街道 in
    March, no sentences of its own. Unregistered after the test."""
    zhishan = tree["zhishan"].pk

    def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
        return {zhishan: {"visits": 12}} if start == date(2026, 3, 1) else {}

    source = Source(
        key="visits",
        title="入户走访",
        order=50,
        collect=collect,
        figures=(
            Figure(
                "visits.count", "走访群众", "人次", "上门走访的人次。", lambda c: c.get("visits", 0)
            ),
        ),
        headline=("visits.count",),
    )
    monkeypatch.setitem(figures._SOURCES, source.key, source)
    return source


def test_a_module_registered_later_appears_in_the_overview(visits):
    # when the 综述 is taken on 04-02
    paragraphs = overview.compose(AS_OF).blocks

    # then the new module has its paragraph, made of its headline figure
    assert paragraphs[-1].text == "今年全市入户走访情况：走访群众12人次。"


def test_overview_of_a_day_opens_the_document_without_a_number(tree):
    document = overview.compose(date(2026, 4, 2))

    assert document.title == TITLE
    assert document.number == ""
    assert document.issued == date(2026, 4, 2)
    assert document.blocks[0].text.startswith("截至2026年4月2日，")


# --- The command -----------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The command's today: 2026-04-02."""
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 4, 2, 10))


def test_command_prints_the_overview_of_today(march, clock):
    out = io.StringIO()
    call_command("overview", stdout=out)

    assert out.getvalue().startswith(TITLE)
    assert "截至2026年4月2日，今年全市共受理群众诉求7件" in out.getvalue()


def test_command_writes_the_overview_as_docx(march, clock, tmp_path):
    # when an operator writes the 综述 of 04-01 to a file
    out = io.StringIO()
    target = tmp_path / "综述.docx"
    call_command("overview", date="2026-04-01", output=str(target), stdout=out)

    # then the document holds the text, and the command says where it is
    text = "\n".join(p.text for p in python_docx.Document(target).paragraphs)
    assert TITLE in text
    assert "截至2026年4月1日，今年全市共受理群众诉求7件" in text
    assert f"已写入 {target}" in out.getvalue()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"date": "2026-02-30"}, "日期“2026-02-30”无效"),
        ({"date": "2026-04-03"}, "晚于今天"),
        ({"output": "综述.txt"}, "须以 .docx 结尾"),
        ({"output": "missing/综述.docx"}, "目录不存在"),
    ],
)
def test_command_refuses_bad_input_and_writes_nothing(tree, clock, tmp_path, options, message):
    if "output" in options:
        options = options | {"output": str(tmp_path / options["output"])}

    with pytest.raises(CommandError, match=message):
        call_command("overview", stdout=io.StringIO(), **options)

    assert list(tmp_path.iterdir()) == []
