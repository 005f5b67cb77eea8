"""Server-side SVG charts for the staff dashboard. Pure: values in, markup out.

Why SVG on the server: the dashboard must load nothing from other hosts and the content
security policy forbids inline scripts and styles, so a chart is plain markup with presentation
attributes (fill, x, y), which CSP allows. Every label is escaped.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0d6efd", "#198754", "#ffc107", "#dc3545", "#6c757d", "#0dcaf0")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    # Stacked parts as (name, value); when empty the bar is one block of `value`.
    parts: tuple[tuple[str, float], ...] = ()


def _scale(bars: Sequence[Bar]) -> float:
    top = max((b.value for b in bars), default=0)
    return float(top) if top > 0 else 1.0


def horizontal_bars(bars: Sequence[Bar], *, title: str, width: int = 640, row: int = 22,
                    label_width: int = 200, legend: Sequence[str] = ()) -> SafeString:
    """One row per bar, longest value filling the plot; stacked parts in legend order."""
    plot = width - label_width - 60
    top = _scale(bars)
    legend_marks, legend_height = _legend(legend, width)
    height = legend_height + row * max(len(bars), 1) + 4
    out = [_open(width, height, title), *legend_marks]
    for i, bar in enumerate(bars):
        y = legend_height + i * row
        out.append(f'<text x="{label_width - 6}" y="{y + row * 0.7:.1f}" font-size="12" '
                   f'text-anchor="end">{escape(bar.label[:32])}</text>')
        x = float(label_width)
        for j, (name, value) in enumerate(bar.parts or (("", bar.value),)):
            w = plot * float(value) / top
            colour = COLOURS[(legend.index(name) if name in legend else j) % len(COLOURS)]
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                       f'fill="{colour}"><title>{escape(name or bar.label)}: {_num(value)}</title></rect>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + row * 0.7:.1f}" font-size="12">{_num(bar.value)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated label is escaped above


def columns(bars: Sequence[Bar], *, title: str, width: int = 640, height: int = 160,
            colour: str = COLOURS[0], label_every: int = 7) -> SafeString:
    """One column per bar (e.g. deadlines per day); every `label_every`-th label is written."""
    top = _scale(bars)
    base = height - 20
    step = width / max(len(bars), 1)
    out = [_open(width, height, title)]
    for i, bar in enumerate(bars):
        h = (base - 12) * float(bar.value) / top
        x = i * step
        out.append(f'<rect x="{x + 1:.1f}" y="{base - h:.1f}" width="{max(step - 2, 1):.1f}" '
                   f'height="{h:.1f}" fill="{colour}"><title>{escape(bar.label)}: {_num(bar.value)}'
                   f'</title></rect>')
        if bar.value:
            out.append(f'<text x="{x + step / 2:.1f}" y="{base - h - 2:.1f}" font-size="10" '
                       f'text-anchor="middle">{_num(bar.value)}</text>')
        if i % label_every == 0:
            out.append(f'<text x="{x + 1:.1f}" y="{height - 4}" font-size="10">{escape(bar.label)}</text>')
    out.append(f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="#adb5bd"/></svg>')
    return mark_safe("".join(out))  # noqa: S308 - every interpolated label is escaped above


def _legend(names: Sequence[str], width: int) -> tuple[list[str], int]:
    """Colour keys left to right, wrapping to a new line when the next one would not fit."""
    marks: list[str] = []
    x, y = 0.0, 4
    for i, name in enumerate(names):
        item = 14 + 6.5 * len(name) + 16  # a rough width of 11px text: enough not to overlap
        if x and x + item > width:
            x, y = 0.0, y + 16
        marks.append(f'<rect x="{x:.0f}" y="{y}" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>'
                     f'<text x="{x + 14:.0f}" y="{y + 9}" font-size="11">{escape(name)}</text>')
        x += item
    return marks, (y + 16 if names else 0)


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
            f'width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>')


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
