"""Batch search: a list of terms, one a line, answered by one row per term.

Each row is the project search of that term (the same `search` the page, the API and the CLI
call, through the backend), with the project count, the amount sum, the sums per region and
year, and the links to the full result and the comparison.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from budgetsearch.web.backend import Backend, InvalidQuery, iter_all_hits
from budgetsearch.web.chart import CompareRow, compare_rows
from budgetsearch.web.export import BOM, _cell
from budgetsearch.web.views import MAX_QUERY_CHARS, format_amount, query_string

MAX_TERMS = 100  # a batch is a list a person pastes; each term is a full search
MAX_BATCH_BYTES = 64 * 1024


class BatchError(ValueError):
    """The list itself is refused (too many terms, not text); said in the user's language."""


@dataclass
class BatchRow:
    term: str
    projects: int = 0
    amount: float | None = None
    by_region_year: list[CompareRow] = field(default_factory=list)
    search_query: str = ""
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "projects": self.projects,
                "amount": None if self.amount is None else round(self.amount, 6),
                "by_region_year": [{"region": r.region, "region_full": r.region_full,
                                    "year": r.year, "projects": r.count,
                                    "amount": round(r.amount, 6)} for r in self.by_region_year],
                "search_query": self.search_query, "error": self.error}


def read_terms(data: bytes | str) -> list[str]:
    """The terms of a pasted or uploaded list: one a line, blank lines and repeats dropped."""
    if len(data if isinstance(data, bytes) else data.encode("utf-8", "replace")) > MAX_BATCH_BYTES:
        raise BatchError(f"列表过大（最多 {MAX_BATCH_BYTES // 1024} KB）")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                data = data.decode("gb18030")
            except UnicodeDecodeError:
                raise BatchError("列表不是文本文件（应为 UTF-8 或 GBK 编码，每行一个词）") from None
    terms: list[str] = []
    for line in data.splitlines():
        term = line.strip()
        if term and term not in terms:
            terms.append(term)
    if not terms:
        raise BatchError("列表为空：每行写一个要搜索的词")
    if len(terms) > MAX_TERMS:
        raise BatchError(f"词太多（{len(terms)} 个，最多 {MAX_TERMS} 个）")
    too_long = next((t for t in terms if len(t) > MAX_QUERY_CHARS), None)
    if too_long:
        raise BatchError(f"有一行过长（最多 {MAX_QUERY_CHARS} 个字符）：{too_long[:20]}…")
    return terms


def batch_rows(backend: Backend, terms: Sequence[str],
               filters: Mapping[str, Sequence[str]]) -> list[BatchRow]:
    """One row per term; a term the query language refuses gets its error, not a crash."""
    rows = []
    for term in terms:
        params = {**{k: list(v) for k, v in filters.items()}, "q": [term], "type": ["project"]}
        row = BatchRow(term=term, search_query=query_string(params))
        try:
            hits = list(iter_all_hits(backend, params))
        except InvalidQuery as exc:
            row.error = str(exc)
            rows.append(row)
            continue
        row.projects = len(hits)
        # The sum of the name matches, as the search's headline sum and the compare rows.
        row.by_region_year = compare_rows(hits)
        row.amount = sum(r.amount for r in row.by_region_year)
        rows.append(row)
    return rows


def format_batch(rows: Sequence[BatchRow]) -> str:
    """The CLI view: one line per term, then its sums per region and year."""
    lines = []
    for row in rows:
        if row.error:
            lines.append(f"{row.term}: error: {row.error}")
            continue
        lines.append(f"{row.term}: {_projects(row.projects)}, {format_amount(row.amount)} 万元")
        for r in row.by_region_year:
            lines.append(f"    {r.region_full} {r.year or '-'}: {_projects(r.count)}, "
                         f"{format_amount(r.amount)} 万元")
    return "\n".join(lines)


def _projects(count: int) -> str:
    return f"{count} project" + ("" if count == 1 else "s")


BATCH_COLUMNS = ("term", "region", "year", "projects", "amount", "url", "error")


def batch_csv_lines(rows: Sequence[BatchRow], prefix: str) -> Iterator[str]:
    """BOM, header, then per term one line for all regions (region and year empty) and
    one line per region and year."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(BATCH_COLUMNS)
    for row in rows:
        url = f"{prefix}/search?{row.search_query}"
        amount = "" if row.amount is None else f"{row.amount:.2f}"
        writer.writerow([_cell(row.term), "", "", row.projects, amount, url, row.error])
        for r in row.by_region_year:
            writer.writerow([_cell(row.term), r.region_full, r.year or "", r.count,
                             f"{r.amount:.2f}", url, ""])
    yield BOM + buffer.getvalue()
