"""Template contexts of each page, built from plain data (search results, facts, lines).

Routes in web/app.py fetch; these functions decide what is shown. No Flask, no disk.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from budgetsearch.web.views import (
    EXAMPLE_QUERIES, FACET_PARAMS, PER_PAGE_CHOICES, RESULT_TYPES, SORTS, Params,
    active_filters, facet_groups, first, format_amount, int_param, mark_segments,
    note_in_chinese, pagination, parse_line_range, query_string, query_terms, region_label, snippet_html,
    source_url,
)

Segmenter = Callable[[str], Iterable[str]] | None


@dataclass
class HitRow:
    """One result row, every value ready to print (text is escaped by the template)."""

    name_html: Any  # Markup: the snippet's <mark> is the only markup let through
    name: str
    amount: float | None
    amount_text: str
    department: str
    region: str
    year: Any
    kind: str
    project_type: str
    url: str | None
    line: Any
    page: Any
    path: str
    doc_id: str
    snippet_html: Any
    matched_in: str = ""  # 命中位置 of a project: 名称 or 仅描述
    figure: Mapping[str, Any] | None = None  # the document total the query names (三公经费…)
    figure_text: str = ""


def hit_row(hit: Mapping[str, Any], q: str, prefix: str) -> HitRow:
    source = hit.get("source") or {}
    name = str(hit.get("name") or "")
    snippet = hit.get("snippet")
    # A project's snippet is its highlighted name; other hits show the snippet under the name.
    name_html = snippet_html(snippet) if hit.get("type") == "project" and snippet else \
        snippet_html(name)
    return HitRow(
        name_html=name_html, name=name, amount=hit.get("amount"),
        amount_text=format_amount(hit.get("amount")),
        department=str(hit.get("department") or ""), region=region_label(hit.get("region")),
        year=hit.get("year") or "", kind=str(hit.get("kind") or ""),
        project_type=str(hit.get("project_type") or ""), url=source_url(hit, q, prefix),
        line=source.get("line"), page=source.get("page"), path=str(source.get("path") or ""),
        doc_id=str(hit.get("doc_id") or ""), snippet_html=snippet_html(snippet),
        matched_in=str(hit.get("matched_in") or ""),
        figure=hit.get("figure"),
        figure_text=format_amount((hit.get("figure") or {}).get("value")),
    )


def search_context(params: Params, result: Mapping[str, Any], parents: Mapping[str, str],
                   prefix: str = "") -> dict[str, Any]:
    """Everything search.html prints for one result page."""
    q = first(params, "q")
    result_type = first(params, "type", "project")
    page = int_param(params, "page", 1)
    per_page = int_param(params, "per_page", PER_PAGE_CHOICES[0])
    total = int(result.get("total") or 0)
    counts = result.get("counts") or {}
    return {
        "q": q, "params": params, "type": result_type, "total": total, "page": page,
        "per_page": per_page,
        "first_index": (page - 1) * per_page + 1 if total else 0,
        "last_index": min(total, page * per_page),
        "amount_sum": result.get("amount_sum"),
        "amount_sum_text": format_amount(result.get("amount_sum")),
        "amount_sum_mentions": result.get("amount_sum_mentions"),
        "amount_sum_mentions_text": format_amount(result.get("amount_sum_mentions")),
        "notes": [note_in_chinese(n) for n in result.get("notes") or []],
        # Where a query with no project hits does match: one link per other tab.
        "elsewhere": [{"label": label, "count": counts[t],
                       "query": query_string(params, type=t, page=None)}
                      for t, label in RESULT_TYPES if t != "project" and counts.get(t)],
        "suggestions": [(text, query_string(params, q=text, page=None))
                        for text in result.get("suggestions") or []],
        "mention_count": (result.get("facets") or {}).get("match", {}).get("仅描述", 0),
        "rows": [hit_row(h, q, prefix) for h in result.get("hits") or []],
        "tabs": [{"type": t, "label": label, "count": counts.get(t),
                  "query": query_string(params, type=t, page=None), "current": t == result_type}
                 for t, label in RESULT_TYPES],
        "facets": facet_groups(params, result.get("facets") or {}, parents),
        "chips": active_filters(params),
        "clear_query": query_string({"q": [q]} if q else {}, type=result_type),
        "pages": pagination(params, total, page, per_page),
        "last_page": max(1, -(-total // per_page)),
        "last_page_query": query_string(params, page=max(1, -(-total // per_page))),
        "sorts": SORTS, "sort": first(params, "sort", "relevance"),
        "per_page_choices": PER_PAGE_CHOICES,
        "min_amount": first(params, "min_amount"), "max_amount": first(params, "max_amount"),
        "hidden": [(k, v) for k in FACET_PARAMS for v in params.get(k, [])],
        "query": query_string(params),
        "export_query": query_string(params, page=None, per_page=None),
        "examples": [(e, query_string({"q": [e]})) for e in EXAMPLE_QUERIES],
    }


TOTAL_LABELS = {
    "income_total": "收入总计", "expenditure_total": "支出总计", "basic": "基本支出",
    "project": "项目支出", "sangong": "“三公”经费",
}


@dataclass
class ViewerLine:
    no: int
    page: int | None
    pieces: list[tuple[str, bool]]
    highlighted: bool
    page_break: bool  # the first line of a new PDF page
    secondary: bool = False  # the same fact printed again (a project's 绩效目标表 entry)


# The viewer shows a long document in parts of this many lines: one page of HTML for a
# 4 MB document is 10 MB and takes the server's memory and the browser's patience.
VIEWER_PART_LINES = 2000

# The 勾稽 rules by their identifiers in the facts (indexer/checks.py), as the page names them.
CHECK_NAMES = {
    "income_total_equals_expenditure_total": "收入总计 = 支出总计",
    "basic_plus_project_equals_expenditure_total": "基本支出 + 项目支出 = 支出合计",
    "projects_sum_to_project_total": "各项目金额之和 = 项目支出",
    "narrative_matches_tables": "说明中的数字与表格一致",
    "projects_match_performance_table": "项目支出表与绩效目标表一致",
    "line_items_sum_to_table_total": "明细之和 = 表合计",
}


@dataclass
class FactRow:
    label: str
    value: str
    line: int | None = None
    page: int | None = None
    note: str = ""
    failed: bool = False
    extra: list[str] = field(default_factory=list)


def viewer_lines(lines: Sequence[Any], terms: Sequence[str],
                 highlight: tuple[int, int] | None,
                 secondary: Sequence[tuple[int, int]] = ()) -> list[ViewerLine]:
    rows: list[ViewerLine] = []
    previous_page: int | None = None
    for line in lines:
        page = getattr(line, "page", None)
        rows.append(ViewerLine(
            no=line.no, page=page, pieces=mark_segments(line.text, terms),
            highlighted=bool(highlight and highlight[0] <= line.no <= highlight[1]),
            page_break=page is not None and page != previous_page,
            secondary=any(a <= line.no <= b for a, b in secondary),
        ))
        previous_page = page
    return rows


def project_ranges(doc: Mapping[str, Any], span: tuple[int, int] | None
                   ) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """The rows to mark for a link's line range: a project hit links to the span from its
    row in the 项目支出表 to its 绩效目标表 entry; the row is marked, the entry is marked
    lighter, the tables in between are not. Any other range is marked as it is."""
    if span is None:
        return None, []
    for project in doc.get("projects") or []:
        ranges = [(int(r[0]), int(r[1])) for r in project.get("lines") or [] if r and len(r) == 2]
        if ranges and ranges[0][0] == span[0] and max(b for _, b in ranges) == span[1]:
            return ranges[0], ranges[1:]
    return span, []


@dataclass
class ViewerPart:
    number: int
    first: int  # line numbers
    last: int
    current: bool
    query: str


def viewer_part(lines: Sequence[Any], requested: str, highlight: tuple[int, int] | None,
                params: Mapping[str, str]) -> tuple[int, list[ViewerPart]]:
    """Which part of a long document to show (asked for, else the one holding the marked
    line, else the first), and the links to every part."""
    count = max(1, -(-len(lines) // VIEWER_PART_LINES))
    if requested.strip().isdigit():
        number = min(max(int(requested), 1), count)
    elif highlight:
        index = next((i for i, line in enumerate(lines) if line.no >= highlight[0]), 0)
        number = index // VIEWER_PART_LINES + 1
    else:
        number = 1
    parts = []
    if count > 1:
        for n in range(1, count + 1):
            chunk = lines[(n - 1) * VIEWER_PART_LINES: n * VIEWER_PART_LINES]
            parts.append(ViewerPart(n, chunk[0].no, chunk[-1].no, n == number,
                                    urlencode({**{k: v for k, v in params.items() if v},
                                               "part": n})))
    return number, parts


def total_rows(facts: Mapping[str, Any]) -> list[FactRow]:
    """The document's totals, each with the line it was read from when the extractor knows it."""
    totals = facts.get("totals") or {}
    evidence = {e.get("field"): e for e in facts.get("evidence") or [] if isinstance(e, Mapping)}
    rows = []
    for key, label in TOTAL_LABELS.items():
        value = totals.get(key)
        if value is None:
            continue
        where = evidence.get(key) or {}
        rows.append(FactRow(label, format_amount(value), where.get("line"), where.get("page")))
    return rows


