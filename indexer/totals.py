"""The document's totals from its standard tables, read by their headers and row labels.

Every disclosure prints the same national set of tables, with city-specific titles, column
orders and labels. A table is recognised by its title (`table_kind`), each column gets a role
from its header (`tables.column_roles`: 合计 / 基本支出 / 项目支出, a year, 年初预算数 /
调整预算数 / 决算数) and each row a role from its label (总计, 收入总计, 本年支出合计 ...).
Where several readings are possible the document's own arithmetic chooses: the reading in
which basic + project = total wins; the checks still report whatever disagrees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from budgetsearch.indexer.models import Evidence, Row, Table
from budgetsearch.indexer.normalize import parse_amount
from budgetsearch.indexer.tables import (
    EXPENDITURE_ROWS,
    INCOME_ROWS,
    PLAIN_TOTAL_ROWS,
    ColumnRole,
    column_roles,
    row_label,
)

# Table kinds by title, most specific first. 财政拨款 tables cover appropriations only, the
# 收支总表 all funds, so the latter is read first for the whole budget.
_KINDS = [
    ("sangong", re.compile(r"三公")),
    ("other", re.compile(r"项目支出(?:预算|决算)?表|绩效|经济分类|基本支出|政府性基金|国有资本|"
                         r"机构运转|采购|资产|明细")),
    ("appropriation", re.compile(r"财政拨款.*收.*支")),
    ("overview", re.compile(r"收支|收入支出")),
    ("income", re.compile(r"收入.*(?:总表|总体|决算表|预算表)")),
    ("general", re.compile(r"一般公共预算.*支出|财政拨款支出")),
    ("expenditure", re.compile(r"支出.*(?:总表|总体|决算表|预算表)")),
]
# Rounded figures: basic + project may miss the total by a rounding step.
_ROUNDING = 0.011
STANDARD_KINDS = ("overview", "appropriation", "income", "expenditure", "general", "sangong", "other")

# Row labels, best first: 总计 rows include carry-overs, so they are the ones that balance.
_INCOME_ROWS, _EXPENDITURE_ROWS, _PLAIN_TOTAL_ROWS = INCOME_ROWS, EXPENDITURE_ROWS, PLAIN_TOTAL_ROWS
_FIELDS = ("income_total", "expenditure_total", "basic", "project")


def table_kind(title: str) -> str | None:
    """Which standard table a title names (`2026年预算单位财务收支预算总表` -> overview)."""
    for kind, pattern in _KINDS:
        if pattern.search(title):
            return kind
    return None


@dataclass
class Segment:
    """The amounts a row prints after one of its labels, by column index."""

    label: str
    amounts: list[tuple[int, float]]
    row: Row


def segments(row: Row) -> list[Segment]:
    """A row's labels with the amounts that follow each: a 收支总表 row prints an income
    label and amounts, then an expenditure label and amounts."""
    out: list[Segment] = []
    for i, cell in enumerate(row.cells):
        if not cell.strip():
            continue
        value = parse_amount(cell)
        if value is None:
            out.append(Segment(row_label(cell), [], row))
        elif out:
            out[-1].amounts.append((i, value))
    return out


@dataclass
class Reading:
    """One reading of a total row: the figures and where they were read."""

    values: dict[str, float]
    row: Row
    factor: float

    def evidence(self, name: str, field: str | None = None) -> Evidence:
        return Evidence(field or name, round(self.values[name] * self.factor, 6),
                        self.row.lines[0], self.row.page)


def read_segment(segment: Segment, roles: dict[int, ColumnRole], qualifier: str,
                 year: int | None) -> dict[str, float]:
    """total / basic / project of one segment, in the columns qualified `qualifier`
    (actual, budget) or, without qualified columns, the document's year or unqualified ones.

    A heading spanning sub-columns (基本支出 over 人员经费 and 公用经费) sums them when the
    first sub-column alone does not add up."""
    amounts = [(i, v) for i, v in segment.amounts if roles.get(i, ColumnRole()).kind != "line_no"]
    if not amounts:
        return {}
    usable = _qualified(amounts, roles, qualifier, year)
    if not usable:
        return {}
    by_kind: dict[str, list[float]] = {}
    for i, v in usable:
        kind = roles[i].kind if i in roles else ""
        by_kind.setdefault(kind or "", []).append(v)
    out: dict[str, float] = {}
    total = (by_kind.get("total") or by_kind.get("") or [usable[0][1]])[0]
    out["total"] = total
    basic, project = by_kind.get("basic"), by_kind.get("project")
    if (basic or project) and not (basic and project) and _headed(roles, usable, "basic", "project"):
        basic, project = basic or [0.0], project or [0.0]  # an empty cell under its heading is zero
    if basic and project:
        for b in (basic[0], sum(basic)):
            if _adds_up(b, project[0], total):
                out["basic"], out["project"] = b, project[0]
                break
    elif not roles and len(amounts) == 3 and _adds_up(amounts[1][1], amounts[2][1], amounts[0][1]):
        out["basic"], out["project"] = amounts[1][1], amounts[2][1]  # unaligned: arithmetic says
    return out


def _headed(roles: dict[int, ColumnRole], usable: list[tuple[int, float]], *kinds: str) -> bool:
    """Whether the header names every one of `kinds` among the columns right of the segment's
    first amount (the part of the row the segment spans)."""
    start = usable[0][0]
    return all(any(i >= start and r.kind == kind for i, r in roles.items()) for kind in kinds)


def _adds_up(basic: float, project: float, total: float) -> bool:
    """The row's own arithmetic: a reading whose parts miss its total is a misaligned one."""
    return abs(basic + project - total) <= _ROUNDING


