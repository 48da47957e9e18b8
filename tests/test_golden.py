"""`extract` against the golden facts read by hand from the five seed documents.

One test per document and field, so a failure names exactly what is wrong. The first group
checks the golden data itself against the corpus text (cited lines hold the cited numbers,
projects add up); the rest compare `indexer.pipeline.extract_file` with it.
"""
from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest

from budgetsearch.indexer.models import DocumentFacts
from budgetsearch.indexer.normalize import normalize_text, parse_amount
from budgetsearch.indexer.pipeline import extract_file
sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden import (ANYANG, GOLDEN, HAS_PERFORMANCE_TABLE, LUOLONG, SEEDS,  # noqa: E402
                    TOTAL_FIELDS)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

TOLERANCE = 0.005


def canon(text: str | None) -> str:
    """Names compare after normalization with whitespace removed (spaces are conversion noise)."""
    return re.sub(r"\s+", "", normalize_text(text or ""))


@functools.lru_cache(maxsize=None)
def facts_for(name: str) -> DocumentFacts:
    return extract_file(CORPUS / name)


@functools.lru_cache(maxsize=None)
def corpus_lines(name: str) -> list[str]:
    text = (CORPUS / name).read_text(encoding="utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def line_text(name: str, no: int) -> str:
    return normalize_text(corpus_lines(name)[no - 1])


def line_amounts(name: str, no: int) -> list[float]:
    return [v for v in (parse_amount(c) for c in line_text(name, no).split("\t")) if v is not None]


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def match_projects(golden: list[dict], found: list) -> tuple[list[tuple[dict, object]], list, list]:
    """Pair golden projects with extracted ones by name and amount; return pairs and leftovers."""
    remaining = list(found)
    pairs, missing = [], []
    for g in golden:
        hit = next((p for p in remaining if canon(p.name) == canon(g["name"])
                    and p.amount is not None and abs(p.amount - g["amount"]) <= TOLERANCE), None)
        if hit is None:
            missing.append(g)
        else:
            remaining.remove(hit)
            pairs.append((g, hit))
    return pairs, missing, remaining


PROJECT_CASES = [(doc, i) for doc in SEEDS for i in range(len(GOLDEN[doc]["projects"]))]
PERF_NAME_CASES = [pytest.param(doc, p["name"], id=f"{doc.split('-')[0]}-{i}")
                   for doc in SEEDS for i, p in enumerate(GOLDEN[doc]["projects"])
                   if p.get("performance_name")]
AGREEING_CASES = [pytest.param(doc, p["name"], id=f"{doc.split('-')[0]}-{i}")
                  for doc in SEEDS if HAS_PERFORMANCE_TABLE[doc]
                  for i, p in enumerate(GOLDEN[doc]["projects"]) if not p.get("performance_name")]
DISAGREEMENT_CASES = [(doc, i) for doc in SEEDS
                      for i in range(len(GOLDEN[doc]["performance_disagreements"]))]


# --- the golden data against the documents ------------------------------------------------

@pytest.mark.parametrize("doc", SEEDS)
def test_golden_projects_add_up(doc):
    g = GOLDEN[doc]
    total = sum(p["amount"] for p in g["projects"])
    assert abs(total - g["totals"]["project"]) <= TOLERANCE


@pytest.mark.parametrize("doc", SEEDS)
def test_golden_totals_reconcile(doc):
    t = GOLDEN[doc]["totals"]
    assert abs(t["income_total"] - t["expenditure_total"]) <= TOLERANCE
    assert abs(t["basic"] + t["project"] - t["expenditure_total"]) <= TOLERANCE


@pytest.mark.parametrize("doc, field", [(d, f) for d in SEEDS for f in TOTAL_FIELDS])
def test_golden_total_line_holds_value(doc, field):
    g = GOLDEN[doc]
    no = g["totals_lines"][field]
    assert any(abs(v - g["totals"][field]) <= TOLERANCE for v in line_amounts(doc, no)), \
        f"line {no}: {line_text(doc, no)!r}"


@pytest.mark.parametrize("doc, index", PROJECT_CASES)
def test_golden_project_lines_hold_project(doc, index):
    p = GOLDEN[doc]["projects"][index]
    assert any(abs(v - p["amount"]) <= TOLERANCE for v in line_amounts(doc, p["line"])), \
        f"line {p['line']}: {line_text(doc, p['line'])!r}"
    joined = "".join(canon(line_text(doc, no)) for no in p["name_lines"])
    if len(p["name_lines"]) == 1:
        assert canon(p["name"]) in joined, f"{p['name']} not on line {p['name_lines'][0]}"
    else:  # a name re-joined from cells broken over lines, other cells in between
        assert is_subsequence(canon(p["name"]), joined), \
            f"{p['name']} not in lines {p['name_lines']}"


@pytest.mark.parametrize("doc", SEEDS)
def test_golden_title_and_department_printed(doc):
    g = GOLDEN[doc]
    text = canon("".join(corpus_lines(doc)))
    assert canon(g["title"]) in text
    for form in g["department_raw_forms"]:
        assert canon(form) in text
    assert g["department_raw"] in g["department_raw_forms"]


def test_golden_anyang_line_item_samples_printed():
    items = GOLDEN[ANYANG]["line_items"]
    assert sum(items["category_counts"].values()) == items["count"]
    for s in items["sample"]:
        text = line_text(ANYANG, s["line"])
        assert canon(s["name"]) in canon(text)
        assert canon(s["category"]) in canon(text)
        assert any(abs(v - s["amount"]) <= TOLERANCE for v in line_amounts(ANYANG, s["line"]))


# --- extract against the golden data ---------------------------------------------------------

@pytest.mark.parametrize("doc", SEEDS)
def test_title(doc):
    assert canon(facts_for(doc).title) == canon(GOLDEN[doc]["title"])


@pytest.mark.parametrize("doc", SEEDS)
def test_department(doc):
    assert canon(facts_for(doc).department) == canon(GOLDEN[doc]["department"])


@pytest.mark.parametrize("doc", SEEDS)
def test_department_raw(doc):
    """The raw name must be one of the forms the document prints for the unit."""
    forms = {canon(f) for f in GOLDEN[doc]["department_raw_forms"]}
    assert canon(facts_for(doc).department_raw) in forms


@pytest.mark.parametrize("doc, level", [(d, lv) for d in SEEDS
                                        for lv in ("province", "city", "county")])
def test_region(doc, level):
    assert getattr(facts_for(doc).region, level) == GOLDEN[doc]["region"][level]


@pytest.mark.parametrize("doc", SEEDS)
def test_year(doc):
    assert facts_for(doc).year == GOLDEN[doc]["year"]


@pytest.mark.parametrize("doc", SEEDS)
def test_kind(doc):
    assert facts_for(doc).kind == GOLDEN[doc]["kind"]


@pytest.mark.parametrize("doc, field", [(d, f) for d in SEEDS for f in TOTAL_FIELDS])
def test_total(doc, field):
    found = getattr(facts_for(doc).totals, field)
    expected = GOLDEN[doc]["totals"][field]
    assert found is not None, f"{field} not extracted (expected {expected})"
    assert abs(found - expected) <= TOLERANCE, f"{field}: {found} != {expected}"


@pytest.mark.parametrize("doc", SEEDS)
def test_projects(doc):
    """The multiset of (name, amount) equals the golden one: nothing missing, nothing extra."""
    _, missing, extra = match_projects(GOLDEN[doc]["projects"], facts_for(doc).projects)
    assert not missing and not extra, (
        f"missing: {[(g['name'], g['amount']) for g in missing]}; "
        f"unexpected: {[(p.name, p.amount) for p in extra]}")


@pytest.mark.parametrize("doc", SEEDS)
def test_projects_add_up(doc):
    projects = facts_for(doc).projects
    assert projects, "no projects extracted"
    total = sum(p.amount or 0.0 for p in projects)
    assert abs(total - GOLDEN[doc]["totals"]["project"]) <= 0.01


@pytest.mark.parametrize("doc, index", PROJECT_CASES)
def test_project_type_and_line(doc, index):
    g = GOLDEN[doc]["projects"][index]
    pairs, _, _ = match_projects([g], facts_for(doc).projects)
    assert pairs, f"project {g['name']} {g['amount']} not extracted"
    _, found = pairs[0]
    if g["type"] is not None:
        assert found.type == g["type"]
    assert any(first <= g["line"] <= last for first, last in found.lines), \
        f"line {g['line']} not in {found.lines}"


@pytest.mark.parametrize("doc, name", PERF_NAME_CASES)
def test_performance_name(doc, name):
    g = next(p for p in GOLDEN[doc]["projects"] if p["name"] == name)
    pairs, _, _ = match_projects([g], facts_for(doc).projects)
    assert pairs, f"project {g['name']} {g['amount']} not extracted"
    assert canon(pairs[0][1].performance_name) == canon(g["performance_name"])


@pytest.mark.parametrize("doc, index", DISAGREEMENT_CASES)
def test_performance_disagreement_is_a_failed_check(doc, index):
    d = GOLDEN[doc]["performance_disagreements"][index]
    failed = [c for c in facts_for(doc).checks if c.ok is False]
    texts = [canon(" ".join(str(x) for x in (c.detail, c.expected, c.found))) for c in failed]
    assert any(canon(d["table_name"]) in t and canon(d["performance_name"]) in t for t in texts), (
        f"no failed check names {d['table_name']} / {d['performance_name']}; "
        f"failed checks: {[(c.rule, c.detail) for c in failed]}")


@pytest.mark.parametrize("doc, name", AGREEING_CASES)
def test_no_false_disagreement(doc, name):
    """A project whose two tables agree (same name, same amount) is named by no failed check."""
    failed = [c for c in facts_for(doc).checks if c.ok is False]
    naming = [(c.rule, c.detail) for c in failed
              if canon(name) in canon(" ".join(str(x) for x in (c.detail, c.expected, c.found)))]
    assert not naming, f"{name}: both tables agree, yet failed checks name it: {naming}"


def test_luolong_disagreement_mentions_network_maintenance():
    failed = [c for c in facts_for(LUOLONG).checks if c.ok is False]
    assert any("网络维护经费" in canon(" ".join(str(x) for x in (c.detail, c.expected, c.found)))
               for c in failed)


def _anyang_items():
    table = GOLDEN[ANYANG]["line_items"]["table"]
    return [i for i in facts_for(ANYANG).line_items if table in canon(i.table)]


def test_anyang_line_item_count():
    assert len(_anyang_items()) == GOLDEN[ANYANG]["line_items"]["count"]


def test_anyang_line_item_categories():
    counts: dict[str, int] = {}
    for item in _anyang_items():
        counts[canon(item.category)] = counts.get(canon(item.category), 0) + 1
    assert counts == GOLDEN[ANYANG]["line_items"]["category_counts"]


def test_anyang_line_items_fall_short_of_their_table_total():
    """The 部门预算表's rows add up to less than its 合计: a failed check says so."""
    golden = GOLDEN[ANYANG]["line_items"]
    line = (CORPUS / ANYANG).read_text(encoding="utf-8").splitlines()[golden["table_total_line"] - 1]
    assert "合计" in line and str(golden["table_total"]) in line
    found = [c for c in facts_for(ANYANG).checks if c.rule == "line_items_sum_to_table_total"]
    assert [(c.ok, c.expected, c.found, c.lines) for c in found] == [
        (False, golden["table_total"], golden["sum"], [golden["table_total_line"]])]


@pytest.mark.parametrize("index", range(len(GOLDEN[ANYANG]["line_items"]["sample"])))
def test_anyang_line_item_sample(index):
    s = GOLDEN[ANYANG]["line_items"]["sample"][index]
    hits = [i for i in _anyang_items() if canon(i.name) == canon(s["name"])
            and canon(i.category) == s["category"]
            and i.amount is not None and abs(i.amount - s["amount"]) <= TOLERANCE]
    assert hits, f"line item {s} not extracted"
    assert any(i.lines[0] <= s["line"] <= i.lines[1] for i in hits)


@pytest.mark.parametrize("doc", SEEDS)
def test_projects_are_not_line_items(doc):
    """部门预算表 rows (人员类 / 公用经费) must not leak into the projects."""
    names = {canon(p.name) for p in facts_for(doc).projects}
    for leak in ("物业服务补贴", "劳务派遣人员劳务费", "公用经费综合定额"):
        assert canon(leak) not in names