def project_rows(facts: Mapping[str, Any]) -> list[FactRow]:
    """The extracted projects; a name or amount the 绩效目标表 prints differently is noted."""
    rows = []
    for p in facts.get("projects") or []:
        spans = p.get("lines") or []
        line = spans[0][0] if spans and spans[0] else None
        notes = []
        if p.get("performance_name") and p.get("performance_name") != p.get("name"):
            notes.append(f"绩效目标表名称：{p['performance_name']}")
        if p.get("performance_amount") is not None and p.get("amount") is not None and \
                abs(float(p["performance_amount"]) - float(p["amount"])) > 0.005:
            notes.append(f"绩效目标表金额：{format_amount(p['performance_amount'])}")
        extra = [f"L{s[0]}" for s in spans[1:] if s]
        rows.append(FactRow(str(p.get("name") or ""), format_amount(p.get("amount")), line,
                            p.get("page"), "；".join(notes), bool(notes), extra))
    return rows


def check_rows(facts: Mapping[str, Any]) -> list[FactRow]:
    """The 勾稽 checks, failures first."""
    rows = []
    for c in facts.get("checks") or []:
        lines = c.get("lines") or []
        expected, found = c.get("expected"), c.get("found")
        value = f"应为 {_show(expected)}，实为 {_show(found)}" if not c.get("ok") else \
            f"{_show(found if found is not None else expected)} ✓"
        rule = str(c.get("rule") or "")
        rows.append(FactRow(CHECK_NAMES.get(rule, rule), value, lines[0] if lines else None,
                            None, str(c.get("detail") or ""), not c.get("ok"),
                            [f"L{n}" for n in lines[1:]]))
    return sorted(rows, key=lambda r: not r.failed)


