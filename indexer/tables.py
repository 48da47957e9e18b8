"""Stage 3: find the tables of a document by their titles and read their rows.

Every format reaches this stage in one shape: one physical line per printed table line,
cells separated by tabs (PDF and HTML loaders produce the same shape). A table runs from
its title to the next title; a title repeated on the next page continues the table.
Rows stay physical here; `rebuild_rows` joins cells that conversion broke over lines.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from budgetsearch.indexer.models import Line, Row, Table
from budgetsearch.indexer.normalize import is_amount

_TITLE_WORDS = re.compile(r"预算|决算|收支|收入|支出|经费|绩效|采购|资产")
# `附表1：部门收支总表`: the annex number is not part of the title (a bare `附表` line is
# a cover, and `附件` lines name files)
_ANNEX_NUMBER = re.compile(r"^附表\s*[\d一二三四五六七八九十]+(?:-\d+)?\s*[:：.、]?\s*(?=\S)")
_TITLE_SUFFIX = re.compile(r"[(（][^()（）]{0,12}[)）]\s*$")
_NOT_TITLE = re.compile(r"^(?:附件|附表|[一二三四五六七八九十]+、|\d+[.、]|预算\d+表$)|[。；;,，]")
_UNIT = re.compile(r"(?:金额)?单位[:：]?(万元|千元|元)(?![\u4e00-\u9fff])")
_UNIT_IN_HEADER = re.compile(r"[(（](万元|元)[)）]")
_HEADER_SCAN = 12  # lines after a title searched for its unit line
UNIT_FACTORS = {"万元": 1.0, "千元": 0.1, "元": 0.0001}


def table_title(text: str) -> str | None:
    """The table title a line announces, or None. `2024年项目支出表 (2024年度)` -> title."""
    text = _ANNEX_NUMBER.sub("", text.strip())
    if "\t" in text or not 3 <= len(text) <= 48 or _NOT_TITLE.search(text):
        return None
    core = _TITLE_SUFFIX.sub("", text).strip()
    if not core.endswith("表") or not _TITLE_WORDS.search(core):
        return None
    return core.replace(" ", "")


def find_tables(lines: list[Line]) -> list[Table]:
    starts = []
    for i, line in enumerate(lines):
        title = table_title(line.text)
        if title is None and i + 1 < len(lines) and len(lines[i + 1].text.strip()) <= 12:
            title = table_title(line.text.strip() + lines[i + 1].text.strip())  # wrapped title
            if title and starts and starts[-1][0] == i - 1:
                continue
        if title and not (starts and starts[-1][0] == i - 1 and starts[-1][1].startswith(title[:6])):
            starts.append((i, title))
    tables: list[Table] = []
    for n, (start, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        table = _read_table(title, lines[start:end])
        if tables and tables[-1].title == title and tables[-1].end_line < table.title_line:
            _continue_table(tables[-1], table)
        elif table.rows or table.header:
            tables.append(table)
    return tables


def _read_table(title: str, block: list[Line]) -> Table:
    unit, unit_line = find_unit(block[1:_HEADER_SCAN + 1])
    header: list[str] = []
    header_lines: list[Line] = []
    rows: list[Row] = []
    for line in block[1:]:
        cells = line.text.split("\t") if "\t" in line.text else spaced_total_row(line.text)
        if cells is None:
            if not line.text.strip():
                rows.append(Row(cells=[], lines=(line.no, line.no), page=line.page))
            continue
        if is_column_number_row(cells):
            if not any(r.cells for r in rows):
                header_lines.append(line)  # kept with the header, never read as data
            continue
        if not rows or not any(r.cells for r in rows):
            if not any(is_amount(c) for c in cells) or is_year_header(cells):
                header_lines.append(line)
                header.extend(c for c in cells if c)
                continue
        rows.append(Row(cells=cells, lines=(line.no, line.no), page=line.page))
    if unit is None:
        unit = _unit_from_header(header)
    rows = _trim_blank_rows(rows)
    table = Table(title=title, title_line=block[0].no, unit=unit, unit_line=unit_line,
                  header=header, rows=rows, end_line=block[-1].no,
                  header_rows=[Row(cells=line.text.split("\t"), lines=(line.no, line.no), page=line.page)
                               for line in header_lines])
    _drop_repeated_headers(table)
    return table


def find_unit(block: list[Line]) -> tuple[str | None, int | None]:
    """The unit a table's unit line declares (`单位：万元`, `金额单位:元`).

    The unit line can be broken over lines (`单位` / `:万` / `元`), so a few lines are
    joined before matching."""
    texts = [(line.no, re.sub(r"\s+", "", line.text)) for line in block]
    for i, (no, text) in enumerate(texts):
        match = _UNIT.search(text)
        if not match:
            joined = "".join(t for _, t in texts[i:i + 3])
            match = _UNIT.match(joined, max(len(text) - 4, 0)) or None
            match = match if match and match.start() < len(text) else None
        if match:
            return match.group(1), no
    return None, None


def _unit_from_header(header: list[str]) -> str | None:
    units = {m.group(1) for cell in header for m in _UNIT_IN_HEADER.finditer(cell)}
    return units.pop() if len(units) == 1 else None


def _trim_blank_rows(rows: list[Row]) -> list[Row]:
    while rows and not rows[-1].cells:
        rows.pop()
    while rows and not rows[0].cells:
        rows.pop(0)
    return rows


def _header_key(cells: list[str]) -> str:
    return "".join(cells).replace(" ", "")


def _drop_repeated_headers(table: Table) -> None:
    """A table broken across pages repeats its header rows: they are not data."""
    header_rows = [row.cells for row in table.header_rows]
    keys = {_header_key(cells) for cells in header_rows if any(cells)}
    first_cells = {tuple(c for c in cells if c)[:2] for cells in header_rows if any(cells)}
    kept = []
    for row in table.rows:
        non_empty = tuple(c for c in row.cells if c)
        repeated = _header_key(row.cells) in keys or (
            len(non_empty) >= 2 and non_empty[:2] in first_cells and not any(map(is_amount, non_empty)))
        kept.append(Row(cells=[], lines=row.lines, page=row.page) if repeated else row)
    table.rows = kept


def _continue_table(first: Table, more: Table) -> None:
    """Join a table continued under a repeated title; its repeated header is dropped."""
    seen = {_header_key(row.cells) for row in first.header_rows}
    own = [row for row in more.header_rows if _header_key(row.cells) not in seen]
    more.rows = own + more.rows  # header-like lines that are not a repeat are content
    more.header_rows = first.header_rows
    _drop_repeated_headers(more)
    first.rows.append(Row(cells=[], lines=(more.title_line, more.title_line)))
    first.rows.extend(more.rows)
    first.end_line = more.end_line
    if first.unit is None:
        first.unit, first.unit_line = more.unit, more.unit_line


def column_index(table: Table, *names: str, default: int | None = None) -> int | None:
    """Index of the first header cell equal to one of `names` in any header row."""
    for row in table.header_rows:
        for i, cell in enumerate(row.cells):
            if cell.replace(" ", "") in names:
                return i
    return default


def rebuild_rows(rows: list[Row], is_anchor: Callable[[list[str]], bool],
                 is_whole: Callable[[list[str]], float] | None = None,
                 is_boundary: Callable[[list[str]], bool] | None = None,
                 anchor_cols: Callable[[int], bool] = lambda i: False) -> list[Row]:
    """Join physical lines into logical rows around anchor lines (the ones with amounts).

    A cell broken over lines leaves fragment lines above or below its anchor, sometimes
    across a page break, and conversion sometimes adds ghost lines (a garbled copy of a
    row). Fragments between two anchors go up, down, or (ghosts) nowhere, whichever
    `is_whole` (how complete the merged cells look) scores highest. Without a scorer they
    split half to each side, since converters centre a row's amounts among its wrapped
    lines. Lines `is_boundary` accepts (subtotals) are dropped. Columns `anchor_cols`
    accepts (amounts, row type) are taken from the anchor line alone."""
    lines = [row for row in rows if row.cells and any(row.cells)
             and not (is_boundary and is_boundary(row.cells))]
    anchors = [i for i, row in enumerate(lines) if is_anchor(row.cells)]
    if not anchors:
        return []
    owner: list[int | None] = [0] * len(lines)
    for i in range(anchors[-1] + 1, len(lines)):
        owner[i] = len(anchors) - 1
    for a in range(1, len(anchors)):
        prev, nxt = anchors[a - 1], anchors[a]
        up_end, down_start = _best_split(lines, owner, anchors, a, is_whole, anchor_cols)
        for i in range(prev + 1, nxt):
            owner[i] = a - 1 if i < up_end else (a if i >= down_start else None)
        owner[nxt] = a
    return [_merge([lines[i] for i in range(len(lines)) if owner[i] == a], lines[idx], anchor_cols)
            for a, idx in enumerate(anchors)]


def _best_split(lines: list[Row], owner: list[int | None], anchors: list[int], a: int,
                is_whole, anchor_cols) -> tuple[int, int]:
    """(end of the lines that go up, start of the lines that go down) between anchors."""
    prev, nxt = anchors[a - 1], anchors[a]
    lo, hi = prev + 1, nxt
    if lo == hi:
        return lo, hi
    if is_whole is None:
        middle = lo + (hi - lo + 1) // 2  # an odd fragment out goes up
        return middle, middle
    up_base = [i for i in range(lo) if owner[i] == a - 1]  # already decided
    down_tail = list(range(nxt, len(lines))) if a + 1 == len(anchors) else [nxt]

    def score(up_end: int, down_start: int) -> float:
        up = _merge([lines[i] for i in up_base + list(range(lo, up_end))], lines[prev], anchor_cols)
        down = _merge([lines[i] for i in list(range(down_start, hi)) + down_tail], lines[nxt], anchor_cols)
        return is_whole(up.cells) + is_whole(down.cells) - 0.1 * (down_start - up_end)

    options = [(u, d) for u in range(hi, lo - 1, -1) for d in range(hi, u - 1, -1)]
    return max(options, key=lambda o: score(*o))  # first best: fragments go up on ties


def _merge(parts: list[Row], anchor: Row | None = None,
           anchor_cols: Callable[[int], bool] = lambda i: False) -> Row:
    width = max(len(p.cells) for p in parts)
    cells = []
    for i in range(width):
        if anchor is not None and anchor_cols(i):
            cells.append(_anchor_cell(anchor, parts, i))
            continue
        pieces = [p.cells[i] for p in parts if i < len(p.cells) and p.cells[i]]
        cells.append(join_fragments(pieces))
    lines = (min(p.lines[0] for p in parts), max(p.lines[1] for p in parts))
    return Row(cells=cells, lines=lines, page=anchor.page if anchor else parts[0].page)


def _anchor_cell(anchor: Row, parts: list[Row], i: int) -> str:
    """The anchor's own cell; a zero there yields to a figure a broken line holds."""
    own = anchor.cells[i] if i < len(anchor.cells) else ""
    if own.replace("0", "").replace(".", "") == "":
        for part in parts:
            cell = part.cells[i] if i < len(part.cells) else ""
            if part is not anchor and cell.replace("0", "").replace(".", "").isdigit():
                return cell
    return own


