"""Stage 4: structured facts from normalized lines and tables.

Metadata and totals are read from the narrative and the tables; the narrative figures
and the table figures are both kept so `checks` can compare them. Projects come from
the 项目支出表 and are merged with their 绩效目标 entries (see `projects.py`).
"""
from __future__ import annotations

import re
from collections import Counter

from budgetsearch.indexer.checks import run_checks
from budgetsearch.indexer.normalize import parse_amount
from budgetsearch.indexer.models import DocumentFacts, Evidence, Line, Region, SourceDocument, Table, Totals
from budgetsearch.indexer.projects import extract_line_items, extract_projects, line_item_totals, projects_notes
from budgetsearch.indexer.tables import UNIT_FACTORS, column_labels, column_roles, find_unit
from budgetsearch.indexer.totals import STANDARD_KINDS, table_kind, tables_totals

NUM = r"(\d[\d,]*(?:\.\d+)?)"
# Prose that gives only "收入预算 51036.22 万元" or "总收入154,991,108.01元": the whole
# income / expenditure, never one of its parts (基本支出预算, 项目支出预算, 拨款支出预算).
_NOT_A_PART = r"(?<![本目款出政金营业他缴助])"
_TOTAL_PATTERNS = {
    "income_total": [rf"收入(?:预算)?总计(?:为)?\s*{NUM}\s*(万元|元)",
                     rf"收入、支出预算总计\s*{NUM}\s*(万元|元)",
                     rf"{_NOT_A_PART}(?:收入预算|总收入|收入总额|预算收入)(?:总额|合计)?(?:为|是)?\s*{NUM}\s*(万元|元)",
                     rf"收入预算(?:共|总)?(?:安排|计)[^\d,，。;；]{{0,12}}?{NUM}\s*(万元|元)"],
    "expenditure_total": [rf"支出(?:预算)?总计(?:为)?\s*{NUM}\s*(万元|元)",
                          rf"收入、支出预算总计\s*{NUM}\s*(万元|元)",
                          rf"{_NOT_A_PART}(?:支出预算|总支出|支出总额|预算支出)(?:总额|合计)?(?:为|是)?\s*{NUM}\s*(万元|元)",
                          rf"(?:预算支出|支出预算)(?:共|总)?(?:安排|计)[^\d,，。;；]{{0,16}}?{NUM}\s*(万元|元)"],
    # not the 一般公共预算 / 财政拨款 part of it, which the check would compare with all funds
    "basic": [rf"(?<!预算)(?<!拨款)基本支出(?:预算数?|年初预算)?(?:为)?\s*{NUM}\s*(万元|元)"],
    "project": [rf"(?<!预算)(?<!拨款)项目支出(?:预算数?|年初预算)?(?:为)?\s*{NUM}\s*(万元|元)"],
    # Jiangsu budgets set part of the expenditure aside: 基本 + 项目 + 预留 = 支出总计.
    "reserve": [rf"(?:单位)?预留机动经费(?:预算数?)?(?:为)?\s*{NUM}\s*(万元|元)"],
    "sangong": [rf"[“\"']?三公[”\"']?经费[”\"']?(?:支出)?(?:预算)?(?:数)?(?:安排)?(?:为|共计|合计)?\s*{NUM}\s*(万元|元)"],
}
# Some narratives give only the three parts of the "三公" figure; their sum is the figure.
_SANGONG_PARTS = [rf"因公出国\(境\)费(?:预算)?支出\s*{NUM}\s*(万元|元)",
                  rf"公务用车购置及运行(?:维护)?费(?:预算)?支出\s*{NUM}\s*(万元|元)",
                  rf"公务接待费(?:预算)?支出\s*{NUM}\s*(万元|元)"]
# Table cells that label a total, best first; `合计` only where no `总计` is printed.
_TABLE_TOTAL_LABELS = {"income_total": ("收入总计", "收入合计"),
                       "expenditure_total": ("支出总计", "支出合计"),
                       "basic": ("基本支出",), "project": ("项目支出",),
                       "reserve": ("单位预留机动经费", "预留机动经费")}
