"""`budgetsearch export --sqlite facts.db`: the extracted facts as SQLite tables.

Documents, projects, totals, line items and checks, linked by foreign keys, every amount
with the source line (and PDF page) it was read from, so the facts open in Datasette,
pandas or a spreadsheet and each number can still be traced to the document.

The files are read again through the pipeline (indexer/pipeline.extract_file), the same
reading the index stores, so the export does not depend on the index's storage format.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from budgetsearch.indexer.load import SUPPORTED_SUFFIXES
from budgetsearch.indexer.models import BudgetSearchError, DocumentFacts

SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    title TEXT, department TEXT, province TEXT, city TEXT, county TEXT, region_code TEXT,
    year INTEGER, kind TEXT, unit TEXT, format TEXT, is_budget INTEGER NOT NULL
);
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    name TEXT NOT NULL, amount REAL, type TEXT, code TEXT, unit_name TEXT,
    performance_name TEXT, performance_amount REAL,
    line INTEGER, line_end INTEGER, page INTEGER,
    performance_line INTEGER, performance_line_end INTEGER
);
CREATE TABLE totals (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    field TEXT NOT NULL, amount REAL NOT NULL, line INTEGER, page INTEGER,
    PRIMARY KEY (document_id, field)
);
CREATE TABLE line_items (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    name TEXT NOT NULL, amount REAL, category TEXT, table_title TEXT,
    line INTEGER, line_end INTEGER, page INTEGER
);
CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    rule TEXT NOT NULL, ok INTEGER NOT NULL, expected TEXT, found TEXT,
    lines TEXT, detail TEXT
);
CREATE INDEX projects_document ON projects(document_id);
CREATE INDEX line_items_document ON line_items(document_id);
CREATE INDEX checks_document ON checks(document_id);
"""


@dataclass
class ExportReport:
    path: Path
    documents: int = 0
    projects: int = 0
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (f"{self.path}: {self.documents} documents, {self.projects} projects written, "
                f"{len(self.errors)} errors")


def files_under(paths: Iterable[Path], errors: list[str]) -> list[Path]:
    """The supported files of `paths` (folders walked, hidden entries skipped), sorted."""
    found: list[Path] = []
    for given in paths:
        if given.is_dir():
            found.extend(p for p in sorted(given.rglob("*"))
                         if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                         and not any(part.startswith(".") for part in p.relative_to(given).parts))
        elif given.is_file():
            found.append(given)
        else:
            errors.append(f"{given}: no such file or folder")
    return found


def export_sqlite(paths: Iterable[Path], db_path: Path) -> ExportReport:
    """Read every file and write the database (a new file, moved into place when complete)."""
    from budgetsearch.indexer.pipeline import extract_file

    report = ExportReport(Path(db_path))
    files = files_under(paths, report.errors)
    tmp = Path(f"{db_path}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with sqlite3.connect(tmp) as db:
            db.executescript(SCHEMA)
            for path in files:
                try:
                    facts = extract_file(path)
                except BudgetSearchError as exc:
                    report.errors.append(str(exc))
                    continue
                except Exception as exc:  # one broken file never stops the export
                    report.errors.append(f"{path}: could not be parsed "
                                         f"({type(exc).__name__}: {exc})")
                    continue
                report.projects += write_document(db, str(path), facts)
                report.documents += 1
        db.close()
        os.replace(tmp, db_path)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BudgetSearchError(f"{db_path}: cannot write the database ({exc})") from exc
    return report


def write_document(db: sqlite3.Connection, path: str, facts: DocumentFacts) -> int:
    """Insert one document and its facts; returns the number of projects written."""
    region = facts.region
    cur = db.execute(
        "INSERT INTO documents (path, title, department, province, city, county, region_code,"
        " year, kind, unit, format, is_budget) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (path, facts.title, facts.department, region.province, region.city, region.county,
         region.code, facts.year, facts.kind, facts.unit, facts.format, int(facts.is_budget)))
    doc_id = cur.lastrowid
    for p in facts.projects:
        first = p.lines[0] if p.lines else (None, None)
        perf = p.lines[1] if len(p.lines) > 1 else (None, None)
        db.execute(
            "INSERT INTO projects (document_id, name, amount, type, code, unit_name,"
            " performance_name, performance_amount, line, line_end, page, performance_line,"
            " performance_line_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc_id, p.name, p.amount, p.type, p.code, p.unit_name, p.performance_name,
             p.performance_amount, first[0], first[1], p.page, perf[0], perf[1]))
    evidence = {e.field: e for e in facts.evidence}
    for name, value in vars(facts.totals).items():
        if value is None:
            continue
        where = evidence.get(name)
        db.execute("INSERT INTO totals VALUES (?,?,?,?,?)",
                   (doc_id, name, value, where.line if where else None,
                    where.page if where else None))
    for item in facts.line_items:
        db.execute(
            "INSERT INTO line_items (document_id, name, amount, category, table_title, line,"
            " line_end, page) VALUES (?,?,?,?,?,?,?,?)",
            (doc_id, item.name, item.amount, item.category, item.table, item.lines[0],
             item.lines[1], item.page))
    for c in facts.checks:
        db.execute(
            "INSERT INTO checks (document_id, rule, ok, expected, found, lines, detail)"
            " VALUES (?,?,?,?,?,?,?)",
            (doc_id, c.rule, int(c.ok), _text(c.expected), _text(c.found),
             ",".join(str(n) for n in c.lines), c.detail))
    return len(facts.projects)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
