"""Compare page: matching projects summed by region and year, drawn as an SVG bar chart.

The geometry is computed here and the template only prints numbers into SVG elements, so the
chart needs no JavaScript, no chart library and no inline style (the CSP forbids both).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from budgetsearch.search.engine import MENTION_ONLY
from budgetsearch.web.views import format_amount

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")


@dataclass
class CompareRow:
    region: str  # the most specific part named: county, else city, else province
    region_key: str  # the search parameter that selects it
    region_full: str
    year: int | None
    count: int = 0
    amount: float = 0.0  # the projects whose name matches (命中位置 名称)
    unknown_amounts: int = 0  # projects whose amount could not be read
    names: list[str] = field(default_factory=list)
    mentions: int = 0  # projects that only mention the query (命中位置 仅描述), summed apart
    mention_amount: float = 0.0


def _region_key(region: Mapping[str, Any]) -> tuple[str, str]:
    for key in ("county", "city", "province"):
        if region.get(key):
            return str(region[key]), key
    return "未知地区", ""


def compare_rows(hits: Iterable[Mapping[str, Any]]) -> list[CompareRow]:
    """One row per (region, year): project count and amount sum, ordered by year then amount.
    The sum adds up the projects whose name matches, as the search's headline sum does;
    projects that only mention the query are counted and summed apart."""
    rows: dict[tuple[str, int | None], CompareRow] = {}
    for hit in hits:
        region = hit.get("region") or {}
        name, key = _region_key(region)
        full = " / ".join(str(region[k]) for k in ("province", "city", "county") if region.get(k))
        row = rows.setdefault((name, hit.get("year")),
                              CompareRow(name, key, full or name, hit.get("year")))
        row.count += 1
        row.names.append(str(hit.get("name") or ""))
        if hit.get("amount") is None:
            row.unknown_amounts += 1
        elif hit.get("matched_in") == MENTION_ONLY:
            row.mentions += 1
            row.mention_amount += float(hit["amount"])
        else:
            row.amount += float(hit["amount"])
    return sorted(rows.values(), key=lambda r: (r.year or 0, -r.amount, r.region))


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    row: CompareRow
    label: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    plot_right: int
    bars: list[Bar]
    groups: list[tuple[float, str]]  # (x centre, year label)
    ticks: list[Tick]
    legend: list[tuple[str, str]]  # (region, colour)


def nice_step(maximum: float, ticks: int = 5) -> float:
    """A 1/2/5 x 10^k step giving about `ticks` gridlines up to `maximum`."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def bar_chart(rows: list[CompareRow], width: int = 960, height: int = 380) -> Chart | None:
    """Bars per region, grouped by year; None when there is nothing to draw."""
    if not rows:
        return None
    regions = sorted({r.region for r in rows}, key=lambda n: -sum(r.amount for r in rows
                                                                    if r.region == n))
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(regions)}
    years = sorted({r.year for r in rows}, key=lambda y: y or 0)
    left, right, top, bottom = 80, width - 20, 20, height - 40
    step = nice_step(max(r.amount for r in rows))
    top_value = step * max(1, math.ceil(max(r.amount for r in rows) / step))
    scale = (bottom - top) / top_value
    group_width = (right - left) / len(years)
    bars: list[Bar] = []
    groups: list[tuple[float, str]] = []
    for gi, year in enumerate(years):
        in_group = [r for r in rows if r.year == year]
        in_group.sort(key=lambda r: regions.index(r.region))
        slot = min(56.0, group_width * 0.8 / len(in_group))
        start = left + gi * group_width + (group_width - slot * len(in_group)) / 2
        for bi, row in enumerate(in_group):
            h = row.amount * scale
            bars.append(Bar(x=round(start + bi * slot + 2, 1), y=round(bottom - h, 1),
                            width=round(slot - 4, 1), height=round(h, 1),
                            color=colours[row.region], row=row,
                            label=format_amount(row.amount)))
        groups.append((round(left + (gi + 0.5) * group_width, 1),
                       f"{year}年" if year else "年度不详"))
    ticks = [Tick(round(bottom - i * step * scale, 1), format_amount(i * step).rstrip("0")
                  .rstrip("."))
             for i in range(int(round(top_value / step)) + 1)]
    return Chart(width, height, left, bottom, right, bars, groups, ticks,
                 [(name, colours[name]) for name in regions])
