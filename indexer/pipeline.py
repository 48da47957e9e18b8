"""The whole read side of one file: load -> normalize -> tables -> extract.

The CLI, the indexer and the web viewer all call `parse_file`, so a document is read the
same way wherever its facts are shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexer.extract import extract_facts
from indexer.load import load
from indexer.models import DocumentFacts, Line, SourceDocument, Table
from indexer.normalize import normalize_lines
from indexer.tables import find_tables


@dataclass
class ParsedDocument:
    source: SourceDocument
    lines: list[Line]  # normalized, same numbering as source.lines
    tables: list[Table]
    facts: DocumentFacts


def parse_file(path: str | Path, display_path: str | None = None) -> ParsedDocument:
    """Read and interpret one file; raises BudgetSearchError naming it on bad input."""
    source = load(path)
    if display_path is not None:
        source.path = display_path
    lines = normalize_lines(source.lines)
    tables = find_tables(lines)
    facts = extract_facts(source, lines, tables)
    return ParsedDocument(source=source, lines=lines, tables=tables, facts=facts)


def extract_file(path: str | Path, display_path: str | None = None) -> DocumentFacts:
    return parse_file(path, display_path).facts
