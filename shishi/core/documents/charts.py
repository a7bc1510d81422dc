"""Charts of generated documents (core.documents.Chart) drawn as PNG by matplotlib.

matplotlib is imported inside the functions, never at Django startup, and only through its
object API (Figure + the Agg canvas): no pyplot, no global backend or figure registry, so
two requests drawing at once do not share state.

A value of None is "no data": a gap in a line, a missing bar labelled 无数据, a slice left out
of a pie (named under it). It is never drawn as 0.
"""

import functools
import io
import logging
import math
import warnings

from shishi.core.documents import Chart

logger = logging.getLogger(__name__)

DPI = 200  # printed at ~15cm wide: 200 dpi is sharp on paper; tests lower it
WIDTH_INCHES = 6.1  # 15.5cm, inside the 15.6cm 版心
HEIGHT_INCHES = 3.4
NO_DATA = "无数据"
KINDS = ("bar", "barh", "line", "pie")

# Families tried first, in order; any other installed font that has Chinese glyphs comes after.
PREFERRED_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
PROBE = "中文办实事"  # a family must draw all of these to count as Chinese


def find_cjk_family() -> str | None:
    """The name of an installed font family that draws Chinese, or None."""
    from matplotlib import font_manager

    fonts = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    for name in PREFERRED_FONTS:
        if name in fonts and _draws_chinese(fonts[name]):
            return name
    for name in sorted(fonts):
        if _draws_chinese(fonts[name]):
            return name
    return None


def _draws_chinese(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError):
        return False
    return all(font.get_char_index(ord(char)) for char in PROBE)


@functools.cache
def cjk_font() -> str | None:
    """The Chinese font charts are drawn with, looked up once per process; None (and one
    warning in the log) when the machine has none, e.g. without fonts-noto-cjk."""
    name = find_cjk_family()
    if name is None:
        logger.warning(
            "No font with Chinese glyphs found: chart labels will show boxes "
            "(install a CJK font, e.g. the Debian package fonts-noto-cjk)"
        )
    return name


def draw(chart: Chart) -> bytes:
    """The chart as a PNG, sized to sit inside the 15.6cm 版心 of an A4 公文."""
    if chart.kind not in KINDS:
        raise ValueError(f"unknown chart kind {chart.kind!r}; expected one of {KINDS}")
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    style = {
        "font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
        "font.size": 9,
        "axes.unicode_minus": False,  # the CJK fonts lack U+2212; use the ASCII hyphen
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with rc_context(style), warnings.catch_warnings():
        if not font:  # said once in the log (cjk_font), not once per missing glyph
            warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure = Figure(figsize=(WIDTH_INCHES, _height(chart)), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        if not any(v is not None for _, values in chart.series for v in values):
            _nothing(axes)
        else:
            DRAWERS[chart.kind](axes, chart)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _height(chart: Chart) -> float:
    if chart.kind == "barh":  # one row per label: long lists of units grow downwards
        return max(HEIGHT_INCHES, 0.8 + 0.28 * len(chart.labels) * max(1, len(chart.series)))
    return HEIGHT_INCHES


def _nothing(axes) -> None:
    axes.set_axis_off()
    axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=14, color="#888888")


def _bars(axes, chart: Chart) -> None:
    horizontal = chart.kind == "barh"
    count = len(chart.series)
    thickness = 0.8 / count
    places = range(len(chart.labels))
    for index, (name, values) in enumerate(chart.series):
        offset = (index - (count - 1) / 2) * thickness
        spots = [p + offset for p, v in zip(places, values, strict=True) if v is not None]
        sizes = [v for v in values if v is not None]
        draw_bars = axes.barh if horizontal else axes.bar
        bars = draw_bars(spots, sizes, thickness, label=name)
        if count == 1 and len(chart.labels) <= 20:
            axes.bar_label(bars, fmt=_number, padding=2, fontsize=8)
        for place, value in zip(places, values, strict=True):
            if value is None:
                _no_data_mark(axes, place + offset, horizontal=horizontal)
    if horizontal:
        axes.set_yticks(list(places), chart.labels)
        axes.invert_yaxis()  # first label on top, as the table reads
        axes.set_xlabel(chart.unit)
    else:
        axes.set_xticks(list(places), chart.labels)
        axes.set_ylabel(chart.unit)
        if len(chart.labels) > 6:
            axes.tick_params(axis="x", labelrotation=35)
            for label in axes.get_xticklabels():
                label.set_horizontalalignment("right")
    _legend(axes, chart)


def _no_data_mark(axes, place: float, *, horizontal: bool) -> None:
    options = {"fontsize": 7, "color": "#888888"}
    if horizontal:
        axes.text(0, place, " " + NO_DATA, ha="left", va="center", **options)
    else:
        axes.text(place, 0, NO_DATA, ha="center", va="bottom", rotation=90, **options)


def _line(axes, chart: Chart) -> None:
    places = list(range(len(chart.labels)))
    for name, values in chart.series:
        # NaN breaks the line: a month without data is a gap, not a drop to zero.
        points = [math.nan if v is None else v for v in values]
        axes.plot(places, points, marker="o", markersize=3, label=name)
    axes.set_xticks(places, chart.labels)
    axes.set_ylabel(chart.unit)
    axes.grid(axis="y", alpha=0.3)
    if len(chart.labels) > 8:
        axes.tick_params(axis="x", labelrotation=35)
    _legend(axes, chart)


def _pie(axes, chart: Chart) -> None:
    """A pie shows one series (the first); labels without data are named under it."""
    _, values = chart.series[0]
    shown = [(label, v) for label, v in zip(chart.labels, values, strict=True) if v is not None]
    missing = [label for label, v in zip(chart.labels, values, strict=True) if v is None]
    axes.pie(
        [v for _, v in shown],
        labels=[label for label, _ in shown],
        autopct="%1.1f%%",
        startangle=90,
        counterclock=False,
        textprops={"fontsize": 8},
    )
    axes.set_aspect("equal")
    if missing:
        axes.set_xlabel(f"{NO_DATA}：" + "、".join(missing), fontsize=8, color="#666666")


def _legend(axes, chart: Chart) -> None:
    if len(chart.series) > 1:
        axes.legend(fontsize=8, frameon=False)


def _number(value: float) -> str:
    return f"{value:g}"


DRAWERS = {"bar": _bars, "barh": _bars, "line": _line, "pie": _pie}
