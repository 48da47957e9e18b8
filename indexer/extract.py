"""Stage 4: structured facts from lines and tables (work in progress)."""
from __future__ import annotations

from indexer.models import DocumentFacts, Line, Region, SourceDocument, Table, Totals


def extract_facts(source: SourceDocument, lines: list[Line], tables: list[Table]) -> DocumentFacts:
    title = next((line.text.strip() for line in lines if line.text.strip()), "")
    return DocumentFacts(source=source.path, title=title, department=None, department_raw=None,
                         region=Region(), year=None, kind=None, unit="万元", totals=Totals(),
                         format=source.format)
