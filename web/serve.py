"""`budgetsearch serve`: bring the index up to date with the corpus, then serve the app.

A new user runs one command over the bundled corpus: the first run builds the index, later
runs only re-index files that changed (the index layer skips the rest and says so).
"""
from __future__ import annotations

import sys
from pathlib import Path

from budgetsearch.indexer.models import BudgetSearchError


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


def serve(index_dir: Path, corpus_dir: Path, host: str = "127.0.0.1", port: int = 5000,
          threads: int = 8, progress: bool = False) -> None:
    """Serve the web interface with waitress until interrupted."""
    from waitress import create_server

    from budgetsearch.web.app import create_app

    index_dir, corpus_dir = Path(index_dir), Path(corpus_dir)
    errors: list[str] = []
    try:
        errors = prepare_index(index_dir, corpus_dir, progress)
    except BudgetSearchError as exc:
        from budgetsearch.indexer.index import index_exists

        if not index_exists(index_dir):
            raise
        # A read-only or busy index is still served as last committed.
        print(f"budgetsearch: {exc}; serving the index as it is", file=sys.stderr)
    app = create_app(index_dir=index_dir, corpus_dir=corpus_dir, index_errors=errors)
    try:
        server = create_server(app, host=host, port=port, threads=threads)
    except OSError as exc:
        raise BudgetSearchError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    shown = f"[{host}]" if ":" in host else host
    print(f"budgetsearch: serving http://{shown}:{server.effective_port}/  (Ctrl+C to stop)",
          flush=True)
    server.run()