def _show(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_amount(value)
    return "—" if value is None else str(value)


def viewer_context(doc: Mapping[str, Any], lines: Sequence[Any], q: str, lines_param: str,
                   segment: Segmenter = None, part: str = "") -> dict[str, Any]:
    terms = query_terms(q, segment)
    last_no = max((line.no for line in lines), default=0)
    highlight, secondary = project_ranges(doc, parse_line_range(lines_param, last_no))
    number, parts = viewer_part(lines, part, highlight, {"q": q, "lines": lines_param})
    shown = lines[(number - 1) * VIEWER_PART_LINES: number * VIEWER_PART_LINES]
    first_no, last_shown = (shown[0].no, shown[-1].no) if shown else (0, 0)
    checks = check_rows(doc)

    def line_href(no: int | None) -> str:
        """A link to line `no`, in this part or in the part that holds it."""
        if not parts or first_no <= (no or 0) <= last_shown:
            return f"#L{no}"
        holder = next((p for p in parts if p.first <= (no or 0) <= p.last), parts[0])
        return f"?{holder.query}#L{no}"

    return {
        "doc": doc, "q": q, "terms": terms, "highlight": highlight,
        "parts": parts, "part_lines": VIEWER_PART_LINES, "line_count": len(lines),
        "line_href": line_href,
        "title": doc.get("title") or doc.get("source") or doc.get("id"),
        "region": region_label(doc.get("region")),
        "is_pdf": doc.get("format") == "pdf" or str(doc.get("path", "")).lower().endswith(".pdf"),
        "lines": viewer_lines(shown, terms, highlight, secondary),
        "totals": total_rows(doc), "projects": project_rows(doc), "checks": checks,
        "failed_checks": sum(1 for c in checks if c.failed),
        "project_sum": format_amount(sum(float(p.get("amount") or 0)
                                         for p in doc.get("projects") or [])),
        "line_items": len(doc.get("line_items") or []),
        "notes": note_rows(doc),
    }


_NOTE_LINE = re.compile(r"\(L(\d+)\)")
# The extractor writes its notes in English (they are data, also printed by the CLI);
# the page shows the known ones in Chinese, any other as written.
_NOTES_ZH = [
    (re.compile(r"^(?P<table>.+) \(L\d+\) prints no unit; read as (?P<unit>\S+), "
                r"the unit of the document's other tables$"),
     "{table}未印金额单位，按本文件其他表的单位（{unit}）读取"),
    (re.compile(r"^page (?P<page>\d+) could not be read \((?P<cause>.*)\); "
                r"its text is missing$"),
     "第 {page} 页无法读取（{cause}），该页文字缺失"),
]


def note_rows(doc: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """The extractor's notes (a unit inferred, a page unreadable), each with the line it
    names, if any, for a link."""
    rows = []
    for note in doc.get("notes") or []:
        text = str(note)
        match = _NOTE_LINE.search(text)
        rows.append((_in_chinese(text), int(match.group(1)) if match else None))
    return rows


def _in_chinese(note: str) -> str:
    for pattern, template in _NOTES_ZH:
        match = pattern.match(note)
        if match:
            return template.format(**match.groupdict())
    return note


def _project_count(doc: Mapping[str, Any]) -> int:
    for key in ("project_count", "projects"):
        value = doc.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, list):
            return len(value)
    return 0


def home_context(documents: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Index statistics and the document list a new user sees first."""
    years = sorted({d.get("year") for d in documents if d.get("year")}, reverse=True)
    regions = sorted({region_label(d.get("region")) for d in documents} - {""})
    docs = sorted(documents, key=lambda d: (-(d.get("year") or 0), region_label(d.get("region"))))
    return {
        "stats": {"documents": len(documents),
                  "projects": sum(_project_count(d) for d in documents),
                  "years": years, "regions": len(regions)},
        "examples": [(q, query_string({"q": [q]})) for q in EXAMPLE_QUERIES],
        "documents": [{"id": d.get("id"), "title": d.get("title") or d.get("id"),
                       "region": region_label(d.get("region")), "year": d.get("year"),
                       "kind": d.get("kind"), "department": d.get("department"),
                       "projects": _project_count(d),
                       "format": d.get("format") or _suffix(d.get("path"))}
                      for d in docs],
    }


def _suffix(path: Any) -> str:
    name = str(path or "")
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""
