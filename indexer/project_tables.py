"""Project lists read by their headers: any 项目支出表 whose name column is headed
项目名称, 支出项目类别 or 单位（项目）名称, whatever else it prints.

Cities print the list in several shapes: flat rows; rows under function-class subtotal
rows (`201 13 02 一般行政管理事务` with no project name); or project rows grouped under
their unit's row (`广州市某某中心 1361.61` then its projects). Subtotal and unit rows are
not projects: a unit row is recognised by the document's own arithmetic (its amount is
the sum of the rows under it), never by its wording alone. The 合计 row is kept as the
check the projects must add up to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from budgetsearch.indexer.models import Line, Project, Row, Table
from budgetsearch.indexer.normalize import is_amount, parse_amount
from budgetsearch.indexer.tables import rebuild_rows

_CJK_SPACE = re.compile(r"\s+(?=[\u4e00-\u9fff(（])|(?<=[\u4e00-\u9fff)）])\s+")
_PARENS = str.maketrans("（）：", "():")
_NAME_HEADER = re.compile(r"^(?:项目名称|支出项目类别|单位\(项目\)名称|项目\(单位\)名称|二级项目名称)")
# Amount headers, whichever comes first right of the name column is the row's total.
_AMOUNT_HEADER = re.compile(r"^(?:总计|合计|本年预算数?|金额|预算数|预算金额|项目金额|资金总额|小计|本年拨款)"
                            r"(?:\(.*\))?$")
_UNIT_HEADERS = ("单位名称", "项目单位", "资金使用单位", "预算单位", "单位")
_TYPE_HEADERS = ("类型", "项目类型", "项目类别", "项目分类")
_TOTAL_LABELS = ("合计", "总计", "项目支出合计", "本年合计")
_SKIP_NAMES = re.compile(r"^(?:小计|其中[:：]?|合计|总计)$")
# An untabbed line this short inside a project table is a piece of a wrapped name.
NAME_PIECE_MAX = 12
# Amounts of one document agree to the cent; rounding of a 元 table can add half a cent a row.
SUM_TOLERANCE = 0.005


def clean_name(name: str) -> str:
    """A cell's text as a name: no spaces between CJK characters (PDF conversion adds them)."""
    name = _CJK_SPACE.sub("", name.strip())
    name = re.sub(r"(?<=\d[-—－])\s+(?=\d)", "", name)  # `2025- 2026`: a year range wrapped
    return re.sub(r"\s{2,}", " ", name)


def _header(cell: str) -> str:
    return re.sub(r"\s+", "", cell).translate(_PARENS).rstrip(":")


@dataclass
class ListedProjects:
    """One reading of a project list: the projects and the 合计 printed under them."""

    projects: list[Project]
    total: float | None
    total_line: int | None

    @property
    def sums_to_total(self) -> bool:
        amounts = [p.amount for p in self.projects if p.amount is not None]
        return (self.total is not None and bool(amounts)
                and abs(sum(amounts) - self.total) <= SUM_TOLERANCE * max(len(amounts), 1) + 1e-9)


def name_column(table: Table) -> int | None:
    """The column whose header names the project (项目名称 / 支出项目类别 / 单位（项目）名称)."""
    for row in table.header_rows:
        for i, cell in enumerate(row.cells):
            if _NAME_HEADER.match(_header(cell)):
                return i
    return None


def amount_column(table: Table, name_i: int) -> int | None:
    """The leftmost amount header right of the name column (总计 before 财政拨款's 合计)."""
    found = [i for row in table.header_rows for i, cell in enumerate(row.cells)
             if i > name_i and _AMOUNT_HEADER.match(_header(cell))]
    return min(found) if found else None


def read_listed_projects(table: Table, lines: list[Line] | None = None) -> ListedProjects | None:
    """The projects of a table with a recognised name column, or None when it has none.
    With the document's `lines`, name pieces printed on lines of their own (a name set
    vertically, a few characters a line) are put back into the name column."""
    name_i = name_column(table)
    if name_i is None:
        return None
    amount_i = amount_column(table, name_i)
    if amount_i is None:
        return None
    unit_i = _column(table, _UNIT_HEADERS, name_i)
    type_i = _column(table, _TYPE_HEADERS, name_i)
    rows = _until_other_header(_with_name_pieces(table, lines or [], name_i, amount_i, unit_i is not None),
                               amount_i)

    def is_anchor(cells: list[str]) -> bool:
        return amount_i < len(cells) and is_amount(cells[amount_i])

    def is_total(cells: list[str]) -> bool:
        label = clean_name("".join(cells[:name_i + 1])).rstrip(":：")
        return label in _TOTAL_LABELS or any(clean_name(c).rstrip(":：") in _TOTAL_LABELS
                                             for c in cells[:name_i + 1])

    total = total_line = None
    for row in rows:
        if row.cells and is_total(row.cells) and is_anchor(row.cells):
            total, total_line = round(parse_amount(row.cells[amount_i]) * table.factor, 6), row.lines[0]
            break
    entries: list[tuple[str, float, Row]] = []
    for row in rebuild_rows(rows, is_anchor, is_boundary=is_total, anchor_cols=lambda i: i >= amount_i):
        name = clean_name(row.cells[name_i])
        if not name or _SKIP_NAMES.match(name):
            continue  # a classification subtotal: the name column is empty
        entries.append((name, round(parse_amount(row.cells[amount_i]) * table.factor, 6), row))
    groups = unit_groups([amount for _, amount, _ in entries], total)
    projects = []
    unit = None
    for n, (name, amount, row) in enumerate(entries):
        if n in groups:
            unit = name
            continue
        own_unit = _cell(row, unit_i)
        projects.append(Project(name=name, amount=amount, type=_cell(row, type_i) or None,
                                unit_name=own_unit or (unit if groups else None),
                                lines=[row.lines], page=row.page))
    return ListedProjects(projects, total, total_line)


