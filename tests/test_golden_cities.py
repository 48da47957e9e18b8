"""`extract` against golden facts read by hand from 32 disclosures of the cities corpus.

The documents are read from corpus/cities/, where the bundled corpus holds all of them (the
labels are checked against ../shared/realdocs/cities, beside the clone). The first tests check
the golden data against the documents themselves (each value printed on its page, each
document's own arithmetic); the rest compare `indexer.pipeline.extract_file` with it, one test
per fact, so each fact passes or fails on its own.

KNOWN_GAPS lists the facts today's extractor gets wrong. They are strict xfails: a fact that
starts to pass turns XPASS and fails the run until it is removed from KNOWN_GAPS.
"""
from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest

from budgetsearch.indexer.models import DocumentFacts
from budgetsearch.indexer.normalize import normalize_text
from budgetsearch.indexer.pipeline import extract_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_cities import CITY_DOCS, GOLDEN_CITIES  # noqa: E402

CITIES = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "cities"
BUNDLED = Path(__file__).resolve().parents[1] / "corpus" / "cities"
LABELS = Path(__file__).resolve().parents[1] / "bench" / "realdocs_labels.tsv"
TOLERANCE = 0.005  # amounts are printed to the cent (万元) or to the yuan (元 tables)
ROUNDING = 0.011  # a document's own sums may be a cent off: its tables say so (尾差)
TOTAL_FIELDS = ("income_total", "expenditure_total", "basic", "project", "sangong")


# (document, fact) -> why today's extractor fails it. Facts are "is_budget", "department",
# "region", "year", "kind", a total field, "project_count" or "project:NAME".
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def canon(text: str | None) -> str:
    return re.sub(r"\s+", "", normalize_text(text or ""))


@functools.lru_cache(maxsize=None)
def facts_for(doc: str) -> DocumentFacts:
    return extract_file(BUNDLED / doc)


@functools.lru_cache(maxsize=None)
def page_texts(doc: str) -> tuple[str, ...]:
    """Each page's text without whitespace; an HTML page is one page."""
    path = BUNDLED / doc
    if path.read_bytes()[:5] != b"%PDF-":
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_bytes(), "lxml")
        return (re.sub(r"\s+", "", soup.get_text()),)
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return tuple(re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range())
                     for i in range(len(pdf)))
    finally:
        pdf.close()


def facts_of(doc: str) -> list[str]:
    g = GOLDEN_CITIES[doc]
    return (["is_budget", "department", "region", "year", "kind"] + list(g["totals"]) + ["project_count"]
            + [f"project:{p['name']}" for p in g["projects"]])


def _case(doc: str, fact: str):
    reason = KNOWN_GAPS.get((doc, fact))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(doc, fact, id=f"{doc}:{fact}", marks=marks)


FACT_CASES = [_case(doc, fact) for doc in CITY_DOCS for fact in facts_of(doc)]
EVIDENCE_CASES = [pytest.param(doc, field, page, printed, id=f"{doc}:{field}:{page}:{printed}")
                  for doc in CITY_DOCS
                  for field, places in GOLDEN_CITIES[doc]["evidence"].items()
                  for page, printed in places]


# --- the golden data against the documents ---------------------------------------------------

def test_golden_covers_the_brief():
    docs = GOLDEN_CITIES.values()
    assert len(GOLDEN_CITIES) >= 30
    assert len({d["region"]["city"] for d in docs}) == 7  # every city of the corpus with budgets
    assert any(doc.endswith(".html") for doc in GOLDEN_CITIES)
    assert sum(1 for d in docs if d["project_count"]) >= 10


def test_the_bundled_copies_are_the_corpus_files():
    """corpus/cities holds each golden document byte for byte as the crawler saved it."""
    for doc in GOLDEN_CITIES:
        assert (BUNDLED / doc).is_file(), doc
        if CITIES.is_dir():
            assert (BUNDLED / doc).read_bytes() == (CITIES / doc).read_bytes(), doc


