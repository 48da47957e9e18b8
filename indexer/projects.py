"""Projects: rows of the 项目支出表, merged with their 绩效目标 entries; line items.

A 项目支出表 is read two ways, by position for the typed layout (类型 | 项目名称 | 项目单位 |
合计) and by its headers for any other (`project_tables`); the reading its 合计 confirms
wins. Without one, the 绩效目标 forms (one per project) or a 绩效目标 list are the
projects; a document that names none says so in a note.

The two tables that list projects can disagree (a name or an amount). Pairs are made
by exact name and amount first, then by amount and a similar name, then by name alone;
every pair that is not identical is kept for `checks` to report, never resolved.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from budgetsearch.indexer.models import Indicator, Line, LineItem, Project, Table
from budgetsearch.indexer.normalize import is_amount, parse_amount
from budgetsearch.indexer.project_tables import ListedProjects, clean_name, name_column, read_listed_projects
from budgetsearch.indexer.tables import column_index, rebuild_rows

PROJECT_TYPES = ("其他运转类", "特定目标类", "运转类", "业务类", "公用经费", "人员类", "一般性项目",
                 "专项资金", "经常性项目", "一次性项目")
INDICATOR_LEVELS = ("成本指标", "产出指标", "效益指标", "满意度指标")
_CODE_CELL = re.compile(r"^\d{9,}$")
_UNIT_CODE = re.compile(r"^\d{3,8}$")
_INSTITUTION = re.compile(r"(?:中心|局|办公室|办公厅|委员会|院|厅|所|站|队|会|部|处|馆|委|办)$")


@dataclass
class ProjectTableInfo:
    """What the 项目支出表 says about itself, for the checks."""

    title: str
    total: float | None = None  # its 合计 row
    total_line: int | None = None
    lines: tuple[int, int] = (0, 0)


@dataclass
class PerformanceEntry:
    name: str
    amount: float | None
    code: str | None
    lines: tuple[int, int]
    page: int | None = None
    indicators: list[Indicator] = field(default_factory=list)
    type: str | None = None


def is_project_table(table: Table) -> bool:
    return "项目支出" in table.title and "绩效" not in table.title


def is_performance_table(table: Table) -> bool:
    return "绩效目标" in table.title and "整体" not in table.title


def extract_projects(tables: list[Table], unit_names: set[str], lines: list[Line] | None = None
                     ) -> tuple[list[Project], list[PerformanceEntry], ProjectTableInfo | None]:
    """Projects (with their 绩效目标 entries attached), the 绩效目标 entries, and what the
    project table says about itself. `lines` (the document's) let wrapped names be rebuilt."""
    performance: list[PerformanceEntry] = []
    project_tables = [t for t in tables if is_project_table(t)]
    # A 项目支出绩效目标表 printed as a list (项目名称 | 总计 | ... | 绩效目标) is the project
    # list where the document has no other, and its 绩效目标 side where it has.
    performance_lists = []
    for table in (t for t in tables if is_performance_table(t)):
        entries = performance_entries(table)
        performance.extend(entries)
        if not entries and name_column(table) is not None:
            performance_lists.append(table)
    rows, info = _read_project_tables(project_tables, unit_names, {e.name for e in performance}, lines)
    if rows:
        performance.extend(_listed_performance(performance_lists, lines))
    else:
        rows, info = _read_project_tables(performance_lists, unit_names, set(), lines)
    if not rows:
        # Some templates (Jiyuan 2020) list projects only as 绩效目标 forms, or their
        # 项目支出表 lists economic classes, not projects.
        return [_from_performance(e) for e in performance], [], None
    pair_with_performance(rows, performance)
    _complete_cut_units(rows)
    return rows, performance, info


def _complete_cut_units(projects: list[Project]) -> None:
    """A unit cell cut where it wrapped across a page (`某分局(水上` … `治安分局)` on the next
    page, without a tab) is completed from the one unit of the other rows that begins with it
    and closes the bracket it left open."""
    units = {p.unit_name for p in projects if p.unit_name}
    for project in projects:
        unit = project.unit_name
        if not unit or not _open_bracket(unit):
            continue
        whole = [u for u in units if u.startswith(unit) and u != unit and not _open_bracket(u)]
        if len(whole) == 1:
            project.unit_name = whole[0]


def _open_bracket(text: str) -> bool:
    opened = text.count("(") + text.count("（")
    return opened > text.count(")") + text.count("）")


def _listed_performance(tables: list[Table], lines: list[Line] | None) -> list[PerformanceEntry]:
    """The projects of 绩效目标 lists as entries to pair with the 项目支出表's rows."""
    readings = [read_listed_projects(table, lines) for table in tables]
    return [PerformanceEntry(name=p.name, amount=p.amount, code=None, lines=p.lines[0], page=p.page)
            for reading in readings if reading for p in reading.projects]


def _read_project_tables(tables: list[Table], unit_names: set[str], known_names: set[str],
                         lines: list[Line] | None) -> tuple[list[Project], ProjectTableInfo]:
    rows: list[Project] = []
    info = ProjectTableInfo(title="")
    for table in tables:
        reading = read_project_table(table, unit_names, known_names, lines)
        listed = {(p.name, p.amount) for p in reading.projects}
        if not listed or listed <= {(p.name, p.amount) for p in rows}:
            continue  # a second table listing the same projects (财政拨款 and all funds)
        rows.extend(reading.projects)
        if info.total is None and reading.total is not None:
            info.total, info.total_line = reading.total, reading.total_line
        info.title, info.lines = table.title, (table.title_line, table.end_line)
    return rows, info


def read_project_table(table: Table, unit_names: set[str], known_names: set[str] = frozenset(),
                       lines: list[Line] | None = None) -> ListedProjects:
    """The reading of a 项目支出表 that its own 合计 confirms: the typed layout
    (类型 | 项目名称 | 项目单位 | 合计) or the general one found by headers. Where neither
    adds up, the general reading is taken when the table heads a name column, since the
    typed one then reads columns by position."""
    typed = None
    if column_index(table, "类型", "项目类型", "项目类别") is not None or name_column(table) is None:
        typed = ListedProjects(*project_rows(table, unit_names, known_names))
    general = read_listed_projects(table, lines)
    readings = [r for r in (typed, general) if r is not None]
    confirmed = [r for r in readings if r.sums_to_total]
    if confirmed:
        return confirmed[0]
    if general is not None and general.projects:
        return general
    return readings[0] if readings else ListedProjects([], None, None)


def project_rows(table: Table, unit_names: set[str], known_names: set[str] = frozenset()
                 ) -> tuple[list[Project], float | None, int | None]:
    """Rows of a 项目支出表. `known_names` (the 绩效目标表's) only help decide which
    line a wrapped fragment belongs to; the names reported are this table's own."""
    type_i = column_index(table, "类型", "项目类型", "项目类别", default=0)
    name_i = column_index(table, "项目名称", default=1)
    unit_i = column_index(table, "项目单位", "单位名称", default=2)
    total_i = column_index(table, "合计", "金额", "小计", default=3)

    def is_anchor(cells: list[str]) -> bool:
        # A type cell that is neither empty (a 合计 row) nor a known type is a garbled
        # copy of the row above or below: a fragment, not a row.
        kind = clean_name(cells[type_i]) if type_i < len(cells) else ""
        return total_i < len(cells) and is_amount(cells[total_i]) and (not kind or kind in PROJECT_TYPES)

    def is_whole(cells: list[str]) -> float:
        cells = cells + [""] * 4
        unit, kind = clean_name(cells[unit_i]), clean_name(cells[type_i])
        name = _strip_leaked_type(clean_name(cells[name_i]), kind)
        return _unit_score(unit, unit_names) + (name in known_names)

    projects, total, total_line = [], None, None
    rows = rebuild_rows(table.rows, is_anchor, is_whole,
                        anchor_cols=lambda i: i == type_i or i >= total_i)
    for row in rows:
        cells = row.cells + [""] * 4
        kind, name = clean_name(cells[type_i]), clean_name(cells[name_i])
        amount = parse_amount(cells[total_i])
        if kind not in PROJECT_TYPES and (not name or _UNIT_CODE.match(name) or name in {"合计", "总计"}):
            if total is None:
                total, total_line = round(amount * table.factor, 6), row.lines[0]
            continue
        name = _strip_leaked_type(name, kind)
        projects.append(Project(name=name, amount=round(amount * table.factor, 6),
                                type=kind or None, unit_name=clean_name(cells[unit_i]) or None,
                                lines=[row.lines], page=row.page))
    return projects, total, total_line


def _unit_score(unit: str, unit_names: set[str]) -> float:
    if unit in unit_names:
        return 2
    if any(name and name in unit for name in unit_names):
        return -1  # a whole name plus a stray fragment
    return 1 if _INSTITUTION.search(unit) else 0


def _strip_leaked_type(name: str, kind: str) -> str:
    """`12345便民运转类热线办公经费`: a wrapped 其他运转类 cell spilled into the name."""
    for part in ("运转类", "目标类"):
        if kind.endswith(part) and part in name and not name.endswith(part):
            return name.replace(part, "", 1)
    return name


def performance_entries(table: Table) -> list[PerformanceEntry]:
    """Entries of a 项目绩效目标表: a summary grid keyed by project code, or one form per
    project (`项目名称 | X`, `项目本年度金额 | Y`, then an indicator grid), or one form
    whose title names its project (`2026年某某项目绩效目标表`, `年度资金总额 | Y`)."""
    rows = table.header_rows + table.rows
    if any(_form_key(row.cells) == "项目名称" for row in rows):
        return _form_entries(table)
    if any(_form_amount(row.cells) for row in rows):
        name = _TITLE_FRAME.sub("", table.title)
        if name and name != table.title:
            return _form_entries(table, PerformanceEntry(
                name=name, amount=None, code=None, lines=(table.title_line, table.title_line),
                page=rows[0].page if rows else None))
    return _grid_entries(table)


def _grid_entries(table: Table) -> list[PerformanceEntry]:
    levels = _level_columns(table)
    codes = [r.cells[0] for r in table.rows if r.cells and _CODE_CELL.match(r.cells[0])]
    prefixes = Counter(code[:8] for code in codes)
    main_prefix = prefixes.most_common(1)[0][0] if prefixes else ""

    def has_code(cells: list[str]) -> bool:
        return bool(cells) and bool(_CODE_CELL.match(cells[0])) and any(map(is_amount, cells[2:5]))

    def is_anchor(cells: list[str]) -> bool:
        # Project codes of one document share their division and year prefix; a code
        # that does not is a garbled copy of a neighbouring line.
        return has_code(cells) and cells[0].startswith(main_prefix)

    def is_subtotal(cells: list[str]) -> bool:
        header = any(word in c for c in cells for word in ("项目名称", "项目单位", "指标值"))
        return header or (not has_code(cells) and any(map(is_amount, cells[:6])))

    # Fragments split by position, not by resemblance to the 项目支出表's names: a
    # scorer that prefers those names would hide the disagreements checks must report.
    physical = [r for r in table.rows if r.cells and not is_subtotal(r.cells)]
    entries = []
    rows = rebuild_rows(table.rows, is_anchor, is_boundary=is_subtotal,
                        anchor_cols=lambda i: i == 0 or 2 <= i <= 5)
    for row in rows:
        cells = row.cells
        amount_at = next((i for i in range(2, len(cells)) if is_amount(cells[i])), None)
        if amount_at is None:
            continue
        # Indicators are read line by line: each printed line holds its own pairs.
        indicators = [indicator for line in physical if row.lines[0] <= line.lines[0] <= row.lines[1]
                      for indicator in _grid_indicators(line.cells, amount_at, levels)]
        entries.append(PerformanceEntry(
            name=clean_name(cells[1]), amount=round(parse_amount(cells[amount_at]) * table.factor, 6),
            code=cells[0], lines=row.lines, page=row.page, indicators=indicators))
    return entries


def _level_columns(table: Table) -> list[tuple[int, str]]:
    for row in table.header_rows:
        found = [(i, c.replace(" ", "")) for i, c in enumerate(row.cells) if c.replace(" ", "") in INDICATOR_LEVELS]
        if found:
            return found
    return []


def _grid_indicators(cells: list[str], amount_at: int, levels: list[tuple[int, str]]) -> list[Indicator]:
    """Name/value pairs right of the amounts; each takes the level whose header is nearest."""
    start = amount_at + 1
    while start < len(cells) and (is_amount(cells[start]) or not cells[start]):
        start += 1
    items = [(i, c) for i, c in enumerate(cells[start:], start) if c]
    out = []
    for k in range(0, len(items) - 1, 2):
        (i, name), (_, value) = items[k], items[k + 1]
        level = min(levels, key=lambda lv: (abs(lv[0] - i), -lv[0]))[1] if levels else ""
        out.append(Indicator(level=level, name=clean_name(name), value=clean_name(value)))
    return out


# Form cells that hold a project's amount, this year's before the whole project's.
FORM_AMOUNT_KEYS = {"项目本年度金额": 0, "当年预算": 0, "本年预算": 0, "年度资金总额": 1, "资金总额": 2,
                    "项目总金额": 3}
_TITLE_FRAME = re.compile(r"^(?:\d{4}年度?)?|(?:项目支出|支出)?(?:预算)?绩效目标(?:申报)?表$")


def _form_key(cells: list[str]) -> str:
    """A form row's label: its first non-empty cell, without spaces or a colon."""
    first = next((c for c in cells if c.strip()), "")
    return re.sub(r"\s+", "", first).rstrip(":：")


def _form_amount(cells: list[str]) -> tuple[int, float] | None:
    """(priority, amount) of the best amount label a form row holds."""
    found = []
    for i, cell in enumerate(cells):
        key = re.sub(r"\s+|[(（]万?元[)）]", "", cell).rstrip(":：")
        if key in FORM_AMOUNT_KEYS:
            value = parse_amount(next((c for c in cells[i + 1:] if is_amount(c)), ""))
            if value is not None:
                found.append((FORM_AMOUNT_KEYS[key], value))
    return min(found) if found else None


def _form_entries(table: Table, first: PerformanceEntry | None = None) -> list[PerformanceEntry]:
    entries: list[PerformanceEntry] = [first] if first else []
    priority: dict[int, int] = {}  # entry -> priority of the label its amount came from
    level = ""
    in_grid = False  # indicators are the rows under the 一级指标 | 二级指标 | ... header
    for row in table.header_rows + table.rows:
        cells = [c.replace(" ", "") if i == 0 else c for i, c in enumerate(row.cells)]
        if not cells:
            continue
        key = cells[0]
        amount = _form_amount(cells)
        if _form_key(cells) == "项目名称":
            in_grid = False
            entries.append(PerformanceEntry(name=clean_name(_after(cells, cells.index(key) if key else 0)),
                                            amount=None, code=None, lines=row.lines, page=row.page))
        elif not entries:
            continue
        elif key == "单位编码":
            entries[-1].code = _after(cells, 0) or None
            if "资金用途" in cells:
                entries[-1].type = _after(cells, cells.index("资金用途")) or None
        elif amount is not None:
            n = len(entries) - 1
            if amount[0] < priority.get(n, len(FORM_AMOUNT_KEYS)):
                priority[n] = amount[0]
                entries[-1].amount = round(amount[1] * table.factor, 6)
                entries[-1].lines = (entries[-1].lines[0], row.lines[1])
        elif _form_key(cells) == "一级指标":
            in_grid = True
        elif in_grid and len(cells) >= 4 and cells[-1]:
            level = cells[1] or level
            if cells[2]:
                entries[-1].indicators.append(Indicator(level=level, name=cells[2], value=cells[3]))
    return entries


def _after(cells: list[str], i: int) -> str:
    return next((c.strip() for c in cells[i + 1:] if c.strip()), "")


def _from_performance(entry: PerformanceEntry) -> Project:
    return Project(name=entry.name, amount=entry.amount, type=entry.type, code=entry.code,
                   indicators=entry.indicators, lines=[entry.lines], page=entry.page)


def pair_with_performance(projects: list[Project], performance: list[PerformanceEntry]) -> None:
    """Attach each project's 绩效目标 entry (code, indicators, and the name/amount the
    other table prints when they differ)."""
    free = list(performance)
    def unique_amount(p: Project, e: PerformanceEntry) -> bool:
        return _same(p.amount, e.amount) and sum(_same(p.amount, f.amount) for f in free) == 1

    tests = (lambda p, e: p.name == e.name and _same(p.amount, e.amount),
             lambda p, e: _same(p.amount, e.amount) and _similar(p.name, e.name) >= 0.4,
             lambda p, e: p.name == e.name,
             unique_amount)
    paired: set[int] = set()
    for test in tests:
        for n, project in enumerate(projects):
            if n in paired:
                continue
            match = next((e for e in free if test(project, e)), None)
            if match:
                free.remove(match)
                paired.add(n)
                _attach(project, match)


def _attach(project: Project, entry: PerformanceEntry) -> None:
    project.code = entry.code
    project.indicators = entry.indicators
    project.lines.append(entry.lines)
    if entry.name != project.name:
        project.performance_name = entry.name
    if not _same(project.amount, entry.amount):
        project.performance_amount = entry.amount


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) < 0.005


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


