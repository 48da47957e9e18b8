"""One `search()` for the CLI, the web page, the JSON API and the CSV export.

Each call parses the query, applies the filters (OR within a facet, AND across facets),
counts every match per record type and per facet, and returns one page of hits with a
highlighted snippet and the evidence (path, line, page) of each.
"""
from __future__ import annotations

import argparse
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from budgetsearch.indexer import engine, queries
from budgetsearch.indexer.analysis import fold
from budgetsearch.indexer.engine import TANTIVY_DIR
from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.indexer.records import DOCUMENT_FIELDS
from budgetsearch.indexer.schema import RECORD_TYPES, TEXT_FIELDS_OF
from budgetsearch.search.compile import NAME_FIELDS, compile_query
from budgetsearch.search.facets import filter_queries, ordered, resolve_places
from budgetsearch.search.query import (
    QueryError, highlight_terms, make_parser, missing_synonym_files, parse_query, synonyms_for,
    year_value,
)
from budgetsearch.search.render import best_line, highlight
from budgetsearch.search.suggest import corrections, vocabulary

__all__ = ["QueryError", "SearchRequest", "search", "get_document", "list_documents",
           "parse_amount"]

MAX_PAGE_SIZE = 200
# Passages of one document weighed for its snippet (a long 决算 has a few hundred).
MAX_PASSAGES = 2000
SORTS = ("relevance", "amount", "-amount", "year", "-year")
STRING_FILTERS = ("province", "city", "county", "department", "kind", "project_type",
                  "func_class", "amount_band", "checks", "match")
