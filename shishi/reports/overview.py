"""The 综述: every registered module's figures for the whole city written into prose as of a
day, in the voice of the city's own summaries ("截至2022年1月5日，全市共实施‘我为群众办实事’
项目20470个，全部落实完成").

The period is the year of the day up to the day's month. Each module says its own sentences
(`Source.overview`); a module without them gets one plain sentence from its headline figures,
so a module registered later appears here without touching this file. Every number is
`Figure.text` of the value the dashboards show for the same scope (无数据 for none, never 0).
The bulletin writes its 总体情况 with the same sentences.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from shishi.core.documents import Document, Paragraph
from shishi.core.figures import Period, Scope
from shishi.orgs.models import Unit
from shishi.reports import summary

TITLE = "“我为群众办实事”实践活动工作综述"
ISSUER = "漳州市“我为群众办实事”实践活动领导小组办公室"


def compose(as_of: date, *, recount: bool = True, now: datetime | None = None) -> Document:
    """The 综述 as of `as_of`: one paragraph per registered module, the first opening with
    截至…; counted from the base tables as of that day without writing (`summary.live`), or
    — the page, `recount=False` — read from the summary tables as the worker left them."""
    scope = city_scope(Period.months_from(date(as_of.year, 1, 1), as_of), as_of)
    reading = summary.live(scope, now=now) if recount else summary.read(scope)
    document = Document(title=TITLE, issuer=issuer(), issued=as_of)
    modules = [module for module in reading.modules.values() if not module.source.internal]
    for index, module in enumerate(modules):
        lead = f"截至{as_of:%Y年%-m月%-d日}，" if index == 0 else ""
        # Flows count the year so far; a state (projects) is the state now, which 截至 says.
        if not module.source.state:
            lead += "今年"
        document.add(Paragraph(lead + "".join(sentences(module, scope))))
    return document


def text(as_of: date, *, now: datetime | None = None) -> str:
    """The 综述 as plain text: the title, then a line per paragraph."""
    document = compose(as_of, now=now)
    return "\n".join([document.title, "", *(block.text for block in document.blocks)])


# --- Shared with the bulletin -------------------------------------------------------------------


def city_scope(period: Period, as_of: date) -> Scope:
    return Scope(unit=Unit.objects.get(parent=None), period=period, as_of=as_of)


def issuer() -> str:
    return getattr(settings, "REPORTS_ISSUER", ISSUER)


def moment(day: date) -> datetime:
    """The instant documents of `day` are counted at: now when it is today, else the end of
    that day (a document dated another day counts as of that day, e.g. in tests)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def sentences(module: summary.ModuleCounts, scope: Scope) -> list[str]:
    """A module's sentences about the scope: its own, or one from its headline figures; a
    module none of whose months was counted says so instead of printing 无数据 throughout."""
    source = module.source
    if not module.counted:
        return [f"{scope.place}{source.title}暂无统计数据。"]
    values = module.values
    if source.overview is not None:
        return source.overview(values, scope)
    keys = source.headline or tuple(f.key for f in source.figures)
    figures = "，".join(f"{source.figure(key).label}{values.text(key)}" for key in keys)
    return [f"{scope.place}{source.title}情况：{figures}。"]
