"""One `search()` for the CLI, the web page, the JSON API and the CSV export.

Each call parses the query, applies the filters (OR within a facet, AND across facets),
counts every match per record type and per facet, and returns one page of hits with a
highlighted snippet and the evidence (path, line, page) of each.
"""
from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as wq

from indexer.models import BudgetSearchError
from search.facets import ColumnCache, amount_sum, count_facets, split_by_type
from search.fields import FACET_FIELDS, RECORD_TYPES
from search.query import (QueryError, highlight_terms, make_parser, matching_only,
                          parse_query, synonyms_for)
from search.render import best_line, highlight

__all__ = ["QueryError", "SearchRequest", "search", "get_document", "list_documents"]

MAX_PAGE_SIZE = 200
SORTS = ("relevance", "amount", "-amount", "year", "-year")
STRING_FILTERS = ("province", "city", "county", "department", "kind", "project_type",
                  "func_class", "amount_band", "checks")
OPEN_RETRIES = 5


@dataclass
class SearchRequest:
    query: str = ""
    type: str = "project"
    filters: dict[str, list[str]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    min_amount: float | None = None
    max_amount: float | None = None
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0
    facets: bool = True  # False: skip facet counts, tab counts and amount_sum (faster)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        if self.type not in RECORD_TYPES:
            raise QueryError(f"unknown type '{self.type}' (one of: {', '.join(RECORD_TYPES)})")
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort '{self.sort}' (one of: {', '.join(SORTS)})")
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise QueryError(f"page size must be between 1 and {MAX_PAGE_SIZE}, not {self.limit}")
        if self.offset < 0:
            raise QueryError(f"offset must not be negative, not {self.offset}")
        if (self.min_amount is not None and self.max_amount is not None
                and self.min_amount > self.max_amount):
            raise QueryError("min amount is larger than max amount")
        unknown = set(self.filters) - set(STRING_FILTERS)
        if unknown:
            raise QueryError(f"unknown filter {', '.join(sorted(unknown))}")

    @classmethod
    def from_namespace(cls, args: argparse.Namespace) -> "SearchRequest":
        filters = {name: list(getattr(args, name)) for name in
                   ("province", "city", "county", "department", "kind")
                   if getattr(args, name, None)}
        return cls(query=args.query or "", type=args.type, filters=filters,
                   years=list(args.year or []), min_amount=args.min_amount,
                   max_amount=args.max_amount, sort=args.sort, limit=args.limit,
                   offset=args.offset)

    @classmethod
    def from_mapping(cls, params: Mapping[str, list[str]]) -> "SearchRequest":
        """From web parameters (name -> list of values, as Flask's to_dict(flat=False))."""
        def first(name: str, default: str | None = None) -> str | None:
            values = [v for v in params.get(name, []) if v.strip()]
            return values[0].strip() if values else default

        filters = {name: [v.strip() for v in params.get(name, []) if v.strip()]
                   for name in STRING_FILTERS}
        per_page = _as_int("per_page", first("per_page", "20"))
        page = _as_int("page", first("page", "1"))
        if page < 1:
            raise QueryError(f"page must be 1 or more, not {page}")
        return cls(query=first("q", "") or "", type=first("type", "project"),
                   filters={k: v for k, v in filters.items() if v},
                   years=[_as_int("year", v) for v in params.get("year", []) if v.strip()],
                   min_amount=_as_float("min_amount", first("min_amount")),
                   max_amount=_as_float("max_amount", first("max_amount")),
                   sort=first("sort", "relevance"), limit=per_page,
                   offset=(page - 1) * per_page)


def _as_int(name: str, value: str | None) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not '{value}'") from None


def _as_float(name: str, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise QueryError(f"{name} must be a number (万元), not '{value}'") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise QueryError(f"{name} must be a finite number, not '{value}'")
    return number


# ---------------------------------------------------------------------------------------
# Opening the index


class _OpenIndex:
    """A searcher kept open between calls and refreshed when a commit lands."""

    def __init__(self, index_dir: Path) -> None:
        from whoosh import index as whoosh_index

        self.ix = whoosh_index.open_dir(str(index_dir / "whoosh"))
        self.searcher = self.ix.searcher()
        self.columns: ColumnCache | None = None
        self.lock = threading.Lock()

    def current(self):
        with self.lock:
            if not self.searcher.up_to_date():
                # Not searcher.refresh(): it reuses the readers of unchanged segments with
                # their old deletion sets, so records deleted by the commit would still show.
                self.searcher, self.columns = self.ix.searcher(), None
            if self.columns is None:
                self.columns = ColumnCache(self.searcher)
            return self.searcher, self.columns


_open: dict[str, _OpenIndex] = {}
_open_lock = threading.Lock()


def _searcher(index_dir: Path):
    from whoosh import index as whoosh_index

    key = str(Path(index_dir).resolve())
    if not whoosh_index.exists_in(str(Path(index_dir) / "whoosh")):
        raise BudgetSearchError(
            f"{index_dir}: no index here; run `budgetsearch index` first "
            f"(or pass --index-dir)")
    last_error: Exception | None = None
    for attempt in range(OPEN_RETRIES):
        try:
            with _open_lock:
                if key not in _open:
                    _open[key] = _OpenIndex(Path(index_dir))
                opened = _open[key]
            return opened.current()
        except (OSError, EOFError, KeyError, ValueError) as exc:
            # A commit replaced the files between reading the table of contents and
            # opening a segment: open the new generation instead.
            last_error = exc
            with _open_lock:
                _open.pop(key, None)
            time.sleep(0.02 * (attempt + 1))
    raise BudgetSearchError(f"{index_dir}: cannot open the index ({last_error})")


# ---------------------------------------------------------------------------------------
# Searching


def _filter_query(request: SearchRequest) -> wq.Query | None:
    parts: list[wq.Query] = []
    for name, values in request.filters.items():
        parts.append(wq.Or([wq.Term(name, v) for v in values]))
    if request.years:
        parts.append(wq.Or([wq.NumericRange("year", y, y) for y in request.years]))
    if request.min_amount is not None or request.max_amount is not None:
        parts.append(wq.NumericRange("amount", request.min_amount, request.max_amount))
    return wq.And(parts) if parts else None


def _combined(q: wq.Query, filters: wq.Query | None) -> wq.Query:
    # Filters inside the query (scoring nothing) cost far less than whoosh's `filter=`,
    # which first collects every record the filter matches into a set.
    if filters is None:
        return q
    return wq.And([q, wq.ConstantScoreQuery(filters, score=0.0)])


def search(index_dir: Path, request: SearchRequest) -> dict[str, Any]:
    """Run `request` against the index in `index_dir`: the issue-3 JSON contract."""
    searcher, columns = _searcher(Path(index_dir))
    parser = make_parser(searcher.schema, synonyms_for(Path(index_dir)))
    q = parse_query(parser, request.query)
    filters = _filter_query(request)
    if not request.facets:
        return _search_page_only(searcher, q, filters, request)
    matched = sorted(searcher.docs_for_query(_combined(matching_only(q), filters)))
    by_type = split_by_type(columns, matched)
    of_type = by_type.get(request.type, [])
    result: dict[str, Any] = {
        "query": request.query, "type": request.type, "total": len(of_type),
        "offset": request.offset, "limit": request.limit,
        "counts": {t: len(by_type.get(t, [])) for t in RECORD_TYPES},
        "amount_sum": amount_sum(columns, by_type.get("project", [])),
        "facets": count_facets(columns, of_type),
        "hits": [],
    }
    if of_type and request.offset < len(of_type):
        docnums = _page(searcher, q, filters, request)
        terms = highlight_terms(q)
        result["hits"] = [_hit(searcher.stored_fields(d)["hit"], terms) for d in docnums]
        if request.type == "document":
            _document_snippets(searcher, q, result["hits"], terms)
    return result


def _search_page_only(searcher, q, filters, request: SearchRequest) -> dict[str, Any]:
    docnums, total = _page(searcher, q, filters, request, with_total=True)
    terms = highlight_terms(q)
    hits = [_hit(searcher.stored_fields(d)["hit"], terms) for d in docnums]
    if request.type == "document":
        _document_snippets(searcher, q, hits, terms)
    return {"query": request.query, "type": request.type, "total": total,
            "offset": request.offset, "limit": request.limit, "counts": {},
            "amount_sum": None, "facets": {}, "hits": hits}


def _page(searcher, q: wq.Query, filters: wq.Query | None, request: SearchRequest,
          with_total: bool = False):
    type_filter = wq.Term("rtype", request.type)
    allowed = wq.And([type_filter, filters]) if filters is not None else type_filter
    wanted = request.offset + request.limit
    query = _combined(q, allowed)
    if request.sort == "relevance":
        results = searcher.search(query, limit=wanted)
    else:
        name = request.sort.lstrip("-")
        results = searcher.search(matching_only(query), limit=wanted, sortedby=name,
                                  reverse=request.sort.startswith("-"))
    docnums = [hit.docnum for hit in results][request.offset:wanted]
    return (docnums, len(results)) if with_total else docnums


def _hit(stored: dict, terms: set[str]) -> dict[str, Any]:
    hit = {key: stored.get(key) for key in
           ("type", "name", "amount", "department", "region", "year", "kind", "doc_id")}
    for key in ("project_type", "code", "unit_name", "performance_name",
                "performance_amount", "func_class", "title", "projects", "glossary"):
        if key in stored:
            hit[key] = stored[key]
    line, page = stored.get("line"), stored.get("page")
    text = stored.get("text") or ""
    if stored["type"] == "passage":
        line, page, text = best_line(stored["lines_text"], terms)
        first, last = stored["lines_text"][0][0], stored["lines_text"][-1][0]
        span = [first, last]
    elif stored.get("lines_range"):
        span = [stored["lines_range"][0][0], stored["lines_range"][-1][1]]
    else:
        span = [line, line] if line else []
    hit["snippet"] = highlight(text, terms)
    source: dict[str, Any] = {"path": stored["path"], "line": line, "lines": span}
    if stored.get("format") == "pdf" or page:
        source["page"] = page
    hit["source"] = source
    return hit


def _document_snippets(searcher, q: wq.Query, hits: list[dict], terms: set[str]) -> None:
    """A document hit shows its best-matching passage as snippet and evidence."""
    if not terms:
        return
    wanted = {hit["doc_id"]: hit for hit in hits}
    allowed = wq.And([wq.Term("rtype", "passage"),
                      wq.Or([wq.Term("doc_id", d) for d in wanted])])
    seen: set[str] = set()
    for result in searcher.search(_combined(q, allowed), limit=500):
        stored = result["hit"]
        if stored["doc_id"] in seen:
            continue
        seen.add(stored["doc_id"])
        passage = _hit(stored, terms)
        target = wanted[stored["doc_id"]]
        target["snippet"] = passage["snippet"]
        target["source"] = passage["source"]
        if len(seen) == len(wanted):
            break


# ---------------------------------------------------------------------------------------
# Documents


def get_document(index_dir: Path, doc_id: str) -> dict[str, Any] | None:
    """The stored extract facts of one document, with its id and indexed path."""
    searcher, _ = _searcher(Path(index_dir))
    found = searcher.document(rid=doc_id)
    if not found or "facts" not in found:
        return None
    facts = json.loads(found["facts"])
    facts["id"] = doc_id
    facts["path"] = found["hit"]["path"]
    return facts


def list_documents(index_dir: Path) -> list[dict[str, Any]]:
    """Every indexed document, sorted by path."""
    searcher, _ = _searcher(Path(index_dir))
    docs = []
    for docnum in searcher.docs_for_query(wq.Term("rtype", "document")):
        hit = searcher.stored_fields(docnum)["hit"]
        docs.append({"id": hit["doc_id"], "path": hit["path"], "title": hit["title"],
                     "department": hit["department"], "region": hit["region"],
                     "year": hit["year"], "kind": hit["kind"], "projects": hit["projects"]})
    return sorted(docs, key=lambda d: d["path"])
