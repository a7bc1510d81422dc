"""The results as a document (core.documents blocks): the DOCX to print and the XLSX table."""

from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse

from shishi.cases import results
from shishi.cases.models import Selection
from shishi.core.documents import Document, Heading, Paragraph, Table, annex, docx

NO_DATA = "—"
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _number(value: float | None) -> str:
    return NO_DATA if value is None else f"{value:.2f}"


def results_document(selection: Selection, *, today: date) -> Document:
    standings = results.standings(selection)
    ranked = [row for row in standings if row.rank is not None]
    winners = [row for row in ranked if row.winner]
    document = Document(
        title=f"关于{selection.title}结果的公示",
        issuer=selection.office.name,
        issued=today,
        header=f"{selection.office.name}“{settings.CAMPAIGN_NAME}”实践活动",
    )
    document.add(
        Paragraph(selection.description),
        Paragraph(
            f"经单位推荐、主办单位审核入围{len(standings)}个案例，评委评分和群众投票，"
            f"按评委评分{selection.judge_weight}%、群众投票{selection.public_weight}%计算综合得分，"
            f"评出{selection.title}{len(winners)}个，现予公示。"
        ),
        Heading("评选结果", level=1),
        Table(
            title=f"{selection.title}结果",
            headers=(
                "名次",
                "案例名称",
                "推荐单位",
                "评委得分",
                "有效票数",
                "群众得分",
                "综合得分",
                "结果",
            ),
            rows=[
                (
                    row.rank or NO_DATA,
                    row.nomination.title,
                    row.nomination.unit.name,
                    _number(row.judge_score),
                    row.votes,
                    _number(row.public_score),
                    _number(row.total),
                    "入选" if row.winner else ("数据不足，未排名" if row.rank is None else ""),
                )
                for row in standings
            ],
            note=results.FORMULA,
            sheet="评选结果",
        ),
    )
    return document


def download(selection: Selection, fmt: str, *, today: date) -> HttpResponse:
    """The results as DOCX (to print) or XLSX (the table)."""
    document = results_document(selection, today=today)
    body = docx.render(document) if fmt == "docx" else annex.workbook(document)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    filename = quote(f"{selection.title}结果.{fmt}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
