"""One `search()` for the CLI, the web page, the JSON API and the CSV export.

Each call parses the query, applies the filters (OR within a facet, AND across facets),
counts every match per record type and per facet, and returns one page of hits with a
highlighted snippet and the evidence (path, line, page) of each.
"""
from __future__ import annotations

import argparse
import json
import math
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq

from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.search import matching
from budgetsearch.search.facets import all_of, amount_sum, count_facets, filter_masks
from budgetsearch.search.fields import RECORD_TYPES
from budgetsearch.search.query import QueryError, highlight_terms, make_parser, parse_query, synonyms_for
from budgetsearch.search.records import DOCUMENT_FIELDS
from budgetsearch.search.render import best_line, highlight
from budgetsearch.search.snapshot import Snapshot

__all__ = ["QueryError", "SearchRequest", "search", "get_document", "list_documents",
           "parse_amount"]

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


def parse_amount(text: str) -> float:
    """An amount as users type it (thousands commas allowed); ValueError unless it is a
    finite number. The CLI, the API and the web page all read amounts through this."""
    number = float(text.replace(",", ""))
    if not math.isfinite(number):
        raise ValueError(f"not a finite number: {text}")
    return number


def _as_float(name: str, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_amount(value)
    except ValueError:
        raise QueryError(f"{name} must be a finite number (万元), not '{value}'") from None


# ---------------------------------------------------------------------------------------
# Opening the index


class _OpenIndex:
    """A searcher kept open between calls, with its arrays, renewed when a commit lands."""

    def __init__(self, index_dir: Path) -> None:
        from whoosh import index as whoosh_index

        self.ix = whoosh_index.open_dir(str(index_dir / "whoosh"))
        self.snapshot = Snapshot(self.ix.searcher())
        self.lock = threading.Lock()

    def current(self) -> Snapshot:
        with self.lock:
            if not self.snapshot.searcher.up_to_date():
                # Not searcher.refresh(): it reuses the readers of unchanged segments with
                # their old deletion sets, so records deleted by the commit would still show.
                self.snapshot = Snapshot(self.ix.searcher())
            return self.snapshot


_open: dict[str, _OpenIndex] = {}
_open_lock = threading.Lock()


def _snapshot(index_dir: Path) -> Snapshot:
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


def search(index_dir: Path, request: SearchRequest) -> dict[str, Any]:
    """Run `request` against the index in `index_dir`: the issue-3 JSON contract."""
    snap = _snapshot(Path(index_dir))
    with snap.lock:
        return _search(snap, Path(index_dir), request)


def _search(snap: Snapshot, index_dir: Path, request: SearchRequest) -> dict[str, Any]:
    parser = make_parser(snap.searcher.schema, synonyms_for(index_dir))
    q = parse_query(parser, request.query)
    found = matching.evaluate(snap, q)
    masks = filter_masks(snap, found.ids, request.filters, request.years,
                         request.min_amount, request.max_amount)
    kept = found.restrict(all_of(masks, len(found.ids)))
    rtypes = snap.codes["rtype"]
    of_type = kept.restrict(rtypes[kept.ids] == snap.type_code[request.type])
    result: dict[str, Any] = {
        "query": request.query, "type": request.type, "total": len(of_type.ids),
        "offset": request.offset, "limit": request.limit, "counts": {},
        "amount_sum": None, "facets": {}, "hits": [],
    }
    if request.facets:
        by_type = np.bincount(rtypes[kept.ids], minlength=len(snap.vocab["rtype"]))
        result["counts"] = {t: int(by_type[snap.type_code[t]]) if snap.type_code[t] >= 0
                            else 0 for t in RECORD_TYPES}
        projects = kept.ids[rtypes[kept.ids] == snap.type_code["project"]]
        result["amount_sum"] = amount_sum(snap, projects)
        result["facets"] = count_facets(snap, found.ids, masks,
                                        rtypes[found.ids] == snap.type_code[request.type])
    terms = highlight_terms(q)
    page = _page(snap, of_type, request)
    result["hits"] = [_hit(_stored_hit(snap, d), terms) for d in page]
    if request.type == "document" and result["hits"]:
        _document_snippets(snap, found, page, result["hits"], terms)
    return result


def _page(snap: Snapshot, matches: matching.Matches, request: SearchRequest) -> list[int]:
    """The docnums of the requested page: by score (ties by record order) or by a column."""
    wanted = request.offset + request.limit
    ids = matches.ids
    if request.offset >= len(ids):
        return []
    if request.sort == "relevance":
        key = -matches.scores
    else:
        column = snap.amount if request.sort.lstrip("-") == "amount" else snap.year
        key = column[ids].astype(np.float64)
        if request.sort.startswith("-"):
            key = -key
    if len(ids) > 4 * wanted:
        # Only the records that can reach the page are sorted.
        cut = np.partition(key, wanted - 1)[wanted - 1]
        candidates = key <= cut
        ids, key = ids[candidates], key[candidates]
    order = np.lexsort((ids, key))
    return [int(d) for d in ids[order][request.offset:wanted]]


def _stored_hit(snap: Snapshot, docnum: int) -> dict[str, Any]:
    """The stored hit of a record; a passage takes department, region, title and path from
    its document's record (stored once per document, not once per passage)."""
    searcher = snap.searcher
    stored = searcher.stored_fields(docnum)["hit"]
    if stored["type"] != "passage":
        return stored
    base = snap.bases.get(stored["doc_id"])
    if base is None:
        found = searcher.document(rid=stored["doc_id"]) or {}
        base = {k: v for k, v in found.get("hit", {}).items() if k in DOCUMENT_FIELDS}
        snap.bases[stored["doc_id"]] = base
    return {**base, **stored}


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


def _document_snippets(snap: Snapshot, found: matching.Matches, page: list[int],
                       hits: list[dict], terms: set[str]) -> None:
    """A document hit shows its best-matching passage as snippet and evidence."""
    if not terms:
        return
    doc_codes = snap.codes["doc_id"]
    passages = found.restrict(snap.codes["rtype"][found.ids] == snap.type_code["passage"])
    for docnum, hit in zip(page, hits):
        mine = passages.restrict(doc_codes[passages.ids] == doc_codes[docnum])
        if not len(mine.ids):
            continue
        best = int(mine.ids[np.lexsort((mine.ids, -mine.scores))[0]])
        passage = _hit(_stored_hit(snap, best), terms)
        hit["snippet"] = passage["snippet"]
        hit["source"] = passage["source"]


# ---------------------------------------------------------------------------------------
# Documents


def get_document(index_dir: Path, doc_id: str) -> dict[str, Any] | None:
    """The stored extract facts of one document, with its id and indexed path."""
    snap = _snapshot(Path(index_dir))
    with snap.lock:
        found = snap.searcher.document(rid=doc_id)
    if not found or "facts" not in found:
        return None
    facts = json.loads(found["facts"])
    facts["id"] = doc_id
    facts["path"] = found["hit"]["path"]
    return facts


def list_documents(index_dir: Path) -> list[dict[str, Any]]:
    """Every indexed document, sorted by path."""
    snap = _snapshot(Path(index_dir))
    with snap.lock:
        hits = [snap.searcher.stored_fields(docnum)["hit"]
                for docnum in snap.searcher.docs_for_query(wq.Term("rtype", "document"))]
    docs = []
    for hit in hits:
        docs.append({"id": hit["doc_id"], "path": hit["path"], "title": hit["title"],
                     "department": hit["department"], "region": hit["region"],
                     "year": hit["year"], "kind": hit["kind"], "projects": hit["projects"]})
    return sorted(docs, key=lambda d: d["path"])
