"""`budgetsearch serve`: bring the index up to date with the corpus, then serve the app.

A new user runs one command over the bundled corpus: the first run builds the index, later
runs only re-index files that changed (the index layer skips the rest and says so). The
index remembers where its files are (absolute paths), so `serve --index-dir X` works from
any folder: without --corpus an index that is not of ./corpus is served as it is; a
--corpus that is not what the index holds is refused with a message rather than mixed in.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from budgetsearch.indexer.models import BudgetSearchError

# Request threads. Searches hold the GIL outside tantivy, so past about twice the cores more
# threads only contend (bench_load on 2 cores, 12345热线 at 8 clients: 8 threads 123-176 req/s,
# p99 80-113 ms; 4 threads 167 req/s, p99 75 ms); 4 still keeps two slow CSV downloads from
# stalling every search.
SERVER_THREADS = 4

DEFAULT_CORPUS = Path("corpus")  # the bundled corpus, when serve runs in the project folder


def corpus_to_update(index_dir: Path, corpus_dir: Path | None) -> Path | None:
    """The folder to bring the index up to date with before serving, None to serve the
    index as it is; a --corpus other than what the index holds is refused."""
    from budgetsearch.indexer.index import index_exists, indexed_sources

    sources = list(indexed_sources(index_dir).values()) if index_exists(index_dir) else []
    if corpus_dir is None:
        if not index_exists(index_dir) or _holds(sources, DEFAULT_CORPUS):
            if not DEFAULT_CORPUS.is_dir():
                raise BudgetSearchError(
                    f"{index_dir}: no index here, and no {DEFAULT_CORPUS}/ folder in "
                    f"{Path.cwd()}: give --corpus DIR")
            return DEFAULT_CORPUS
        print(f"budgetsearch: serving the index in {index_dir}/ as it is ({len(sources)} "
              f"documents under {_root(sources)}); give --corpus DIR to update it first",
              file=sys.stderr)
        return None
    if not corpus_dir.is_dir():
        raise BudgetSearchError(f"{corpus_dir}: corpus directory not found")
    if sources and not _holds(sources, corpus_dir):
        raise BudgetSearchError(
            f"{index_dir}: this index holds the documents under {_root(sources)}, not "
            f"{corpus_dir.resolve()}: serve that folder with an --index-dir of its own, or "
            f"add it to this index with `budgetsearch index {corpus_dir} --index-dir "
            f"{index_dir}`")
    return corpus_dir


def _holds(sources: list[str], folder: Path) -> bool:
    root = folder.resolve()
    return any(Path(key).is_relative_to(root) for key in sources)


def _root(sources: list[str]) -> str:
    if not sources:
        return "no folder yet"
    return os.path.commonpath([str(Path(key).parent) for key in sources])


def prepare_index(index_dir: Path, corpus_dir: Path, progress: bool = False) -> list[str]:
    """Build or update the index from the corpus, reporting what happened on stderr.

    Returns the files that could not be indexed, one "path: cause" each, for the home page.
    """
    from budgetsearch.indexer.index import update_index
    from budgetsearch.search.render import printable
    from budgetsearch.web.cli import failed_lines

    if not corpus_dir.is_dir():
        raise BudgetSearchError(f"{corpus_dir}: corpus directory not found")
    action = "updating" if index_dir.exists() else "building"
    print(f"budgetsearch: {action} the index of {corpus_dir}/ in {index_dir}/", file=sys.stderr)
    summary = update_index([corpus_dir], index_dir, progress=progress)
    describe = getattr(summary, "describe", None)
    if callable(describe):
        print(printable(describe()), file=sys.stderr)
    errors = [str(e) for e in getattr(summary, "errors", None) or []]
    for line in failed_lines(errors):
        print(printable(line), file=sys.stderr)
    return errors


def serve(index_dir: Path, corpus_dir: Path | None = None, host: str = "127.0.0.1",
          port: int = 5000, threads: int | None = None, progress: bool = False) -> None:
    """Serve the web interface with waitress until interrupted."""
    from waitress import create_server

    from budgetsearch.web.app import create_app

    index_dir = Path(index_dir)
    corpus_dir = corpus_to_update(index_dir, Path(corpus_dir) if corpus_dir else None)
    errors: list[str] = []
    try:
        if corpus_dir is not None:
            errors = prepare_index(index_dir, corpus_dir, progress)
    except BudgetSearchError as exc:
        from budgetsearch.indexer.index import index_exists

        if not index_exists(index_dir):
            raise
        # A read-only or busy index is still served as last committed.
        print(f"budgetsearch: {exc}; serving the index as it is", file=sys.stderr)
    app = create_app(index_dir=index_dir, corpus_dir=corpus_dir or DEFAULT_CORPUS,
                     index_errors=errors)
    try:
        server = create_server(app, host=host, port=port, threads=threads or SERVER_THREADS)
    except OSError as exc:
        raise BudgetSearchError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    shown = f"[{host}]" if ":" in host else host
    print(f"budgetsearch: serving http://{shown}:{server.effective_port}/  (Ctrl+C to stop)",
          flush=True)
    server.run()