@pytest.mark.skipif(not CITIES.is_dir(), reason=f"{CITIES} not present")
def test_labels_cover_the_corpus():
    """bench/realdocs_labels.tsv labels every file once, and agrees with the golden data."""
    import csv

    with LABELS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    paths = [r["path"] for r in rows]
    files = sorted(str(p.relative_to(CITIES)) for p in CITIES.rglob("*")
                   if p.is_file() and p.name != "README.md")
    assert sorted(paths) == files
    for r in rows:
        assert r["is_budget"] in ("0", "1") and r["lists_projects"] in ("0", "1"), r
        assert (r["kind"] in ("预算", "决算")) == (r["is_budget"] == "1"), r
        assert r["lists_projects"] == "0" or r["is_budget"] == "1", r
    labels = {r["path"]: r for r in rows}
    for doc, g in GOLDEN_CITIES.items():
        assert labels[doc]["is_budget"] == "1" and labels[doc]["kind"] == g["kind"], doc
        assert (labels[doc]["lists_projects"] == "1") == bool(g["project_count"]), doc


def test_known_gaps_name_existing_facts():
    cases = {(doc, fact) for doc in CITY_DOCS for fact in facts_of(doc)}
    assert set(KNOWN_GAPS) <= cases, sorted(set(KNOWN_GAPS) - cases)


@pytest.mark.parametrize("doc, field, page, printed", EVIDENCE_CASES)
def test_golden_value_printed_on_page(doc, field, page, printed):
    texts = page_texts(doc)
    text = texts[0] if page is None else texts[page - 1]
    assert re.sub(r"\s+", "", printed) in text


@pytest.mark.parametrize("doc", CITY_DOCS)
def test_golden_project_amounts_printed(doc):
    texts = page_texts(doc)
    for p in GOLDEN_CITIES[doc]["projects"]:
        yuan = GOLDEN_CITIES[doc]["region"]["city"] == "上海市"
        printed = f"{round(p['amount'] * 10000):,}" if yuan else f"{p['amount']:,.2f}"
        assert printed in texts[p["page"] - 1], (p["name"], printed, p["page"])


@pytest.mark.parametrize("doc", CITY_DOCS)
def test_golden_department_and_year_printed(doc):
    g = GOLDEN_CITIES[doc]
    text = "".join(page_texts(doc))
    assert any(canon(form) in text for form in [g["department"], *g["department_forms"]])
    assert str(g["year"]) in text


@pytest.mark.parametrize("doc", CITY_DOCS)
def test_golden_totals_reconcile(doc):
    """The document's own arithmetic: 收入总计 = 支出总计, 基本 + 项目 = 支出合计."""
    t = GOLDEN_CITIES[doc]["totals"]
    if "income_total" in t and "expenditure_total" in t:
        assert abs(t["income_total"] - t["expenditure_total"]) <= TOLERANCE
    if {"basic", "project", "expenditure_total"} <= set(t):
        assert abs(t["basic"] + t["project"] - t["expenditure_total"]) <= ROUNDING


# --- extract against the golden data ----------------------------------------------------------

def _check(doc: str, fact: str) -> None:
    g, f = GOLDEN_CITIES[doc], facts_for(doc)
    if fact == "is_budget":
        assert f.is_budget, "not read as a budget"
    elif fact == "department":
        forms = {canon(x) for x in [g["department"], *g["department_forms"]]}
        assert canon(f.department) in forms, f"department {f.department!r}"
    elif fact == "region":
        found = {"province": f.region.province, "city": f.region.city, "county": f.region.county}
        assert found == g["region"]
    elif fact in ("year", "kind"):
        assert getattr(f, fact) == g[fact]
    elif fact in TOTAL_FIELDS:
        found, expected = getattr(f.totals, fact), g["totals"][fact]
        assert found is not None, f"{fact} not extracted (expected {expected})"
        assert abs(found - expected) <= TOLERANCE, f"{fact}: {found} != {expected}"
    elif fact == "project_count":
        assert len(f.projects) == g["project_count"], \
            f"{len(f.projects)} projects found, {g['project_count']} printed"
    else:
        name = fact.removeprefix("project:")
        expected = next(p for p in g["projects"] if p["name"] == name)
        same_name = [p for p in f.projects if canon(p.name) == canon(name)]
        assert same_name, f"project {name!r} not found"
        assert any(p.amount is not None and abs(p.amount - expected["amount"]) <= TOLERANCE
                   for p in same_name), [p.amount for p in same_name]


@pytest.mark.parametrize("doc, fact", FACT_CASES)
def test_fact(doc, fact):
    _check(doc, fact)