LINE_ITEM_CATEGORIES = ("人员类", "公用经费", "特定目标类", "其他运转类")


def canonical_category(cell: str) -> str:
    """`人员` (a cell cut short) -> 人员类; `公用经费预算单位名称` (a header glued on) -> 公用经费."""
    cell = clean_name(cell)
    for category in LINE_ITEM_CATEGORIES:
        if cell.startswith(category) or (len(cell) >= 2 and category.startswith(cell)):
            return category
    return cell


def _line_item_rows(tables: list[Table]):
    """(table, row, cells, name, category index, total index) of every rebuilt row of
    each 部门预算表 (人员类/公用经费/特定目标类 line items, not projects)."""
    for table in tables:
        if not table.title.endswith("部门预算表") or "项目" in table.title:
            continue
        name_i = column_index(table, "项目名称")
        cat_i = column_index(table, "项目分类")
        cat_i = column_index(table, "项目类别") if cat_i is None else cat_i
        total_i = column_index(table, "合计")
        if name_i is None or total_i is None:
            continue
        unit_i = column_index(table, "单位名称", default=1)

        def is_anchor(cells: list[str], total_i: int = total_i) -> bool:
            return total_i < len(cells) and is_amount(cells[total_i]) and any(cells[:total_i])

        def is_whole(cells: list[str], unit_i: int = unit_i) -> float:
            return float(bool(_INSTITUTION.search(clean_name(cells[unit_i]) if unit_i < len(cells) else "")))

        for row in rebuild_rows(table.rows, is_anchor, is_whole):
            cells = row.cells + [""] * (total_i + 1)
            yield table, row, cells, clean_name(cells[name_i]), cat_i, total_i


