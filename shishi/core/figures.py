"""Counts that add up over units and subtrees, the rates made of them, and the registry of
the figures every module declares (read by `reports`)."""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from typing import Any


@dataclass
class Tally:
    """Base for a module's per-unit figures: integer fields that add, rates derived."""

    def add(self, other: "Tally") -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    def counts(self) -> dict[str, int]:
        """The fields as a module's counts (what the summary tables keep)."""
        return asdict(self)

    @classmethod
    def of(cls, counts: "Counts") -> "Tally":
        """Back from counts; keys that are not fields (breakdowns) are left out."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in counts.items() if k in names})


# --- The figures registry ---------------------------------------------------------------------
# Each module declares its figures once, from its AppConfig.ready(): what it counts per unit
# and month (`Source.collect`), the figures made of those counts, the breakdowns charted on the
# dashboard, its sentences in the overview and its section of the monthly bulletin. `reports`
# reads them all (summary tables, dashboards, /stats/, bulletin, overview) and never names a
# module; a module registered later appears everywhere without touching `reports`. The
# registry lives here, below every module, so the imports keep pointing downward.

Counts = Mapping[str, int]
Value = int | float | None


class Kind(StrEnum):
    COUNT = "count"  # adds up over a subtree and over months
    RATE = "rate"  # a part over a whole: both add up, then divide
    AVERAGE = "average"  # a total over a number (stars over ratings): both add up, then divide
    AMOUNT = "amount"  # money or hours: adds up


ROLLUP = {
    Kind.COUNT: "下级单位逐级相加",
    Kind.RATE: "分子、分母分别逐级相加后相除",
    Kind.AVERAGE: "总数、次数分别逐级相加后相除",
    Kind.AMOUNT: "下级单位逐级相加",
}
NO_DATA = "无数据"
# The earliest day figures are counted for: before it a date is a typo, not a question.
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months [start, end): a month, a quarter, a year or a custom run of months — the
    grain the summary tables keep."""

    start: date  # the first day of the first month
    end: date  # the first day after the last month

    @classmethod
    def month(cls, day: date) -> "Period":
        start = day.replace(day=1)
        return cls(start, _next_month(start))

    @classmethod
    def quarter(cls, day: date) -> "Period":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        return cls(start, _next_month(_next_month(_next_month(start))))

    @classmethod
    def year(cls, day: date) -> "Period":
        return cls(date(day.year, 1, 1), date(day.year + 1, 1, 1))

    @classmethod
    def months_from(cls, first: date, last: date) -> "Period":
        return cls(first.replace(day=1), _next_month(last.replace(day=1)))

    @property
    def months(self) -> list[date]:
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month = _next_month(month)
        return months

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def span(self) -> str:
        """month, quarter, year, or custom (any other run of months)."""
        if len(self.months) == 1:
            return "month"
        if self == Period.year(self.start):
            return "year"
        if self == Period.quarter(self.start):
            return "quarter"
        return "custom"

    @property
    def label(self) -> str:
        first, last = self.start, self.last_day
        if len(self.months) == 1:
            return f"{first.year}年{first.month}月"
        if first.month == 1 and last.month == 12 and first.year == last.year:
            return f"{first.year}年"
        if len(self.months) == 3 and first.month % 3 == 1:
            return f"{first.year}年第{'一二三四'[first.month // 3]}季度"
        return f"{first.year}年{first.month}月至{last.year}年{last.month}月"