def join_fragments(pieces: list[str]) -> str:
    """Join pieces of one cell: no space between CJK, one space between Latin words."""
    out = ""
    for piece in pieces:
        if out and out[-1].isascii() and out[-1].isalnum() and piece[:1].isascii() and piece[:1].isalpha():
            out += " "
        out += piece
    return out


# --- what the header says each column holds --------------------------------------------

_COLUMN_NUMBERS = re.compile(r"^(?:栏次|行次|栏号|序号)$")
_ORDINAL_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[(][一二三四五六七八九十\d]+[)]|\d+[、.](?!\d))")
_YEAR_CELL = re.compile(r"((?:19|20)\d{2})\s*年|^((?:19|20)\d{2})$")
_BARE_YEAR = re.compile(r"(?:19|20)\d{2}")
# Header words, checked on the cell with spaces removed; the first that matches gives the kind.
_KIND_WORDS = [
    ("line_no", re.compile(r"^(?:栏次|行次|栏号|序号)$")),
    ("basic", re.compile(r"^基本支出")),
    ("project", re.compile(r"^项目支出")),
    ("total", re.compile(r"^(?:合计|总计|小计|金额|本年支出合计|本年收入合计|支出合计|收入合计)$"
                         r"|预算数$|决算数$|^(?:19|20)\d{2}年(?:度)?(?:预算|决算)?数?$|执行数$")),
]
_QUALIFIER_WORDS = [
    ("budget", re.compile(r"年初预算")),
    ("adjusted", re.compile(r"调整(?:后)?预算")),
    ("actual", re.compile(r"决算数|决算金额|^(?!上年).*执行数|实际支出")),
    ("previous", re.compile(r"^上年(?:预算|执行|决算)?数$|^上年度?预算")),  # not 上年结转结余
    ("current", re.compile(r"^本年(?:度)?预算数?$")),
]