def _column(table: Table, headers: tuple[str, ...], name_i: int) -> int | None:
    return next((i for row in table.header_rows for i, cell in enumerate(row.cells)
                 if i != name_i and _header(cell) in headers), None)


def _cell(row: Row, i: int | None) -> str:
    return clean_name(row.cells[i]) if i is not None and i < len(row.cells) else ""


def _with_name_pieces(table: Table, lines: list[Line], name_i: int, amount_i: int,
                      other_text_column: bool) -> list[Row]:
    """The table's rows plus the untabbed short lines between its amount rows, as
    name-column cells.

    The table reader keeps only lines with cells; a name cell that wraps alone leaves
    its pieces on lines without a tab. Where another text column (a unit) could own a
    piece, or a piece lies outside the rows with amounts, it is not guessed at."""
    amount_rows = [row.lines for row in table.rows
                   if amount_i < len(row.cells) and is_amount(row.cells[amount_i])]
    if not lines or not amount_rows or other_text_column:
        return table.rows
    first, last = amount_rows[0][0], amount_rows[-1][1]
    taken = {no for row in table.rows for no in range(row.lines[0], row.lines[1] + 1)}
    pieces = [Row(cells=[""] * name_i + [line.text.strip()], lines=(line.no, line.no), page=line.page)
              for line in lines if first < line.no < last and line.no not in taken
              and _is_name_piece(line.text)]
    if not pieces:
        return table.rows
    return sorted(table.rows + pieces, key=lambda row: row.lines[0])


def _is_name_piece(text: str) -> bool:
    text = text.strip()
    # `12345` (a hotline) is a piece, `31` (a page number) is not.
    wordlike = bool(re.search(r"[\u4e00-\u9fff]", text)) or len(text) >= 4
    return (0 < len(text) <= NAME_PIECE_MAX and "\t" not in text and wordlike
            and not re.search(r"[:：。；]|^第.*页$|表$|^-?\s*\d{1,3}\s*-?$|^[一二三四五六七八九十]+、", text))


def _until_other_header(rows: list[Row], amount_i: int) -> list[Row]:
    """Rows up to a line whose amount cell is text (`预算数（单位：万元）`): the header of
    another table the document printed without a title the table finder knows."""
    for n, row in enumerate(rows):
        cell = row.cells[amount_i].strip() if amount_i < len(row.cells) else ""
        if cell and not is_amount(cell) and re.search(r"[\u4e00-\u9fff]", cell) and any(
                re.search(r"[\u4e00-\u9fff]", c) for c in row.cells[:amount_i]):
            return rows[:n]
    return rows


def unit_groups(amounts: list[float], total: float | None) -> set[int]:
    """Indexes of the rows that head a group (a unit's row, the sum of the rows under it
    until the next group row). Only a reading where every row is either a group row or
    inside one, and the group rows add up to the 合计 where one is printed, is taken:
    otherwise the list is flat."""
    heads: set[int] = set()
    i = 0
    while i < len(amounts):
        end = _group_end(amounts, i)
        if end is None:
            return set()
        heads.add(i)
        i = end
    if len(heads) == len(amounts) or not heads:
        return set()
    if total is not None and abs(sum(amounts[h] for h in heads) - total) > SUM_TOLERANCE * len(heads) + 1e-9:
        return set()
    return heads


def _group_end(amounts: list[float], start: int) -> int | None:
    """End (exclusive) of the group headed by row `start`: the first run of following
    rows that adds up to its amount."""
    running = 0.0
    for j in range(start + 1, len(amounts)):
        running += amounts[j]
        terms = j - start
        if abs(running - amounts[start]) <= SUM_TOLERANCE * terms + 1e-9:
            # Zero rows right after the run still belong to it: a zero row heads nothing.
            while j + 1 < len(amounts) and amounts[j + 1] == 0:
                j += 1
            return j + 1
        if running > amounts[start] + SUM_TOLERANCE * terms:
            return None
    return None

