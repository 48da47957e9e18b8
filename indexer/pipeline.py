"""The whole read side of one file: load -> normalize -> tables -> extract.

The CLI, the indexer and the web viewer all call `parse_file`, so a document is read the
same way wherever its facts are shown.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from budgetsearch.indexer.extract import extract_facts
from budgetsearch.indexer.load import load
from budgetsearch.indexer.models import BudgetSearchError, DocumentFacts, Line, SourceDocument, Table
from budgetsearch.indexer.normalize import normalize_lines
from budgetsearch.indexer.tables import find_tables


# A file that takes longer than this to read is given up (pathological PDFs can keep
# pdfminer busy for hours); real disclosures take well under 10 s.
PARSE_TIME_LIMIT_S = 300.0


class _OutOfTime(Exception):
    pass


@contextmanager
def time_limit(seconds: float, path: str | Path) -> Iterator[None]:
    """Raise BudgetSearchError naming `path` if the block runs longer than `seconds`.
    Works in a process's main thread (the CLI and the index workers); elsewhere, as in
    the web server's request threads, the block runs unlimited."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _OutOfTime:
        raise BudgetSearchError(
            f"{path}: still not read after {seconds:g} s (a pathological file?); skipped"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


@dataclass
class ParsedDocument:
    source: SourceDocument
    lines: list[Line]  # normalized, same numbering as source.lines
    tables: list[Table]
    facts: DocumentFacts


def parse_file(path: str | Path, display_path: str | None = None) -> ParsedDocument:
    """Read and interpret one file; raises BudgetSearchError naming it on bad input or
    when it takes longer than PARSE_TIME_LIMIT_S."""
    with time_limit(PARSE_TIME_LIMIT_S, display_path or path):
        source = load(path)
        if display_path is not None:
            source.path = display_path
        lines = normalize_lines(source.lines)
        tables = find_tables(lines)
        facts = extract_facts(source, lines, tables)
    return ParsedDocument(source=source, lines=lines, tables=tables, facts=facts)


def extract_file(path: str | Path, display_path: str | None = None) -> DocumentFacts:
    return parse_file(path, display_path).facts
