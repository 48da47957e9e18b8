"""What the web app reads: the index (through search/) and the corpus files (through the
pipeline), behind one small interface the tests can replace.

Documents are addressed by their index id only. The file behind an id is the one the index
read it from (an absolute, resolved path the index remembers), so an index is served from any
working directory; it is served only while that path still leads to that same file (a file
swapped for a symlink to elsewhere is refused). Without that record (a test's fake backend)
the stored path must resolve to a file inside the corpus directory.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from budgetsearch.indexer.models import Line


class InvalidQuery(ValueError):
    """The search layer refused the query or a filter value (answered with 400)."""


class NotInCorpus(LookupError):
    """An indexed path that does not resolve to a file inside the served corpus."""


class Backend(Protocol):
    def search(self, params: Mapping[str, Sequence[str]]) -> dict[str, Any]: ...

    def document(self, doc_id: str) -> dict[str, Any] | None: ...

    def documents(self) -> list[dict[str, Any]]: ...


class IndexBackend:
    """The real thing: search/engine.py over an index directory."""

    def __init__(self, index_dir: Path, documents_ttl: float = 5.0) -> None:
        self.index_dir = Path(index_dir)
        self._documents_ttl = documents_ttl
        self._documents: tuple[float, list[dict[str, Any]]] | None = None
        self._sources: tuple[int | None, dict[str, str]] | None = None
        self._lock = threading.Lock()

    def source(self, doc_id: str) -> str | None:
        """The absolute path of the file the index read `doc_id` from (None if unknown)."""
        from budgetsearch.indexer import engine
        from budgetsearch.indexer.index import indexed_sources

        generation = engine.commit_generation(self.index_dir / engine.TANTIVY_DIR)
        with self._lock:
            if self._sources is None or self._sources[0] != generation:
                self._sources = (generation, indexed_sources(self.index_dir))
            return self._sources[1].get(doc_id)

    def search(self, params: Mapping[str, Sequence[str]]) -> dict[str, Any]:
        from budgetsearch.search.engine import QueryError, SearchRequest, search

        try:
            request = SearchRequest.from_mapping({k: list(v) for k, v in params.items()})
            return search(self.index_dir, request)
        except QueryError as exc:
            raise InvalidQuery(str(exc)) from exc

    def document(self, doc_id: str) -> dict[str, Any] | None:
        from budgetsearch.search.engine import get_document

        return get_document(self.index_dir, doc_id)

    def documents(self) -> list[dict[str, Any]]:
        # The search page asks for the document list on every request (region tree); a short
        # cache keeps that cheap while an index update still shows within seconds.
        from budgetsearch.search.engine import list_documents

        with self._lock:
            now = time.monotonic()
            if self._documents and now - self._documents[0] < self._documents_ttl:
                return self._documents[1]
            docs = list(list_documents(self.index_dir))
            self._documents = (now, docs)
            return docs


# Hits asked for per call when every hit is wanted (the engine's largest page).
ALL_HITS_PAGE = 200


class AllHits:
    """Every hit of a search, page after page (CSV and compare need all rows, not one page).

    After iterating, `cut_note()` says why fewer rows came than the search counted: the
    row limit, or the index changing underneath (a re-index removed hits meanwhile).
    """

    def __init__(self, backend: Backend, params: Mapping[str, Sequence[str]],
                 limit: int | None = None, per_page: int = ALL_HITS_PAGE) -> None:
        self._backend = backend
        self._base = {k: list(v) for k, v in params.items() if k not in ("page", "per_page")}
        self.limit = limit
        self.per_page = per_page
        self.total: int | None = None  # as counted by the first page
        self.seen = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        page = 1
        while self.limit is None or self.seen < self.limit:
            result = self._backend.search({**self._base, "page": [str(page)],
                                           "per_page": [str(self.per_page)]})
            if self.total is None:
                self.total = int(result.get("total") or 0)
            hits = result.get("hits") or []
            if self.limit is not None:
                hits = hits[: self.limit - self.seen]
            self.seen += len(hits)
            yield from hits
            if not hits or self.seen >= int(result.get("total") or 0):
                return
            page += 1

    def cut_note(self) -> str | None:
        """None when every counted hit was given, else the reason, in Chinese."""
        total = self.total or 0
        if self.seen >= total:
            return None
        if self.limit is not None and self.seen >= self.limit:
            return (f"已截断：只取前 {self.seen} 行，共 {total} 行"
                    f"（单次上限 {self.limit} 行；请加筛选条件分批查看）")
        return (f"已截断：取到 {self.seen} 行，开始时共 {total} 行"
                f"（期间索引有更新，请重试）")


def iter_all_hits(backend: Backend, params: Mapping[str, Sequence[str]],
                  limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Every hit of a search (at most `limit`), page after page."""
    return iter(AllHits(backend, params, limit))


Parser = Callable[[Path], Any]


def _default_parser(path: Path) -> Any:
    from budgetsearch.indexer.pipeline import parse_file

    return parse_file(path)


class DocumentReader:
    """Numbered lines of corpus files for the viewer, parsed once per file version."""

    def __init__(self, corpus_dir: Path, parse: Parser | None = None, size: int = 16) -> None:
        self.corpus_dir = Path(corpus_dir).resolve()
        self._parse = parse or _default_parser
        self._cache: OrderedDict[tuple[str, int, int], Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def resolve(self, stored_path: str, indexed: str | None = None) -> Path:
        """The file of a document, or NotInCorpus: `indexed`, the absolute path the index
        read it from, while it still leads to that file; without it, the corpus file the
        stored path names.

        The index may store the path relative to where `index` ran (corpus/x.txt), relative to
        the corpus, or absolute; each reading is tried and must land inside the corpus.
        """
        if indexed is not None:
            return _indexed_file(indexed)
        if not stored_path or "\x00" in stored_path:
            raise NotInCorpus(stored_path)
        stored = Path(stored_path)
        candidates = [stored] if stored.is_absolute() else [
            Path.cwd() / stored, self.corpus_dir / stored,
            self.corpus_dir / Path(*stored.parts[1:]) if len(stored.parts) > 1 else None,
        ]
        for candidate in candidates:
            if candidate is None:
                continue
            resolved = candidate.resolve()
            if resolved.is_relative_to(self.corpus_dir) and resolved.is_file():
                return resolved
        raise NotInCorpus(stored_path)

    def parsed(self, stored_path: str, indexed: str | None = None) -> Any:
        """The pipeline's ParsedDocument of a document's file (cached by path, mtime, size)."""
        path = self.resolve(stored_path, indexed)
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        parsed = self._parse(path)
        with self._lock:
            self._cache[key] = parsed
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return parsed

    def lines(self, stored_path: str, indexed: str | None = None) -> list[Line]:
        """The source lines as loaded (original text, the numbering every fact points to)."""
        return list(self.parsed(stored_path, indexed).source.lines)


def _indexed_file(key: str) -> Path:
    """The file at `key` (resolved when indexed) if it is still that file: a path that now
    resolves elsewhere (a symlink put in its place) is not what was indexed."""
    path = Path(key)
    if "\x00" in key or not path.is_absolute():
        raise NotInCorpus(key)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise NotInCorpus(key) from None
    if real != path or not real.is_file():
        raise NotInCorpus(key)
    return real
