"""`extract` against the golden facts read by hand from the four Jiangsu PDFs.

The PDFs are read from corpus/ (where the project bundles them) or, failing that, from
../shared/realdocs/. The first tests check the golden data against the PDFs' own page text
(pdfplumber); the rest compare `indexer.pipeline.extract_file` with it.
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
from golden_jiangsu import GOLDEN_JIANGSU, JIANGSU_DOCS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 0.005


def pdf_path(name: str) -> Path:
    bundled = ROOT / "corpus" / name
    return bundled if bundled.exists() else ROOT.parent / "shared" / "realdocs" / name


def canon(text: str | None) -> str:
    return re.sub(r"\s+", "", normalize_text(text or ""))


@functools.lru_cache(maxsize=None)
def facts_for(name: str) -> DocumentFacts:
    return extract_file(pdf_path(name))


@functools.lru_cache(maxsize=None)
def page_texts(name: str) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf_path(name)) as pdf:
        return [re.sub(r"\s+", "", page.extract_text() or "") for page in pdf.pages]


EVIDENCE_CASES = [(doc, field, page, printed) for doc in JIANGSU_DOCS
                  for field, places in GOLDEN_JIANGSU[doc]["evidence"].items()
                  for page, printed in places]
TOTAL_CASES = [(doc, field) for doc in JIANGSU_DOCS for field in GOLDEN_JIANGSU[doc]["totals"]]


# --- the golden data against the PDFs --------------------------------------------------------

@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_pdf_present(doc):
    assert pdf_path(doc).exists(), f"{doc} neither in corpus/ nor in ../shared/realdocs/"


@pytest.mark.parametrize("doc, field, page, printed", EVIDENCE_CASES)
def test_golden_value_printed_on_page(doc, field, page, printed):
    assert re.sub(r"\s+", "", printed) in page_texts(doc)[page - 1]


@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_golden_department_printed(doc):
    text = "".join(page_texts(doc))
    for form in GOLDEN_JIANGSU[doc]["department_raw_forms"]:
        assert form in text
    assert str(GOLDEN_JIANGSU[doc]["year"]) in text


@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_golden_totals_reconcile(doc):
    """Jiangsu budgets split expenditure three ways: 基本 + 项目 + 单位预留机动经费 = total."""
    g = GOLDEN_JIANGSU[doc]
    t = g["totals"]
    assert abs(t["income_total"] - t["expenditure_total"]) <= TOLERANCE
    assert abs(t["basic"] + t["project"] + g["reserve"] - t["expenditure_total"]) <= TOLERANCE


# --- extract against the golden data ---------------------------------------------------------

@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_department(doc):
    assert canon(facts_for(doc).department) == canon(GOLDEN_JIANGSU[doc]["department"])


@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_department_raw(doc):
    forms = {canon(f) for f in GOLDEN_JIANGSU[doc]["department_raw_forms"]}
    assert canon(facts_for(doc).department_raw) in forms


@pytest.mark.parametrize("doc, level", [(d, lv) for d in JIANGSU_DOCS
                                        for lv in ("province", "city", "county")])
def test_region(doc, level):
    assert getattr(facts_for(doc).region, level) == GOLDEN_JIANGSU[doc]["region"][level]


@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_year(doc):
    assert facts_for(doc).year == GOLDEN_JIANGSU[doc]["year"]


@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_kind(doc):
    assert facts_for(doc).kind == GOLDEN_JIANGSU[doc]["kind"]


@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_format_is_pdf(doc):
    assert facts_for(doc).format == "pdf"


@pytest.mark.parametrize("doc, field", TOTAL_CASES)
def test_total(doc, field):
    found = getattr(facts_for(doc).totals, field)
    expected = GOLDEN_JIANGSU[doc]["totals"][field]
    assert found is not None, f"{field} not extracted (expected {expected})"
    assert abs(found - expected) <= TOLERANCE, f"{field}: {found} != {expected}"


@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_income_total_evidence_page(doc):
    """The income total points back to a page where it is printed."""
    pages = {page for page, _ in GOLDEN_JIANGSU[doc]["evidence"]["income_total"]}
    found = [e for e in facts_for(doc).evidence if e.field == "income_total"]
    assert found, "no evidence recorded for income_total"
    assert any(e.page in pages for e in found), \
        f"evidence pages {[e.page for e in found]} not in {sorted(pages)}"


@pytest.mark.parametrize("doc", JIANGSU_DOCS)
def test_projects(doc):
    """None of the four lists projects with amounts; extract must not invent any."""
    golden = GOLDEN_JIANGSU[doc]["projects"]
    found = sorted((canon(p.name), round(p.amount or 0.0, 2)) for p in facts_for(doc).projects)
    expected = sorted((canon(p["name"]), round(p["amount"], 2)) for p in golden)
    assert found == expected
