"""Helpers for the projects tests: business-time clocks, actors, "nothing changed" snapshots,
one-time codes read from the outbox and ledger workbooks built with openpyxl."""

import io
from datetime import date

from openpyxl import Workbook, load_workbook

from shishi.core.models import OutboxMessage
from shishi.projects.ledger import HEADERS, SHEET
from shishi.projects.models import (
    Attachment,
    Milestone,
    Objection,
    ProgressReport,
    Project,
    ProjectEvent,
    Rating,
    ReportSlot,
)
from shishi.testing import SHANGHAI, actor_of, at  # noqa: F401  (re-exported)
from shishi.testing import latest_code as sent_code  # noqa: F401  (re-exported)


def fresh(project: Project) -> Project:
    return Project.objects.get(pk=project.pk)


def state_of(project: Project) -> dict:
    """Everything a project action may write, to show that a refusal changed nothing."""
    return {
        "project": Project.objects.filter(pk=project.pk).values().get(),
        "co_units": sorted(project.co_units.values_list("pk", flat=True)),
        "events": ProjectEvent.objects.filter(project=project).count(),
        "milestones": list(Milestone.objects.filter(project=project).order_by("pk").values()),
        "slots": list(ReportSlot.objects.filter(project=project).order_by("pk").values()),
        "reports": list(ProgressReport.objects.filter(project=project).order_by("pk").values()),
        "attachments": Attachment.objects.filter(project=project).count(),
        "objections": list(Objection.objects.filter(project=project).order_by("pk").values()),
        "ratings": list(Rating.objects.filter(project=project).order_by("pk").values()),
        "outbox": OutboxMessage.objects.count(),
    }


def verbs(project: Project, *, public_only: bool = False) -> list[str]:
    events = ProjectEvent.objects.filter(project=project).order_by("at", "pk")
    if public_only:
        events = events.filter(public=True)
    return list(events.values_list("verb", flat=True))


# --- Ledger workbooks ------------------------------------------------------------------------


def ledger_row(**values) -> list:
    """One valid ledger row for a new 芝山街道 project; keyword arguments replace cells."""
    row = {
        "code": None,
        "title": "芝山街道农贸市场提升改造",
        "area": "提高生活品质",
        "level": "乡级",
        "source": "群众点题",
        "lead_unit": "350602007000",
        "co_units": None,
        "leader": "街道办主任 张某某",
        "planned_start": date(2026, 3, 1),
        "planned_end": date(2026, 12, 31),
        "targets": "改造农贸市场1处，新增摊位40个",
        "budget": 120.5,
        "beneficiaries": 8000,
        "place": "芝山街道",
        "cadence": "月报",
        "description": "",
    }
    return list((row | values).values())


def workbook(
    rows: list[list | None],
    *,
    sheet: str = SHEET,
    header: list[str] | None = None,
    merge: str | None = None,
) -> bytes:
    """An .xlsx ledger: the header, then `rows` from row 2 on (None leaves a row blank)."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header if header is not None else HEADERS)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row or [], start=1):
            if value is not None:
                ws.cell(row=number, column=column, value=value)
    if merge:
        ws.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_sheet(data: bytes, sheet: str = SHEET):
    return load_workbook(io.BytesIO(data))[sheet]