# 命中位置 of a project hit: the query matched its name (directly or through a synonym), or
# only its description / 绩效目标 text. Sums add up the name matches; the others apart.
MATCH_FACET = "match"
IN_NAME, MENTION_ONLY = "名称", "仅描述"


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
        wrong = set(self.filters.get(MATCH_FACET, ())) - {IN_NAME, MENTION_ONLY}
        if wrong:
            raise QueryError(f"unknown 命中位置 '{sorted(wrong)[0]}' (one of: {IN_NAME}, "
                             f"{MENTION_ONLY})")

    @classmethod
    def from_namespace(cls, args: argparse.Namespace) -> "SearchRequest":
        filters = {name: list(getattr(args, name)) for name in
                   ("province", "city", "county", "department", "kind")
                   if getattr(args, name, None)}
        return cls(query=args.query or "", type=args.type, filters=filters,
                   years=[year_value(y) for y in args.year or []], min_amount=args.min_amount,
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
                   years=[year_value(v) for v in params.get("year", []) if v.strip()],
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


_open: dict[str, engine.Reader] = {}
_open_lock = threading.Lock()


def _snapshot(index_dir: Path) -> engine.Snapshot:
    """The last committed state of the index; opened once per process and renewed when a
    commit lands. Only reads: a read-only index folder serves as well."""
    where = Path(index_dir) / TANTIVY_DIR
    key = str(where.resolve())
    with _open_lock:
        reader = _open.get(key)
        if reader is None:
            if not engine.exists(where):
                raise BudgetSearchError(
                    f"{index_dir}: no index here; run `budgetsearch index` first "
                    f"(or pass --index-dir)")
            reader = _open[key] = engine.Reader(where)
    return reader.snapshot()


# ---------------------------------------------------------------------------------------
# Searching


# Users page through and refine one query, and parsing and compiling are a large part of a
# light search's time (a wildcard is an automaton built while holding the interpreter): the
# parsed and compiled forms are kept per query text and synonym set (the set is one object
# until its files change). They are only read afterwards, so threads can share them.
PARSED_QUERIES_KEPT = 512


@dataclass(frozen=True)
class Compiled:
    parsed: Any  # whoosh's query tree (highlighting, suggestions)
    query: Any  # the engine query
    in_name: Any  # the engine query matched in project names only
    notes: tuple[str, ...]
    typed: dict[str, Any] = field(default_factory=dict)  # record type -> of_type()

    def of_type(self, rtype: str) -> Any:
        """The query in the text fields records of `rtype` have: among them the same
        matches and scores, without walking the postings of fields they lack (the 项目 tab
        of 行政运行 at 10,000 documents: 8.3 -> 3.5 ms)."""
        if rtype not in self.typed:  # two threads may both compile it: the same query
            self.typed[rtype] = compile_query(self.parsed, frozenset(TEXT_FIELDS_OF[rtype]))
        return self.typed[rtype]


_parsed_queries: OrderedDict[tuple[int, str], tuple[Any, Compiled]] = OrderedDict()
_parsed_lock = threading.Lock()


def _compiled(parser: Any, synonyms: dict, text: str) -> Compiled:
    key = (id(synonyms), text)
    with _parsed_lock:
        kept = _parsed_queries.get(key)
        if kept is not None and kept[0] is synonyms:
            _parsed_queries.move_to_end(key)
            return kept[1]
    notes: list[str] = []
    q = parse_query(parser, text, notes)
    compiled = Compiled(q, compile_query(q), compile_query(q, NAME_FIELDS), tuple(notes))
    with _parsed_lock:
        _parsed_queries[key] = (synonyms, compiled)
        while len(_parsed_queries) > PARSED_QUERIES_KEPT:
            _parsed_queries.popitem(last=False)
    return compiled


def forget_queries() -> None:
    """Empty the store of parsed and compiled queries (a benchmark of first-time queries)."""
    with _parsed_lock:
        _parsed_queries.clear()


def search(index_dir: Path, request: SearchRequest) -> dict[str, Any]:
    """Run `request` against the index in `index_dir`: the issue-3 JSON contract."""
    snap = _snapshot(Path(index_dir))
    synonyms = synonyms_for(Path(index_dir))
    parser = make_parser(synonyms)
    compiled = _compiled(parser, synonyms, request.query)
    q, query, in_name = compiled.parsed, compiled.query, compiled.in_name
    notes = [*compiled.notes, *missing_synonym_files()]
    resolved, place_notes = resolve_places(request.filters)
    notes.extend(place_notes)
    string_filters = {k: v for k, v in resolved.items() if k != MATCH_FACET}
    filters = filter_queries(string_filters, request.years, request.min_amount,
                             request.max_amount)
    places = set(request.filters.get(MATCH_FACET, ())) or {IN_NAME, MENTION_ONLY}
    projects = request.type == "project"
    split_needed = projects and request.facets

    counted, paged = query, compiled.of_type(request.type)
    if projects:
        counted, paged = (_matched_in(counted, in_name, places),
                          _matched_in(paged, in_name, places))

    def page() -> engine.Outcome:
        return snap.search(counted, filters, request.type, request.sort, request.offset,
                           request.limit, request.facets, page_query=paged)

    def name_sums() -> tuple[tuple[int, float], tuple[int, float] | None]:
        return _name_sums(snap, query, in_name, filters, places)

    try:
        found, sums = (engine.concurrently(page, name_sums) if split_needed
                       else (page(), None))
        split = _split(found, *sums, places) if split_needed else None
    except ValueError as exc:  # the engine refused the query (e.g. a pattern too wide)
        raise QueryError(f"cannot run the query: {exc}") from None
    result: dict[str, Any] = {
        "query": request.query, "type": request.type, "total": found.total,
        "offset": request.offset, "limit": request.limit, "counts": found.counts,
        "amount_sum": found.amount_sum, "facets": ordered(found.facets), "hits": [],
        "notes": notes,
    }
    if split is not None:
        result.update(split.pop("sums"))
        result["facets"][MATCH_FACET] = split
    result["suggestions"] = (_suggestions(snap, parser, synonyms, request, filters)
                             if not found.total and request.query.strip() else [])
    terms = highlight_terms(q)
    stored = [_stored_hit(snap, address) for _, address in found.hits]
    result["hits"] = [_hit(hit, terms) for hit in stored]
    if projects and result["hits"]:
        named = snap.matching(in_name, "project", [hit["doc_id"] for hit in stored])
        for hit, (_, address) in zip(result["hits"], found.hits):
            hit["matched_in"] = (IN_NAME if (address.segment_ord, address.doc) in named
                                 else MENTION_ONLY)
    if request.type == "document" and result["hits"] and terms:
        _document_snippets(snap, compiled.of_type("passage"), result["hits"], terms)
    named = named_figure(request.query) if request.type == "document" else None
    if named:
        for hit, (_, address) in zip(result["hits"], found.hits):
            hit["figure"] = _figure(snap.stored(address, "facts") or {}, *named)
    return result


# A query that names one of a document's totals is answered on the document tab with that
# total (三公经费 -> the 三公 figure), not with the document's whole spending.
NAMED_FIGURES = (("三公", "sangong", "三公经费"), ("基本支出", "basic", "基本支出"),
                 ("项目支出", "project", "项目支出"), ("收入", "income_total", "收入总计"),
                 ("支出总", "expenditure_total", "支出总计"))


def named_figure(query: str) -> tuple[str, str] | None:
    """(field, label) of the total the query names, or None."""
    folded = fold(query)
    return next(((field, label) for word, field, label in NAMED_FIGURES if word in folded), None)


def _figure(facts: dict, field: str, label: str) -> dict[str, Any]:
    value = (facts.get("totals") or {}).get(field)
    where = next((e for e in facts.get("evidence") or [] if e.get("field") == field), {})
    return {"label": label, "field": field, "value": value, "line": where.get("line"),
            "page": where.get("page")}


def _suggestions(snap: engine.Snapshot, parser: Any, synonyms: dict, request: SearchRequest,
                 filters: dict[str, Any]) -> list[str]:
    """“您是不是要找”: the query with its unknown words corrected from the index's own
    vocabulary, offered only when it finds something under the same filters."""
    corrected = corrections(request.query, vocabulary(snap, synonyms))
    if corrected is None:
        return []
    try:
        query = compile_query(parse_query(parser, corrected))
    except QueryError:
        return []
    # Offered if it finds anything: the page then says on which tab (三公经费 has passages).
    found = any(snap.search(query, filters, rtype, limit=1, facets=False).total
                for rtype in (request.type, *RECORD_TYPES))
    return [corrected] if found else []


def _matched_in(query: Any, in_name: Any, places: set[str]) -> Any:
    """`query` kept to the projects matched where `places` says (名称, 仅描述 or both)."""
    if places == {IN_NAME}:
        return queries.boolean(must=[query, queries.unscored(in_name)])
    if places == {MENTION_ONLY}:
        return queries.boolean(must=[query], must_not=[in_name])
    return query


def _name_sums(snap: engine.Snapshot, query: Any, in_name: Any, filters: dict[str, Any],
               places: set[str]) -> tuple[tuple[int, float], tuple[int, float] | None]:
    """(count, sum) of the projects matched in their name, and of all projects matched when
    the page's own search does not count them (a 命中位置 filter narrows it)."""
    within = [*filters.values(), queries.type_filter("project")]
    # A name match is a match of the query (compile_query: every word kept to the name is
    # a narrower word, NOT clauses the same), so the name query alone counts them.
    named = snap.count_and_sum(in_name, within)
    every = None if places == {IN_NAME, MENTION_ONLY} else snap.count_and_sum(query, within)
    return named, every


def _split(found: engine.Outcome, named: tuple[int, float], every: tuple[int, float] | None,
           places: set[str]) -> dict[str, Any]:
    """The 命中位置 facet (counted with every other filter) and the two sums: the
    headline `amount_sum` adds up name matches, `amount_sum_mentions` the projects that
    only mention the query, each within the 命中位置 values the user kept. Without a
    命中位置 filter the page's own aggregation counted every matched project."""
    count_all, sum_all = every or (found.counts["project"], found.amount_sum or 0.0)
    count_name, sum_name = named
    facet = {IN_NAME: count_name, MENTION_ONLY: count_all - count_name}
    sums = {"amount_sum": sum_name if IN_NAME in places else 0.0,
            "amount_sum_mentions": (round(sum_all - sum_name, 2) if MENTION_ONLY in places
                                    else 0.0)}
    return {**{k: v for k, v in facet.items() if v}, "sums": sums}


def _stored_hit(snap: engine.Snapshot, address: Any) -> dict[str, Any]:
    """The stored hit of a record; a passage takes department, region, title and path from
    its document's record (stored once per document, not once per passage)."""
    stored = snap.stored(address)
    if stored["type"] != "passage":
        return stored
    document = snap.document_hit(stored["doc_id"])
    return {**{k: v for k, v in document.items() if k in DOCUMENT_FIELDS}, **stored}


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


def _document_snippets(snap: engine.Snapshot, query: Any, hits: list[dict],
                       terms: set[str]) -> None:
    """A document hit shows its best-matching passage as snippet and evidence."""
    best = snap.best_per_document(query, "passage", [hit["doc_id"] for hit in hits],
                                  MAX_PASSAGES * len(hits))
    for hit in hits:
        if hit["doc_id"] in best:
            passage = _hit(_stored_hit(snap, best[hit["doc_id"]]), terms)
            hit["snippet"] = passage["snippet"]
            hit["source"] = passage["source"]


# ---------------------------------------------------------------------------------------
# Documents


def get_document(index_dir: Path, doc_id: str) -> dict[str, Any] | None:
    """The stored extract facts of one document, with its id and indexed path."""
    snap = _snapshot(Path(index_dir))
    address = snap.first(queries.term("rid", doc_id))
    if address is None:
        return None
    facts, hit = snap.stored(address, "facts"), snap.stored(address)
    if facts is None or hit.get("type") != "document":
        return None
    facts["id"] = doc_id
    facts["path"] = hit["path"]
    return facts


def list_documents(index_dir: Path) -> list[dict[str, Any]]:
    """Every indexed document, sorted by path."""
    snap = _snapshot(Path(index_dir))
    docs = []
    for hit in snap.documents():
        docs.append({"id": hit["doc_id"], "path": hit["path"], "title": hit["title"],
                     "department": hit["department"], "region": hit["region"],
                     "year": hit["year"], "kind": hit["kind"], "projects": hit["projects"]})
    return sorted(docs, key=lambda d: d["path"])