def _qualified(amounts, roles, qualifier: str, year: int | None) -> list[tuple[int, float]]:
    qualifiers = {roles[i].qualifier for i, _ in amounts if i in roles and roles[i].qualifier}
    if not qualifiers:
        return [] if qualifier == "budget" else amounts  # a plan is read only where printed
    if qualifier in qualifiers:
        want = qualifier
    elif year is not None and str(year) in qualifiers:
        want = str(year)
    elif "current" in qualifiers and qualifier != "budget":
        want = "current"  # 本年预算数 beside 上年预算数
    elif qualifier == "actual":
        years = sorted(q for q in qualifiers if q.isdigit())
        want = years[-1] if years else None
        if want is None:
            return [(i, v) for i, v in amounts if not (i in roles and roles[i].qualifier)]
    else:
        return []
    return [(i, v) for i, v in amounts if i in roles and roles[i].qualifier == want]


def table_readings(tables: list[Table], year: int | None, qualifier: str = "actual"
                   ) -> list[tuple[str, str, Reading]]:
    """Every (table kind, row role, reading) the standard tables print, tables in the order
    overview, income, expenditure, appropriation, general."""
    order = {"overview": 0, "income": 1, "expenditure": 2, "appropriation": 3, "general": 4}
    out = []
    for table in sorted(tables, key=lambda t: order.get(table_kind(t.title) or "", 9)):
        kind = table_kind(table.title)
        if kind is None or kind in ("sangong", "other"):
            continue
        roles = column_roles(table)
        for row in table.rows:
            for n, segment in enumerate(segments(row)):
                role = _row_role(segment.label, kind, n)
                if role is None:
                    continue
                values = read_segment(segment, roles, qualifier, year)
                if values:
                    out.append((kind, role, Reading(values, row, table.factor)))
    return out


def _row_role(label: str, kind: str, position: int) -> str | None:
    if label in _INCOME_ROWS:
        return "income"
    if label in _EXPENDITURE_ROWS:
        return "expenditure"
    if label in _PLAIN_TOTAL_ROWS:
        if kind in ("overview", "appropriation"):
            return "income" if position == 0 else "expenditure"
        return {"income": "income", "expenditure": "expenditure", "general": "expenditure"}.get(kind)
    if kind == "overview" and label in ("基本支出", "项目支出"):
        return label
    return None


def tables_totals(tables: list[Table], year: int | None, qualifier: str = "actual"
                  ) -> dict[str, Evidence]:
    """income_total, expenditure_total, basic and project from the standard tables.

    Income and expenditure: the 总计 rows of the first table that prints them (收支总表 before
    收入/支出总表 before 财政拨款收支总表). Basic and project: the 基本支出 / 项目支出 columns
    of an expenditure total row, or the rows so labelled, choosing the reading that adds up
    to the expenditure total."""
    readings = table_readings(tables, year, qualifier)
    found: dict[str, Evidence] = {}
    for _kind, role, reading in readings:
        name = {"income": "income_total", "expenditure": "expenditure_total"}.get(role)
        if name and name not in found and _label_rank(reading) == 0:
            found[name] = reading.evidence("total", name)
    for _kind, role, reading in readings:  # 本年收入合计 only where no 总计 is printed
        name = {"income": "income_total", "expenditure": "expenditure_total"}.get(role)
        if name and name not in found:
            found[name] = reading.evidence("total", name)
    expenditure = found.get("expenditure_total")
    pairs = [(r.evidence("basic"), r.evidence("project"), r.evidence("total"))
             for _k, role, r in readings if role == "expenditure" and "basic" in r.values]
    labelled = {role: r for _k, role, r in readings if role in ("基本支出", "项目支出")}
    if "基本支出" in labelled and "项目支出" in labelled:
        pairs.append((labelled["基本支出"].evidence("total", "basic"),
                      labelled["项目支出"].evidence("total", "project"), expenditure))
    if not pairs and expenditure is not None:
        pairs = _unit_rows(tables, year, qualifier, expenditure)
    if pairs:
        basic, project, _ = min(pairs, key=lambda p: _misfit(p, expenditure))
        found["basic"], found["project"] = basic, project
    return found


def _unit_rows(tables: list[Table], year: int | None, qualifier: str, expenditure: Evidence
               ) -> list[tuple[Evidence, Evidence, Evidence]]:
    """基本支出 and 项目支出 printed only as columns of the unit's own row (no 合计 row): the
    first row of an expenditure table whose parts add up to the document's expenditure total."""
    for table in tables:
        if table_kind(table.title) not in ("overview", "expenditure", "general"):
            continue
        roles = column_roles(table)
        for row in table.rows:
            for segment in segments(row):
                values = read_segment(segment, roles, qualifier, year)
                if "basic" in values and abs(values["total"] * table.factor - expenditure.value) <= _ROUNDING:
                    reading = Reading(values, row, table.factor)
                    return [(reading.evidence("basic"), reading.evidence("project"), reading.evidence("total"))]
    return []


def _label_rank(reading: Reading) -> int:
    label = next((s.label for s in segments(reading.row)), "")
    return 0 if "总计" in label or label in ("合计", "收入合计", "支出合计") else 1


def _misfit(pair: tuple[Evidence, Evidence, Evidence | None], expenditure: Evidence | None) -> float:
    """How far basic + project is from the expenditure total (the document's own, else the
    row's); 0 is a reading the document's arithmetic confirms."""
    basic, project, row_total = pair
    target = expenditure or row_total
    if target is None:
        return 0.0
    return abs(basic.value + project.value - target.value)
