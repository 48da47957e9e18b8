"""`budgetsearch serve`: bring the index up to date with the corpus, then serve the app.

A new user runs one command over the bundled corpus: the first run builds the index, later
runs only re-index files that changed (the index layer skips the rest and says so).
"""
from __future__ import annotations

import sys
from pathlib import Path

from budgetsearch.indexer.models import BudgetSearchError


def prepare_index(index_dir: Path, corpus_dir: Path) -> None:
    """Build or update the index from the corpus, reporting what happened on stderr."""
    from budgetsearch.indexer.index import update_index

    if not corpus_dir.is_dir():
        raise BudgetSearchError(f"{corpus_dir}: corpus directory not found")
    action = "updating" if index_dir.exists() else "building"
    print(f"budgetsearch: {action} the index of {corpus_dir}/ in {index_dir}/", file=sys.stderr)
    summary = update_index([corpus_dir], index_dir, progress=True)
    describe = getattr(summary, "describe", None)
    if callable(describe):
        print(describe(), file=sys.stderr)


def serve(index_dir: Path, corpus_dir: Path, host: str = "127.0.0.1", port: int = 5000,
          threads: int = 8) -> None:
    """Serve the web interface with waitress until interrupted."""
    from waitress import create_server

    from budgetsearch.web.app import create_app

    index_dir, corpus_dir = Path(index_dir), Path(corpus_dir)
    try:
        prepare_index(index_dir, corpus_dir)
    except BudgetSearchError as exc:
        from budgetsearch.indexer.index import index_exists

        if not index_exists(index_dir):
            raise
        # A read-only or busy index is still served as last committed.
        print(f"budgetsearch: {exc}; serving the index as it is", file=sys.stderr)
    app = create_app(index_dir=index_dir, corpus_dir=corpus_dir)
    try:
        server = create_server(app, host=host, port=port, threads=threads)
    except OSError as exc:
        raise BudgetSearchError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    shown = f"[{host}]" if ":" in host else host
    print(f"budgetsearch: serving http://{shown}:{server.effective_port}/  (Ctrl+C to stop)",
          flush=True)
    server.run()
