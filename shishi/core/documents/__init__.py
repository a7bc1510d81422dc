"""What a generated document says, apart from how it is laid out: the blocks every module's
bulletin section, the overview and the project report are written in. `reports` renders them
(DOCX in 公文 layout, charts by matplotlib, tables also into the XLSX annex); modules below
`reports` write blocks without importing it.

Headings are numbered by the renderer by level (一、 （一） 1. （1）), never in the text.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 一、  2 （一）  3 1.  4 （1）


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """A table in the text; with `sheet` set it also becomes a sheet of the XLSX annex (the
    text may show the first `shown` rows and say the rest are in the annex)."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)
    note: str = ""  # printed under the table: what the figures mean
    sheet: str = ""  # the annex sheet's name (≤ 31 characters); blank: not in the annex
    shown: int | None = None  # rows printed in the text; None: all


@dataclass(frozen=True)
class Chart:
    """A chart drawn into the document: one or more series over the same labels."""

    title: str
    kind: str  # "bar", "barh", "line" or "pie"
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]  # (name, values); None: no data
    unit: str = ""


Block = Heading | Paragraph | Table | Chart


@dataclass
class Document:
    """A document as the office issues it (GB/T 9704-2012): issuing body, number, title,
    addressees, body, issuing body and date at the end."""

    title: str  # 关于……的通报
    issuer: str  # 漳州市“我为群众办实事”实践活动领导小组办公室
    issued: date
    number: str = ""  # 漳实事办〔2026〕12号; blank for an internal report
    addressees: str = ""  # 主送: 各县（市、区）、市直各单位：
    blocks: list[Block] = field(default_factory=list)
    header: str = ""  # the red issuing-body header; defaults to the issuer + 文件
    annex_title: str = ""  # names the XLSX annex in the text (附件：…)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