_BUDGET_WORD = re.compile(r"预算|决算")
_PAGE_NUMBER = re.compile(r"[-—\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—\s]*")
_NOT_TITLE_TEXT = re.compile(r"[。；;,，>»|]|当前位置|首页|http|\.pdf|\.html|附件|目录")
_BODY_NAME = re.compile(r"[\u4e00-\u9fff]{2,}(?:局|委员会|委|院|中心|办公室|办公厅|厅|会|所|站|队|馆|部|处|校|园"
                        r"|室|社|团|公司|政府|机关|场|台|宫|组|联|办)(?:\(.*\))?$")
_MENU = re.compile(r"[>»]|当前位置|^首页|网站|导航|登录|无障碍")  # breadcrumbs and site menus
_CJK = re.compile(r"[\u4e00-\u9fff]")  # a title has words: index numbers and dates do not
_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}\s*年\s*(?:度)?")
_COVER_YEAR = re.compile(r"(?:19|20)\d{2}")  # a cover's year set apart in large type
_COVER_DATE = re.compile(r"[二〇零一二三四五六七八九十\d]+年[一二三四五六七八九十\d]+月(?:\d+日)?")
_TITLE_SCAN = 120  # lines searched for a title block when the first lines are a site's menus
_TITLE_MAX = 50
_BUDGET_TITLE = re.compile(r"(?:部门|单位)(?:预算|决算)|(?:预算|决算)(?:信息)?公开")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
# `部门名称：X`, or a form's label cell and the value in a cell after it (`部门名称\t\tX`);
# a form names the unit that filed it (填报单位). Not 主办单位: portal pages' footers name
# the site's host there, not the department.
_LABEL = re.compile(r"^(?:(?:部门名称|单位名称|编制部门|编制单位|预算单位|填报单位|部门|单位)\s*[:：]"
                    r"|(?:部门名称|单位名称|编制部门|编制单位|预算单位|填报单位)\t+)\s*(.*)$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PAREN = re.compile(r"[(（][^()（）]*[)）]")


def extract_facts(source: SourceDocument, lines: list[Line], tables: list[Table]) -> DocumentFacts:
    title = document_title(lines, source.title_hint)
    dept_raw = department_raw(lines, title)
    department = canonical_department(dept_raw) if dept_raw else None
    doc_unit = _apply_document_unit(tables)
    year = document_year(title, lines, tables)
    totals, evidence, narrative = read_totals(lines, tables, year)
    projects, performance, project_table = extract_projects(tables, _unit_names(department, dept_raw), lines)
    codes = [p.code for p in projects if p.code] + [p.code for p in performance if p.code]
    facts = DocumentFacts(
        source=source.path, title=title, department=department, department_raw=dept_raw,
        region=resolve_document_region(title, dept_raw, lines, codes), year=year,
        kind="决算" if "决算" in title else "预算", unit="万元", totals=totals,
        projects=projects, line_items=extract_line_items(tables), evidence=evidence,
        format=source.format)
    if facts.kind == "决算":
        facts.budget_totals = plan_totals(tables, year)
    facts.is_budget = is_budget_document(title, tables, totals, projects)
    if not facts.is_budget:
        facts.kind = None  # a page that only mentions 决算 is not one
    char_counts = Counter("".join(line.text for line in lines))  # counted in C, not a generator
    facts.checks = run_checks(facts, narrative, project_table, performance, char_counts,
                              line_item_totals(tables))
    facts.notes.extend(source.notes)
    facts.notes.extend(projects_notes(tables, projects, lines) if facts.is_budget else [])
    if doc_unit:
        facts.notes.extend(doc_unit)
    return facts


def plan_totals(tables: list[Table], year: int | None) -> Totals | None:
    """A 决算's 年初预算数 columns, read like its actuals; None where it prints none."""
    found = tables_totals(tables, year, qualifier="budget")
    if not found:
        return None
    return Totals(**{name: e.value for name, e in found.items()})


def is_budget_document(title: str, tables: list[Table], totals: Totals, projects: list) -> bool:
    """A disclosure prints standard tables (found by their titles) with figures in them, or
    at least names itself a budget and prints its totals; a portal page, a notice or a list
    of links does neither."""
    standard = [t for t in tables if table_kind(t.title) in STANDARD_KINDS
                and any(parse_amount(c) is not None for r in t.rows for c in r.cells)]
    has_total = totals.income_total is not None or totals.expenditure_total is not None
    if standard and (has_total or projects):
        return True
    if totals.basic is not None and totals.project is not None and _BUDGET_WORD.search(title):
        return True  # a one-page 部门整体预算 form: its split of the spending is its total
    return bool(_BUDGET_TITLE.search(title)) and has_total and totals.expenditure_total is not None


def document_title(lines: list[Line], hint: str | None = None) -> str:
    """The cover lines before the table of contents, joined (`周口市... 2024年度部门预算`).

    Where those lines name no budget (an HTML page opens with its site's menus and
    breadcrumbs), the title block is the first short line that does, with the short lines
    it was split from (`2026 年度` / `福州市某某管理中心` / `单位预算`)."""
    parts: list[str] = []
    for line in lines[:40]:
        text = line.text.strip()
        if not text or _PAGE_NUMBER.fullmatch(text) or _MENU.search(text):
            continue
        if not _CJK.search(text) and not _COVER_YEAR.fullmatch(text):
            continue
        if _ends_cover(text, line) or len(parts) == 3:
            break
        if not any(_restates(text, part) for part in parts):
            parts.append(text)
    title = " ".join(parts)
    if not _BUDGET_WORD.search(title):
        title = _title_block(lines) or (hint if hint and _BUDGET_WORD.search(hint) else "") or title
    return title or (hint or "")


def _ends_cover(text: str, line: Line) -> bool:
    """The cover (the title's lines) ends at the table of contents, the first part, a
    date, a table's unit line or a table row."""
    return (text.replace(" ", "") in {"目录", "目次"} or text.startswith("第一部分")
            or bool(_COVER_DATE.fullmatch(text)) or "\t" in text
            or find_unit([line])[0] is not None)


def _restates(text: str, part: str) -> bool:
    """`text` says what `part` says, its words in another order (a cover printing its
    title twice: `2026 年度某局部门预算公开` / `某局2026年度部门预算公开`)."""
    return Counter(re.sub(r"\s+", "", text)) == Counter(re.sub(r"\s+", "", part))


def _title_block(lines: list[Line]) -> str | None:
    texts = [line.text.strip() for line in lines[:_TITLE_SCAN] if line.text.strip()]
    for k, text in enumerate(texts):
        if not _is_title_line(text) or not _BUDGET_WORD.search(text):
            continue
        block = [text]
        for before in reversed(texts[max(k - 2, 0):k]):
            if (not _is_title_line(before) or _BUDGET_WORD.search(before)
                    or not (_YEAR_ONLY.fullmatch(before) or _BODY_NAME.search(re.sub(r"\s+", "", before)))):
                break
            block.insert(0, before)
        return " ".join(block)
    return None


def _is_title_line(text: str) -> bool:
    return ("\t" not in text and len(text) <= _TITLE_MAX and not _NOT_TITLE_TEXT.search(text)
            and not _PAGE_NUMBER.fullmatch(text))


def department_raw(lines: list[Line], title: str) -> str | None:
    """The department as the document's unit lines name it most often, else as its title
    block names it (a 单位预算 names its unit there)."""
    names: Counter[str] = Counter()
    for i, line in enumerate(lines):
        match = _LABEL.match(line.text.strip())
        if not match:
            continue
        value = match.group(1).strip().split("\t")[0].strip() or _next_text(lines, i)
        value = re.split(r"\s+(?:单位|金额单位)\s*[:：]|(?:金额)?单位\s*[:：]\s*(?:万元|千元|元)", value)[0].strip()
        value = re.sub(r"\s+", "", value)
        if value and not re.fullmatch(r"(?:万元|元|千元)", value) and re.search(r"[\u4e00-\u9fff]{3}", value):
            names[value] += 1
    if names:
        return names.most_common(1)[0][0]
    return title_department(title)


def title_department(title: str) -> str | None:
    """`2026 年度 福州市某某管理中心 单位预算` -> `福州市某某管理中心`: the title without its
    year and its kind of document, if what is left ends like the name of a body."""
    core = re.sub(r"\s+", "", title)
    core = re.sub(r"(?:19|20)\d{2}年(?:度)?", "", core)
    core = re.split(r"(?:部门|单位)?(?:预算|决算)", core)[0]
    core = re.sub(r"^(?:关于)?", "", core)
    return core if _BODY_NAME.search(core) and len(core) <= _TITLE_MAX else None


def _next_text(lines: list[Line], i: int) -> str:
    for line in lines[i + 1:i + 3]:
        if line.text.strip():
            return line.text.strip()
    return ""


def canonical_department(raw: str) -> str:
    """`周口市行政服务中心机关(汇总)` -> `周口市行政服务中心`; the raw form is kept beside it."""
    name = _PAREN.sub("", raw).strip()
    name = re.sub(r"(中心|局|委|院)机关$", r"\1", name)
    return name or raw


def _unit_names(*names: str | None) -> set[str]:
    return {n for name in names if name for n in (name, _PAREN.sub("", name))}


def document_year(title: str, lines: list[Line], tables: list[Table] = ()) -> int | None:
    """From the title, else the first page, else the table titles (tables-only PDFs)."""
    for text in [title] + [line.text for line in lines[:60]] + [t.title for t in tables]:
        match = _YEAR.search(text)
        if match:
            return int(match.group(1))
    return None


def resolve_document_region(title: str, dept_raw: str | None, lines: list[Line],
                            codes: list[str]) -> Region:
    try:
        from budgetsearch.indexer.regions import resolve_region
    except ImportError:  # gazetteer not installed yet
        return Region()
    labels = [m.group(1) for line in lines if (m := _LABEL.match(line.text.strip()))]
    names = [n for n in [dept_raw, title, *labels] if n]
    return resolve_region(names, codes)


def _apply_document_unit(tables: list[Table]) -> list[str]:
    """Tables that print no unit line take the unit the document's other tables declare.

    The inference is reported (a note naming the tables), never silent."""
    declared = Counter(t.unit for t in tables if t.unit)
    if not declared:
        return []
    unit = declared.most_common(1)[0][0]
    notes = []
    for table in tables:
        if table.unit is None:
            table.unit = unit
            notes.append(f"{table.title} (L{table.title_line}) prints no unit; read as {unit}, "
                         f"the unit of the document's other tables")
    return notes


def _narrative_text(prose: list[Line]) -> tuple[str, list[int]]:
    """The prose lines as one string, with the offset each line starts at."""
    starts, offset = [], 0
    for line in prose:
        starts.append(offset)
        offset += len(line.text) + 1
    return "\n".join(line.text for line in prose), starts


def read_totals(lines: list[Line], tables: list[Table], year: int | None = None
                ) -> tuple[Totals, list[Evidence], dict]:
    """Totals from the tables where they print them, else from the narrative.

    Returns the totals, where each was read, and the narrative figures (for checks)."""
    prose = [line for line in lines if "\t" not in line.text]
    text, starts = _narrative_text(prose)
    narrative: dict[str, Evidence] = {}
    decimals: dict[str, int] = {}  # how precisely the prose printed each figure
    for name, patterns in _TOTAL_PATTERNS.items():
        for pattern in patterns:
            found = _narrative_figure(text, starts, prose, name, pattern)
            if found:
                narrative[name] = found
                printed = re.search(pattern, text).group(1)
                decimals[name] = len(printed.split(".")[1]) if "." in printed else 0
                break
    if "sangong" not in narrative:
        parts = [_narrative_figure(text, starts, prose, "sangong", pattern) for pattern in _SANGONG_PARTS]
        if all(parts):
            narrative["sangong"] = Evidence("sangong", round(sum(p.value for p in parts), 6),
                                            parts[0].line, parts[0].page)
    from_tables = table_totals(tables, year)
    for name, label in (("basic", "基本支出"), ("project", "项目支出")):
        if name not in from_tables and name not in narrative:
            found = labelled_cell(tables, name, label)
            if found:
                from_tables[name] = found
    totals, evidence = Totals(), []
    for name in _TOTAL_PATTERNS:
        chosen = from_tables.get(name) or narrative.get(name)
        if chosen:
            if hasattr(totals, name):
                setattr(totals, name, chosen.value)
            evidence.append(chosen)
    return totals, evidence, {"narrative": narrative, "tables": from_tables, "decimals": decimals}


def labelled_cell(tables: list[Table], name: str, label: str) -> Evidence | None:
    """A figure printed as a form's label cell and the amount beside it (`基本支出 | 58118.59`
    in a 部门整体预算绩效目标申报表), in a table whose unit was read; the last resort when no
    standard table and no prose gives it."""
    forms = [t for t in tables if t.unit is not None]
    return _labelled_amount(forms, name, label, reach=1, any_table=True)


def _narrative_figure(text: str, starts: list[int], lines: list[Line], name: str,
                      pattern: str) -> Evidence | None:
    match = re.search(pattern, text)
    if not match:
        return None
    value = float(match.group(1).replace(",", "")) * UNIT_FACTORS[match.group(2)]
    line = _line_at(lines, starts, match.start(1))
    return Evidence(name, round(value, 6), line.no, line.page)


def _line_at(lines: list[Line], starts: list[int], offset: int) -> Line:
    index = 0
    for i, start in enumerate(starts):
        if start > offset:
            break
        index = i
    return lines[index]


def table_totals(tables: list[Table], year: int | None = None) -> dict[str, Evidence]:
    """Totals from the standard tables read by their headers (`totals.tables_totals`), then
    from any cell that labels one (收入总计, 一、基本支出 ...), and the 三公 table."""
    found: dict[str, Evidence] = tables_totals(tables, year)
    for name, labels in _TABLE_TOTAL_LABELS.items():
        for label in labels:
            if name in found:
                break
            hit = _labelled_amount(tables, name, label)
            if hit:
                found[name] = hit
                break
    sangong = next((t for t in tables if "三公" in t.title), None)
    if sangong is not None:
        hit = _sangong_total(sangong)
        if hit:
            found["sangong"] = hit
    return found


def _labelled_amount(tables: list[Table], name: str, label: str, reach: int = 3,
                     any_table: bool = False) -> Evidence | None:
    """The first amount within `reach` cells after a cell that reads `label`. Basic and
    project head columns outside the 收支 tables, so there they count only when asked
    for in `any_table` (a form that prints them as label cells)."""
    summary_only = not any_table and name in ("basic", "project", "reserve")
    for table in tables:
        if summary_only and "收支" not in table.title:
            continue
        for row in table.rows:
            for i, cell in enumerate(row.cells):
                if _ORDINAL.sub("", cell.replace(" ", "")) == label:
                    value = _first_amount(row.cells[i + 1:i + 1 + reach])
                    if value is not None:
                        return Evidence(name, round(value * table.factor, 6), row.lines[0], row.page)
    return None


def _sangong_total(table: Table) -> Evidence | None:
    """The 三公 figure: the first amount, or the 小计 column where the table adds
    会议费 and 培训费 to its 合计 (Jiangsu's template)."""
    column = _sangong_column(table)
    if column is None and any("会议费" in c or "培训费" in c for c in table.header):
        column = next((i for row in table.header_rows for i, c in enumerate(row.cells) if c == "小计"), None)
    actual = sorted(i for i, role in column_roles(table).items() if role.qualifier == "actual")
    if actual:  # a 决算 prints budget and actual side by side: the actual is what was spent
        column = actual[0]
    rows = table.rows
    spent = [r for r in rows if any("决算" in c or "实际" in c for c in r.cells if parse_amount(c) is None)]
    if spent and column is None:  # ... or one row each
        rows = spent
    labelled = [r for r in rows if any("三公" in c for c in r.cells if parse_amount(c) is None)]
    if labelled:  # a table of 行政经费 and “三公”经费 rows: the row that names it
        rows = labelled
    for row in rows:
        if column is not None:
            value = parse_amount(row.cells[column]) if column < len(row.cells) else None
        else:
            value = _first_amount(row.cells)
        if value is not None:
            return Evidence("sangong", round(value * table.factor, 6), row.lines[0], row.page)
    return None


def _sangong_column(table: Table) -> int | None:
    """The column of the 三公 figure where the header has one: headed 三公 and, under that,
    its 合计 / 小计 (not the 小计 of 公务用车 beside it, nor the 合计 that adds 会议费)."""
    for i, labels in sorted(column_labels(table).items()):
        if labels and "三公" in labels[0] and (len(labels) == 1 or labels[-1] in ("合计", "小计")):
            return i
    return None


def _first_amount(cells: list[str]) -> float | None:
    for cell in cells:
        value = parse_amount(cell)
        if value is not None:
            return value
    return None
