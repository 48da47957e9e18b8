"""The index engine: tantivy behind the few operations budgetsearch needs.

Writing: add a document's records, delete a document's records (by its path key), commit
atomically (tantivy publishes a commit by replacing meta.json, so a reader or a crash sees
the index before the commit or after it, never half of it). Reading: a query tree with
filters gives ranked records and scores, the total, the tab counts per record type, facet
counts (each facet counted with the other facets' filters: OR within a facet, AND across)
and the amount sum, all as tantivy aggregations over fast fields; and the stored hits.
The fields are indexer.schema's; the queries and filters indexer.queries'.
"""
from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import tantivy

from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.indexer.queries import Filter, any_of, boolean, term, type_filter, unscored
from budgetsearch.indexer.schema import (
    COMPRESS_LEVEL, COMPRESSED_FIELDS, FACET_FIELDS, MAX_TOKEN_BYTES, NOT_CARRIED, RECORD_TYPES,
    SCHEMA, STORED_FIELDS, TOKENIZER, doc_number,
)

# Facet values listed per facet (a province-wide index has a few thousand departments).
MAX_FACET_VALUES = 10_000
DOCUMENTS_KEPT = 4096  # document hits a snapshot keeps for its passages' hits
# The writer's memory for records not yet written out (shared by its threads). At 256 MB an
# end-to-end run at 10,000 documents peaked at 1,016 MB resident (428 MB private); at
# 128 MB 600 MB (310 private), writing as fast, with twice the segments (3 -> 6) and
# queries within a millisecond of before.
WRITER_HEAP_BYTES = 128_000_000
WRITER_THREADS = 2
CLEANUP_HEAP_BYTES = 15_000_000  # tantivy's smallest writer, to remove a failed write's files
LOW_DISK_BYTES = 64 * 2**20  # below this free space a failed write is put down to the disk
TANTIVY_DIR = "tantivy"


def _register(index: tantivy.Index) -> tantivy.Index:
    analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
                .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES)).build())
    index.register_tokenizer(TOKENIZER, analyzer)
    return index


def exists(where: Path) -> bool:
    return (Path(where) / "meta.json").is_file()


def open_index(where: Path, create: bool = False) -> tantivy.Index:
    """The tantivy index in `where`; created (empty, committed) when `create` is set."""
    where = Path(where)
    if not exists(where):
        if not create:
            raise BudgetSearchError(f"{where}: no index here; run `budgetsearch index` first")
        where.mkdir(parents=True, exist_ok=True)
        return _register(tantivy.Index(SCHEMA, path=str(where), reuse=False))
    try:
        return _register(tantivy.Index.open(str(where)))
    except ValueError as exc:
        raise BudgetSearchError(f"{where}: cannot open the index ({exc})") from None