def extract_line_items(tables: list[Table]) -> list[LineItem]:
    """Rows of a 部门预算表 (人员类/公用经费/特定目标类 line items): not projects."""
    items: list[LineItem] = []
    for table, row, cells, name, cat_i, total_i in _line_item_rows(tables):
        if not name:
            continue
        items.append(LineItem(name=name, amount=round(parse_amount(cells[total_i]) * table.factor, 6),
                              category=canonical_category(cells[cat_i]) if cat_i is not None else "",
                              table=table.title, lines=row.lines, page=row.page))
    return items


def line_item_totals(tables: list[Table]) -> list[tuple[str, float, int]]:
    """(table title, amount in 万元, line) of each 部门预算表's 合计 row: what its line
    items should add up to."""
    return [(table.title, round(parse_amount(cells[total_i]) * table.factor, 6), row.lines[0])
            for table, row, cells, name, _cat_i, total_i in _line_item_rows(tables)
            if not name and "合计" in (c.replace(" ", "") for c in cells[:total_i])]

_PROJECT_COUNT = re.compile(r"项目(?:绩效目标)?共?\s*(\d+)\s*个")


def projects_notes(tables: list[Table], projects: list[Project], lines: list[Line] = ()) -> list[str]:
    """What a document without projects says about them, so that an empty list reads as
    'none listed' rather than 'not read'; a count the narrative gives is quoted."""
    if projects:
        return []
    listing = [t for t in tables if is_project_table(t)]
    if listing:
        note = f"no project list: {listing[0].title} (L{listing[0].title_line}) lists expenditure classes, not projects"
    elif any(is_performance_table(t) for t in tables):
        note = "no project list: the 绩效目标表 names no project with an amount"
    else:
        note = "no project list: the document prints no 项目支出表 and no 绩效目标表"
    counted = next(((line, m) for line in lines for m in [_PROJECT_COUNT.search(line.text)] if m), None)
    count = int(counted[1].group(1)) if counted else 0
    if count:
        note += f"; the text counts {count} project{'s' if count > 1 else ''} (L{counted[0].no}) without naming them"
    return [note]