@dataclass(frozen=True)
class ColumnRole:
    """What a column holds, from its header: `kind` total / basic / project / line_no (or
    "" for a column whose header names something else), `qualifier` budget (年初预算数) /
    adjusted (调整预算数) / actual (决算数) / a year ("2026"), or "" for none."""

    kind: str = ""
    qualifier: str = ""


def is_column_number_row(cells: list[str]) -> bool:
    """The row under a header that numbers its columns: `栏次 1 2 3 …` or just `1 2 3 …`."""
    values = [c.replace(" ", "") for c in cells if c.strip()]
    if values and _COLUMN_NUMBERS.match(values[0]):
        values = values[1:]
    values = [v for v in values if not _COLUMN_NUMBERS.match(v)]
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 2


def is_year_header(cells: list[str]) -> bool:
    """A header row whose only figures are years side by side (`项目 2025 2026`): not data.
    Two different years are asked for, since one amount can look like a year (`合计 2050`)."""
    numbers = [c.strip() for c in cells if is_amount(c)]
    return len(set(numbers)) >= 2 and all(_BARE_YEAR.fullmatch(n) for n in numbers) and any(
        c.strip() and not is_amount(c) for c in cells)


def column_labels(table: Table) -> dict[int, list[str]]:
    """For each column, its header cells from top to bottom. A heading that spans several
    columns is printed once (the rest of its span left empty): a column with sub-headings
    but nothing of its own above inherits the heading to its left that also has sub-headings."""
    rows = [[c.replace(" ", "") for c in r.cells] for r in table.header_rows
            if not is_column_number_row(r.cells)]
    width = max((len(r) for r in rows), default=0)
    labels: dict[int, list[str]] = {i: [] for i in range(width)}
    for r, cells in enumerate(rows):
        below = rows[r + 1:]
        for i in range(width):
            cell = cells[i] if i < len(cells) else ""
            if not cell and any(i < len(b) and b[i] for b in below):
                k = next((k for k in range(i - 1, -1, -1) if k < len(cells) and cells[k]), None)
                if k is not None and any(k < len(b) and b[k] for b in below):
                    cell = cells[k]
            if cell:
                labels[i].append(cell)
    return labels