def commit_generation(where: Path) -> int | None:
    """The opstamp of the last commit (tantivy's meta.json), None without an index."""
    try:
        return int(json.loads((Path(where) / "meta.json").read_text(encoding="utf-8"))["opstamp"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


# ---------------------------------------------------------------------------------------
# Writing


def encode_stored(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records with their stored fields encoded as the engine keeps them. Done where
    the records are built (an index worker): the writing process then receives bytes, where
    unpickling the nested hits and facts cost it 3 ms a document of its one core's time."""
    for record in records:
        for name in STORED_FIELDS:
            value = record.get(name)
            if value is not None and not isinstance(value, bytes):
                record[name] = _encoded(name, value)
    return records


def _encoded(name: str, value: Any) -> bytes:
    raw = orjson.dumps(value)
    return zlib.compress(raw, COMPRESS_LEVEL) if name in COMPRESSED_FIELDS else raw


def _document(record: dict[str, Any]) -> tantivy.Document:
    doc = tantivy.Document()
    for name, value in record.items():
        if value is None or value == "":
            continue
        if name in STORED_FIELDS:
            doc.add_bytes(name, value if isinstance(value, bytes) else _encoded(name, value))
        elif name in ("year", "seq", "doc_no"):
            doc.add_integer(name, int(value))
        elif name == "amount":
            doc.add_float(name, float(value))
        else:
            doc.add_text(name, value)
    return doc


class Writer:
    """The one writer of an index: records added and deleted become visible together at
    `commit()`; leaving without a commit (an error, a kill) drops them."""

    def __init__(self, where: Path) -> None:
        self.where = Path(where)
        try:
            self.where.mkdir(parents=True, exist_ok=True)
            self.index = open_index(where, create=True)
            self.writer = self.index.writer(WRITER_HEAP_BYTES, WRITER_THREADS)
        except (OSError, ValueError) as exc:
            raise self._failed(exc) from None

    def _failed(self, exc: Exception) -> BudgetSearchError:
        """The engine's error (a full disk, a read-only folder) as one line naming it."""
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        try:
            free = shutil.disk_usage(self.where).free
        except OSError:
            free = LOW_DISK_BYTES
        if free < LOW_DISK_BYTES:
            reason = f"the disk is full, {free // 2**20} MB free; {reason}"
        return BudgetSearchError(f"{self.where}: cannot write the index ({reason})")

    def add(self, records: Iterable[dict[str, Any]]) -> None:
        try:
            for record in records:
                self.writer.add_document(_document(record))
        except ValueError as exc:
            raise self._failed(exc) from None

    def delete(self, path_key: str) -> None:
        """Every record of the file at `path_key`, whichever run wrote them."""
        try:
            self.writer.delete_documents_by_term("path_key", path_key)
        except ValueError as exc:
            raise self._failed(exc) from None

    def commit(self) -> None:
        try:
            self.writer.commit()
            self.writer.garbage_collect_files()  # files of failed or replaced writes
            self.writer.wait_merging_threads()
        except ValueError as exc:
            raise self._failed(exc) from None

    def rollback(self) -> None:
        """Drop what was added since the last commit, and the files written for it (on a
        full disk they would keep it full). The first error is the one reported."""
        try:
            self.writer.rollback()
            self.writer.garbage_collect_files()
            return
        except ValueError:
            pass
        # A writer stopped by an error (a full disk) cannot roll back: dropped, it frees the
        # lock, and a fresh one removes the files the failed write left.
        self.writer = None
        try:
            self.index.writer(CLEANUP_HEAP_BYTES, 1).garbage_collect_files()
        except ValueError:
            pass  # the next run removes them at its commit


# ---------------------------------------------------------------------------------------
# Reading

# tantivy lets go of the interpreter while it searches, so the parts of one request (the
# page of hits, the aggregation, the 命中位置 sums) run side by side on the machine's cores.
# A call run on these threads never waits for another one run on them (no deadlock).
PARALLEL_THREADS = 8
_parallel = ThreadPoolExecutor(PARALLEL_THREADS, thread_name_prefix="budgetsearch-search")


def concurrently(*calls: Callable[[], Any]) -> list[Any]:
    """The results of `calls`, the first run on this thread and the others beside it; the
    first error met is raised here."""
    pending = [_parallel.submit(call) for call in calls[1:]]
    first = calls[0]()
    return [first, *(p.result() for p in pending)]


@dataclass
class Outcome:
    total: int
    hits: list[tuple[float, Any]]  # (score or sort value, address), the requested page
    counts: dict[str, int] = field(default_factory=dict)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    amount_sum: float | None = None


class Reader:
    """An index opened for searching; `snapshot()` is the last commit, renewed as commits
    land (a snapshot keeps the files of its commit readable while it is in use).

    tantivy takes a lock file in the index folder even to read; in a folder we cannot
    write (a read-only mount, another user's index) the index is opened through a private
    folder of links to its files instead, renewed with each commit."""

    def __init__(self, where: Path) -> None:
        self.where = Path(where)
        self.lock = threading.Lock()
        self.links: Path | None = None
        self.generation = commit_generation(self.where)
        self.index = self._open()
        self._snapshot = Snapshot(self.index.searcher())

    def _open(self) -> tantivy.Index:
        if self.links is None:
            try:
                return open_index(self.where)
            except BudgetSearchError as exc:
                if "Lockfile" not in str(exc):
                    raise
        return open_index(self._link_files())

    def _link_files(self) -> Path:
        if self.links is None:
            self.links = Path(tempfile.mkdtemp(prefix="budgetsearch-readonly-"))
            atexit.register(shutil.rmtree, self.links, True)
        for old in self.links.iterdir():
            old.unlink()
        for path in self.where.iterdir():
            if not path.name.startswith("."):  # tantivy's own lock files
                (self.links / path.name).symlink_to(path)
        return self.links

    def snapshot(self) -> "Snapshot":
        generation = commit_generation(self.where)
        with self.lock:
            if generation != self.generation:
                self.generation = generation
                if self.links is not None:
                    self.index = self._open()
                else:
                    self.index.reload()
                self._snapshot = Snapshot(self.index.searcher())
            return self._snapshot


class Snapshot:
    def __init__(self, searcher: tantivy.Searcher) -> None:
        self.searcher = searcher
        self.documents_read: OrderedDict[str, dict] = OrderedDict()  # doc_id -> its hit
        self.read_lock = threading.Lock()

    def search(self, query: tantivy.Query, filters: dict[str, Filter], rtype: str,
               sort: str = "relevance", offset: int = 0, limit: int = 20,
               facets: bool = True, page_query: tantivy.Query | None = None) -> Outcome:
        """`query` restricted by every filter and to records of `rtype`: one page of hits,
        and (with `facets`) the counts of every record type, the facets and the amount sum.
        `page_query`, if given, is `query` as it matches among records of `rtype` alone."""
        of_type = type_filter(rtype)
        if any(f.types is not None and rtype not in f.types for f in filters.values()):
            return self._none_of_type(query, filters, facets)
        page_query = _restrict(page_query or query,
                               [f.query for f in (*filters.values(), of_type)])
        kwargs: dict[str, Any] = {}
        if sort != "relevance":
            kwargs["order_by_field"] = sort.lstrip("-")
            kwargs["order"] = tantivy.Order.Desc if sort.startswith("-") else tantivy.Order.Asc
        # With facets the total comes from the aggregation, and the page search need not
        # count: it may then skip the matches that cannot reach the page.
        def page() -> Any:
            return self.searcher.search(page_query, limit, count=not facets, offset=offset,
                                        **kwargs)

        if not facets:
            result = page()
            return Outcome(total=result.count or 0, hits=list(result.hits))
        result, found = concurrently(page, lambda: self._aggregate(query, filters, of_type,
                                                                    rtype))
        outcome = Outcome(total=0, hits=list(result.hits))
        self._read_aggregation(outcome, found, filters, rtype)
        return outcome

    def _none_of_type(self, query: tantivy.Query, filters: dict[str, Filter],
                      facets: bool) -> Outcome:
        """A search whose filters let no record of its type through: no hits, no facets,
        and (with `facets`) the other tabs' counts and the amount sum."""
        outcome = Outcome(total=0, hits=[])
        if facets:
            found = self.searcher.aggregate(query, {"tabs": self._tabs(filters)})
            self._read_tabs(outcome, found)
            outcome.facets = {name: {} for name in FACET_FIELDS}
        return outcome

    def _aggregate(self, query, filters: dict[str, Filter], of_type: Filter,
                   rtype: str) -> dict[str, Any]:
        """Tab counts, amount sum and facets in one pass over the query's matches: each a
        filter aggregation (a facet with a filter of its own counted without it)."""
        carried = _carried(rtype)
        free = [name for name in carried if name not in filters]
        request = {"tabs": self._tabs(filters),
                   "free": _within([*filters.values(), of_type], _terms(free))}
        for name in carried:
            if name in filters:
                others = [f for other, f in filters.items() if other != name]
                request[name] = _within([*others, of_type], _terms([name]))
        return self.searcher.aggregate(query, request)

    @staticmethod
    def _tabs(filters: dict[str, Filter]) -> dict[str, Any]:
        """The count of each record type and the sum of the projects' amounts."""
        tabs = {"terms": {"field": "rtype", "size": len(RECORD_TYPES) + 1},
                "aggs": {"known": {"range": {"field": "amount", "ranges": [{"from": 0}]},
                                   "aggs": {"sum": {"sum": {"field": "amount"}}}}}}
        return _within(list(filters.values()), {"tabs": tabs})

    def _read_aggregation(self, outcome: Outcome, found: dict[str, Any],
                          filters: dict[str, Filter], rtype: str) -> None:
        self._read_tabs(outcome, found)
        outcome.total = found["free"]["doc_count"]
        outcome.facets = {name: {} for name in FACET_FIELDS}
        for name in _carried(rtype):
            counted = found[name if name in filters else "free"][name]
            outcome.facets[name] = {str(b["key"]): b["doc_count"] for b in counted["buckets"]}

    @staticmethod
    def _read_tabs(outcome: Outcome, found: dict[str, Any]) -> None:
        outcome.counts = {t: 0 for t in RECORD_TYPES}
        outcome.amount_sum = 0.0
        for bucket in found["tabs"]["tabs"]["buckets"]:
            outcome.counts[bucket["key"]] = bucket["doc_count"]
            if bucket["key"] == "project":
                total = sum(b["sum"]["value"] or 0.0 for b in bucket["known"]["buckets"]
                            if b.get("from") == 0)
                outcome.amount_sum = round(total, 2)

    def count_and_sum(self, query: tantivy.Query, filters: list[Filter]) -> tuple[int, float]:
        """How many records match `query` and every filter, and the sum of their amounts
        (records without an amount, or below zero, add nothing), rounded to the fen."""
        request = {"all": _within(filters, {"known": {
            "range": {"field": "amount", "ranges": [{"from": 0}]},
            "aggs": {"sum": {"sum": {"field": "amount"}}}}})}
        found = self.searcher.aggregate(query, request)["all"]
        total = sum(b["sum"]["value"] or 0.0 for b in found["known"]["buckets"]
                    if b.get("from") == 0)
        return found["doc_count"], round(total, 2)

    def matching(self, query: tantivy.Query, rtype: str, doc_ids: list[str]
                 ) -> set[tuple[int, int]]:
        """The records of type `rtype` of documents `doc_ids` that match `query`, as
        (segment, doc) pairs (to tell which hits of a page also match it)."""
        if not doc_ids:
            return set()
        within = _of_documents(query, rtype, doc_ids)
        return {(a.segment_ord, a.doc) for a in self.all_addresses(within)}

    def stored(self, address: Any, name: str = "hit") -> dict[str, Any] | None:
        raw = self.searcher.doc(address).get_first(name)
        if raw is None:
            return None
        raw = bytes(raw)
        return orjson.loads(zlib.decompress(raw) if name in COMPRESSED_FIELDS else raw)

    def document_hit(self, doc_id: str) -> dict[str, Any]:
        """A document's stored hit (what its passages' hits borrow); the last
        DOCUMENTS_KEPT documents read are kept."""
        with self.read_lock:
            if doc_id in self.documents_read:
                self.documents_read.move_to_end(doc_id)
                return self.documents_read[doc_id]
        address = self.first(term("rid", doc_id))
        hit = (self.stored(address) or {}) if address is not None else {}
        with self.read_lock:
            self.documents_read[doc_id] = hit
            while len(self.documents_read) > DOCUMENTS_KEPT:
                self.documents_read.popitem(last=False)
        return hit

    def first(self, query: tantivy.Query) -> Any | None:
        hits = self.searcher.search(query, 1, count=False).hits
        return hits[0][1] if hits else None

    def best_per_document(self, query: tantivy.Query, rtype: str, doc_ids: list[str],
                          limit: int) -> dict[str, Any]:
        """For each document, its best-scoring record of type `rtype` matching `query` (ties
        going to the record that comes first in the document), from one search over them all."""
        within = _of_documents(query, rtype, doc_ids)
        hits = self.searcher.search(within, limit, count=False).hits
        if not hits:
            return {}
        addresses = [address for _, address in hits]
        numbers = self.searcher.fast_field_values("doc_no", addresses)
        seqs = self.searcher.fast_field_values("seq", addresses)
        best: dict[int, tuple[float, int, Any]] = {}
        for (score, address), number, seq in zip(hits, numbers, seqs):
            key = (-score, seq)
            if number not in best or key < best[number][:2]:
                best[number] = (-score, seq, address)
        return {doc_id: best[doc_number(doc_id)][2] for doc_id in doc_ids
                if doc_number(doc_id) in best}

    def all_addresses(self, query: tantivy.Query) -> list[Any]:
        count = self.searcher.search(query, 1, count=True).count
        if not count:
            return []
        return [a for _, a in self.searcher.search(query, count, count=False).hits]

    def documents(self, name: str = "hit") -> Iterator[dict[str, Any]]:
        """The stored `name` of every document record."""
        for address in self.all_addresses(term("rtype", "document")):
            stored = self.stored(address, name)
            if stored is not None:
                yield stored


def _of_documents(query: tantivy.Query, rtype: str, doc_ids: list[str]) -> tantivy.Query:
    """`query` within the records of type `rtype` of a few documents. The restrictions sit
    beside the query in one clause list: nested one level deeper (query and type, then the
    documents) the engine walked every match of the query (29 ms against 0.4 ms)."""
    return boolean(must=[query, type_filter(rtype).query,
                         unscored(any_of("doc_id", sorted(set(doc_ids))))])


def _carried(rtype: str) -> list[str]:
    """The facets records of `rtype` have (the others are not counted for it)."""
    return [name for name in FACET_FIELDS if name not in NOT_CARRIED.get(rtype, ())]


def _terms(names: list[str]) -> dict[str, Any]:
    return {name: {"terms": {"field": name, "size": MAX_FACET_VALUES}} for name in names}


def _within(filters: list[Filter], aggs: dict[str, Any]) -> dict[str, Any]:
    """`aggs` over the matches that pass every filter (a filter aggregation)."""
    if not filters:
        return {"filter": "*", "aggs": aggs}
    return {"filter": " AND ".join(f"({f.text})" for f in filters), "aggs": aggs}



def _restrict(query: tantivy.Query, filters: Iterable[tantivy.Query]) -> tantivy.Query:
    filters = list(filters)
    if not filters:
        return query
    return boolean(must=[query, *filters])

