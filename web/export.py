"""CSV export of search hits: the same rows as the result table, every matching one.

The file starts with a UTF-8 byte order mark because spreadsheet programs otherwise read
Chinese as mojibake; the columns are the JSON keys so scripts and spreadsheets agree.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from budgetsearch.web.views import snippet_text, source_url

BOM = "\ufeff"
# Rows in one CSV export: far above any real query over a corpus of budgets, low enough
# that one request cannot keep a server thread for hours. A cut file says so in its last line.
CSV_MAX_ROWS = 1_000_000

COLUMNS: dict[str, tuple[str, ...]] = {
    "project": ("name", "amount", "matched_in", "department", "province", "city", "county", "year", "kind",
                "project_type", "doc_id", "path", "line", "page", "url"),
    "document": ("name", "department", "province", "city", "county", "year", "kind",
                 "doc_id", "path", "url", "snippet"),
    "passage": ("name", "department", "province", "city", "county", "year", "kind",
                "doc_id", "path", "line", "line_end", "page", "url", "snippet"),
}


def csv_columns(result_type: str) -> tuple[str, ...]:
    return COLUMNS.get(result_type, COLUMNS["project"])


def _amount(value: Any) -> str:
    # Two decimals as printed in the source tables; no thousands separator so it stays a number.
    return "" if value is None else f"{float(value):.2f}"


def hit_record(hit: Mapping[str, Any], q: str, prefix: str) -> dict[str, Any]:
    """Every value a CSV column may take, flattened from one hit."""
    region = hit.get("region") or {}
    source = hit.get("source") or {}
    lines = source.get("lines") or [source.get("line"), source.get("line")]
    return {
        "name": hit.get("name") or "",
        "amount": _amount(hit.get("amount")),
        "matched_in": hit.get("matched_in") or "",
        "department": hit.get("department") or "",
        "province": region.get("province") or "",
        "city": region.get("city") or "",
        "county": region.get("county") or "",
        "year": hit.get("year") or "",
        "kind": hit.get("kind") or "",
        "project_type": hit.get("project_type") or "",
        "doc_id": hit.get("doc_id") or "",
        "path": source.get("path") or "",
        "line": source.get("line") or "",
        "line_end": (lines[-1] if lines else "") or "",
        "page": source.get("page") or "",
        "url": source_url(hit, q, prefix) or "",
        "snippet": snippet_text(hit.get("snippet")),
    }


def csv_lines(hits: Iterable[Mapping[str, Any]], result_type: str, q: str,
              prefix: str, ending: Callable[[], str | None] | None = None) -> Iterator[str]:
    """BOM + header, then one CSV line per hit, produced as the hits arrive; then, if
    `ending()` names a reason once the hits are exhausted, a last line saying the file was
    cut and why."""
    columns = csv_columns(result_type)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    yield BOM + flush()
    for hit in hits:
        record = hit_record(hit, q, prefix)
        writer.writerow([_cell(record[c]) for c in columns])
        yield flush()
    note = ending() if ending else None
    if note:
        writer.writerow([f"# {note}"] + [""] * (len(columns) - 1))
        yield flush()


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is shown as text."""
    if not isinstance(value, str) or value[:1] not in ("=", "+", "-", "@"):
        return value
    try:
        float(value)
        return value  # a negative amount is a number, not a formula
    except ValueError:
        return "'" + value