def column_roles(table: Table) -> dict[int, ColumnRole]:
    """The role of each column whose header names one: the kind from the lowest heading that
    names one, the qualifier (决算数, 年初预算数, a year) from any heading above it."""
    roles: dict[int, ColumnRole] = {}
    for i, labels in column_labels(table).items():
        kind = next((k for cell in reversed(labels) for k, p in _KIND_WORDS if p.search(cell)), "")
        qualifier = next((q for cell in labels for q, p in _QUALIFIER_WORDS if p.search(cell)), "")
        if not qualifier:
            year = next((m.group(1) or m.group(2) for cell in labels if (m := _YEAR_CELL.search(cell))), "")
            qualifier = year
        if kind or qualifier:
            roles[i] = ColumnRole(kind, qualifier)
    return roles


def row_label(cell: str) -> str:
    """A row's label as the reading compares it: no spaces, ordinal, colon or note mark
    (`一、收入总计` -> `收入总计`, `合 计` -> `合计`)."""
    text = re.sub(r"\s+", "", cell)
    text = _ORDINAL_LABEL.sub("", text)
    return text.rstrip(":：*")


# Labels of the rows that carry a table's totals (read by `totals.py`).
INCOME_ROWS = ("收入总计", "收入合计", "本年收入合计", "收入总额", "本年收入")
EXPENDITURE_ROWS = ("支出总计", "支出合计", "本年支出合计", "支出总额", "本年支出")
PLAIN_TOTAL_ROWS = ("总计", "合计")
_TOTAL_LABELS = set(INCOME_ROWS + EXPENDITURE_ROWS + PLAIN_TOTAL_ROWS + ("基本支出", "项目支出"))
_SPACED_TOKEN = re.compile(r"\S+")


def spaced_total_row(text: str) -> list[str] | None:
    """A total row of a table printed without ruling lines, its cells separated by spaces
    (`收入总计 1,056.07 支出总计 1,056.07`), as cells; None for any other line. Only rows
    that start with a total label are read so: other spaced lines stay text."""
    tokens = _SPACED_TOKEN.findall(text)
    if len(tokens) < 2 or row_label(tokens[0]) not in _TOTAL_LABELS:
        return None
    cells: list[str] = []
    for token in tokens:
        if is_amount(token) or not cells or is_amount(cells[-1]):
            cells.append(token)
        else:
            cells[-1] += token  # a label broken by spaces
    if not any(is_amount(c) for c in cells) or any(not is_amount(c) and row_label(c) not in _TOTAL_LABELS
                                                  for c in cells):
        return None
    return cells
