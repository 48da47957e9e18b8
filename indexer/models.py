"""Plain dataclasses that flow one way through the pipeline.

load -> SourceDocument (raw lines, page numbers)
normalize -> list[Line] (same numbering, cleaned text)
tables -> list[Table] (rows with the line ranges they came from)
extract -> DocumentFacts (the `budgetsearch extract --json` contract)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class BudgetSearchError(Exception):
    """An error a user can act on: the message names the file and the cause."""


@dataclass(frozen=True)
class Line:
    """One line of a document's text view.

    `no` is 1-based and stable from loading to the viewer: every fact points back to it.
    `page` is the 1-based PDF page the line was printed on (None for text and HTML).
    """

    no: int
    text: str
    page: int | None = None


@dataclass
class SourceDocument:
    """What `load` read from disk: decoded lines, nothing interpreted yet."""

    path: str
    format: str  # "text" | "markdown" | "html" | "pdf"
    encoding: str | None
    lines: list[Line]
    title_hint: str | None = None  # e.g. an HTML <title>
    page_count: int | None = None
    notes: list[str] = field(default_factory=list)  # what could not be read, and why


@dataclass
class Row:
    """One logical table row, possibly rebuilt from several physical lines."""

    cells: list[str]
    lines: tuple[int, int]  # first and last source line
    page: int | None = None


@dataclass
class Table:
    title: str
    title_line: int
    unit: str | None  # "万元" | "元" | None when the table prints no unit line
    unit_line: int | None
    header: list[str]  # non-empty header cells, in order, across all header lines
    rows: list[Row]
    end_line: int
    header_rows: list[Row] = field(default_factory=list)  # the lines the header was read from

    @property
    def factor(self) -> float:
        """Multiply an amount of this table by this to get 万元."""
        return {"元": 0.0001, "千元": 0.1}.get(self.unit or "万元", 1.0)


@dataclass
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None  # 6-digit administrative division code, when known


@dataclass
class Indicator:
    level: str  # 成本指标 / 产出指标 / 效益指标 / 满意度指标 ...
    name: str
    value: str


@dataclass
class Project:
    name: str
    amount: float | None  # 万元, this year's
    type: str | None = None  # 其他运转类 / 特定目标类 / ...
    code: str | None = None
    unit_name: str | None = None  # 项目单位
    indicators: list[Indicator] = field(default_factory=list)
    lines: list[tuple[int, int]] = field(default_factory=list)
    page: int | None = None
    performance_name: str | None = None  # name in the 绩效目标表 when it differs
    performance_amount: float | None = None


@dataclass
class LineItem:
    name: str
    amount: float | None
    category: str  # e.g. 人员类 / 公用经费 / 特定目标类
    table: str
    lines: tuple[int, int]
    page: int | None = None


@dataclass
class Check:
    rule: str
    ok: bool
    expected: float | str | None
    found: float | str | None
    lines: list[int] = field(default_factory=list)
    detail: str = ""


@dataclass
class Totals:
    income_total: float | None = None
    expenditure_total: float | None = None
    basic: float | None = None
    project: float | None = None
    sangong: float | None = None


@dataclass
class Evidence:
    """Where a total was read: its line, so every shown number can be traced."""

    field: str
    value: float
    line: int
    page: int | None = None


@dataclass
class DocumentFacts:
    source: str
    title: str
    department: str | None
    department_raw: str | None
    region: Region
    year: int | None
    kind: str | None  # 预算 | 决算
    unit: str
    totals: Totals
    projects: list[Project] = field(default_factory=list)
    line_items: list[LineItem] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # inferences worth knowing (units...)
    format: str = "text"
    is_budget: bool = True  # False: indexed as a plain document without facts
    # 决算 only: the 年初预算数 the document prints beside its actuals (`totals`), in 万元
    budget_totals: Totals | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for project in data["projects"]:
            project["lines"] = [list(r) for r in project["lines"]]
        for item in data["line_items"]:
            item["lines"] = list(item["lines"])
        return data