def _next_month(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class Scope:
    """A unit's subtree over a period, as of a day: what a dashboard, bulletin or overview
    shows. `unit` is an orgs.Unit (the city's root unit for the whole city)."""

    unit: Any
    period: Period
    as_of: date

    @property
    def path(self) -> str:
        return self.unit.path

    @property
    def is_city(self) -> bool:
        return self.unit.parent_id is None

    @property
    def place(self) -> str:
        """How the text names the scope: 全市 for the city, else the unit's name."""
        return "全市" if self.is_city else self.unit.name


@dataclass(frozen=True)
class Figure:
    """One number people read: a count, rate, average or amount, made of a module's counts."""

    key: str  # "appeals.received": module key, dot, name
    label: str  # 受理诉求
    unit: str  # 件, 个, 人次; "%" for rates
    explain: str  # printed beside the number: how it is counted
    value: Callable[[Counts], Value]
    kind: Kind = Kind.COUNT
    drill: Callable[[Scope], str | None] | None = None  # the staff list behind the number
    drill_perm: str = ""  # what opening that list takes (a viewer without it gets no link)

    @property
    def rollup(self) -> str:
        return ROLLUP[self.kind]

    def text(self, value: Value) -> str:
        """The value as the pages and documents print it; never 0 for no data."""
        if value is None:
            return NO_DATA
        if self.kind == Kind.RATE:
            return f"{value * 100:.1f}%"
        if self.kind == Kind.AVERAGE:
            return f"{value:.2f}{self.unit}"
        if isinstance(value, float):
            return f"{value:,.1f}{self.unit}"
        return f"{value:,}{self.unit}"


@dataclass(frozen=True)
class Breakdown:
    """A dimension a module counts by (counts keyed "<key>:<code>"), charted on dashboards."""

    key: str  # "status"
    title: str  # 按状态
    labels: Callable[[], Mapping[str, str]]  # code -> label, in the order to show
    chart: str = "bar"  # "pie", "bar" or "barh"
    drill: Callable[[Scope, str], str | None] | None = None  # (scope, code) -> list URL
    unit: str = "件"
    drill_perm: str = ""

    def values(self, counts: Counts) -> list[tuple[str, str, int]]:
        """(code, label, count) for every code counted, in the labels' order; codes no longer
        labelled (a retired category) are shown by their code, last."""
        prefix = f"{self.key}:"
        counted = {k[len(prefix) :]: n for k, n in counts.items() if k.startswith(prefix) and n}
        labels = self.labels()
        rows = [
            (code, label, counted.pop(code)) for code, label in labels.items() if code in counted
        ]
        return rows + [(code, code, n) for code, n in sorted(counted.items())]


@dataclass(frozen=True)
class Source:
    """A module's figures. `collect(start, end, today)` counts per unit id for the month
    [start, end) in a fixed number of queries; the summary tables keep what it returns."""

    key: str  # "appeals"
    title: str  # 群众诉求办理
    collect: Callable[[date, date, date], dict[int, Counts]]
    figures: tuple[Figure, ...]
    order: int = 100
    # True: the counts are the state as of the day they were taken (projects by status), so a
    # period reads its last month; False: things that happened in the month, which add up.
    state: bool = False
    breakdowns: tuple[Breakdown, ...] = ()
    headline: tuple[str, ...] = ()  # figure keys shown first (dashboard cards)
    public: tuple[str, ...] = ()  # figure keys /stats/ shows citizens (no personal data)
    # The overview's sentences from the values ({figure key: value}) and the scope; without
    # it, one plain sentence is written from the headline figures.
    overview: Callable[["Values", Scope], list[str]] | None = None
    # Ranking tables from the per-unit counts of the scope (dashboard and bulletin).
    rankings: Callable[[Scope, dict[int, Counts]], list] | None = None
    # The module's section of the monthly bulletin, read from the base tables (core.documents
    # blocks; rankings come first by themselves).
    bulletin: Callable[[Scope], list] | None = None
    # Figures for the office's own dashboards (what SMS cost): left out of the overview, the
    # bulletin and the public /stats/, which speak about the campaign's work.
    internal: bool = False

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


class Values(dict):
    """{figure key: value} with the registry's wording: `text(key)` prints a value as pages
    do (无数据 for none)."""

    def __init__(self, data=(), *, source: "Source | None" = None):
        super().__init__(data)
        self.source = source

    def text(self, key: str) -> str:
        made = self.source.figure(key) if self.source else figure(key)
        return made.text(self.get(key))


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Called from a module's AppConfig.ready(). Registering a key again replaces it."""
    keys = [f.key for f in source.figures]
    assert all(k.startswith(f"{source.key}.") for k in keys), "figure keys start with the module"
    assert len(set(keys)) == len(keys), "figure keys are unique"
    _SOURCES[source.key] = source


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def source(key: str) -> Source:
    return _SOURCES[key]


def figure(key: str) -> Figure:
    return source(key.split(".", 1)[0]).figure(key)


def values(source: Source, counts: Counts | None) -> Values:
    """The source's figures from `counts`; all None (无数据) when nothing was counted."""
    if counts is None:
        return Values(dict.fromkeys((f.key for f in source.figures), None), source=source)
    return Values({f.key: f.value(counts) for f in source.figures}, source=source)


def add_counts(*many: Counts) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for counts in many:
        for key, n in counts.items():
            total[key] += n
    return dict(total)
