"""How well the extractor reads real disclosures: per document, is it a budget, which totals
were found, do they reconcile, how many projects, OCR pages, seconds.

    python bench/bench_realdocs.py [DIR] [--jobs 2] [--out bench/out/realdocs.tsv]

DIR defaults to ../shared/realdocs/cities. bench/realdocs_labels.tsv (or --labels) holds what
a person read in each of those files (path, is_budget, lists_projects): with it the summary
also gives the rates against those labels; without it, the extractor's own counts only.
"""
from __future__ import annotations

import argparse
import csv
import multiprocessing
import sys
import time
from pathlib import Path

from budgetsearch.indexer.checks import (
    RULE_BASIC_PLUS_PROJECT,
    RULE_INCOME_EQUALS_EXPENDITURE,
    RULE_PROJECTS_SUM,
)
from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.indexer.pipeline import parse_file

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "cities"
DEFAULT_LABELS = Path(__file__).resolve().parent / "realdocs_labels.tsv"
SLOWEST_SHOWN = 10
COLUMNS = ["path", "format", "is_budget", "kind", "year", "department", "region", "income",
           "expenditure", "basic", "project", "sangong", "income_eq_exp", "basic_plus_project",
           "projects_sum", "projects", "ocr_pages", "pages", "seconds", "error"]


def _check(facts, rule: str) -> str:
    found = [c for c in facts.checks if c.rule == rule]
    return "" if not found else ("ok" if all(c.ok for c in found) else "FAIL")


def read_one(path: Path, root: Path) -> dict:
    rel = str(path.relative_to(root))
    start = time.perf_counter()
    row = {c: "" for c in COLUMNS}
    row["path"] = rel
    try:
        parsed = parse_file(path)
    except BudgetSearchError as exc:
        row.update(error=str(exc), seconds=f"{time.perf_counter() - start:.2f}")
        return row
    facts, t = parsed.facts, parsed.facts.totals
    region = facts.region
    row.update(
        format=parsed.source.format, is_budget=int(facts.is_budget), kind=facts.kind or "",
        year=facts.year or "", department=facts.department or "",
        region="/".join(x for x in (region.province, region.city, region.county) if x),
        income=_num(t.income_total), expenditure=_num(t.expenditure_total), basic=_num(t.basic),
        project=_num(t.project), sangong=_num(t.sangong),
        income_eq_exp=_check(facts, RULE_INCOME_EQUALS_EXPENDITURE),
        basic_plus_project=_check(facts, RULE_BASIC_PLUS_PROJECT),
        projects_sum=_check(facts, RULE_PROJECTS_SUM), projects=len(facts.projects),
        ocr_pages=sum(1 for n in parsed.source.notes if "OCR" in n) or "",
        pages=parsed.source.page_count or "", seconds=f"{time.perf_counter() - start:.2f}",
    )
    return row


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _job(args: tuple[Path, Path]) -> dict:
    return read_one(*args)


def reconciles(row: dict) -> bool:
    """Income = expenditure and basic + project = expenditure: both found and both hold.
    A budget whose basic/project split was not found does not count as reconciled."""
    return row["income_eq_exp"] == "ok" and row["basic_plus_project"] == "ok"


def read_labels(path: Path | None) -> dict[str, dict]:
    if path is None or not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return {r["path"]: r for r in csv.DictReader(f, delimiter="\t")}


def summarise(rows: list[dict], labels: dict[str, dict]) -> list[str]:
    budgets = [r for r in rows if r["is_budget"] == 1]
    out = [
        f"documents: {len(rows)}, read as budgets: {len(budgets)}, errors: "
        f"{sum(1 for r in rows if r['error'])}",
        f"budgets with income / expenditure / basic / project found: "
        f"{sum(1 for r in budgets if r['income'])} / {sum(1 for r in budgets if r['expenditure'])} / "
        f"{sum(1 for r in budgets if r['basic'])} / {sum(1 for r in budgets if r['project'])}",
        f"budgets that reconcile (income = expenditure, basic + project = expenditure): "
        f"{sum(1 for r in budgets if reconciles(r))} of {len(budgets)}",
        f"budgets with projects: {sum(1 for r in budgets if r['projects'])}; projects sum to "
        f"the project total: {sum(1 for r in budgets if r['projects_sum'] == 'ok')}, do not: "
        f"{sum(1 for r in budgets if r['projects_sum'] == 'FAIL')}",
        f"OCR pages: {sum(int(r['ocr_pages'] or 0) for r in rows)}",
    ]
    if labels:
        out += _against_labels(rows, labels)
    slow = sorted(rows, key=lambda r: -float(r["seconds"] or 0))[:SLOWEST_SHOWN]
    out.append("slowest: " + ", ".join(f"{r['path']} {r['seconds']} s" for r in slow))
    return out


def _against_labels(rows: list[dict], labels: dict[str, dict]) -> list[str]:
    by_path = {r["path"]: r for r in rows}
    truly = [p for p, lab in labels.items() if lab["is_budget"] == "1" and p in by_path]
    portal = [p for p, lab in labels.items() if lab["is_budget"] == "0" and p in by_path]
    listing = [p for p in truly if labels[p].get("lists_projects") == "1"]
    recognised = [p for p in truly if by_path[p]["is_budget"] == 1]
    return [
        f"labelled budgets recognised: {len(recognised)} of {len(truly)} "
        f"({_pct(len(recognised), len(truly))})",
        f"recognised budgets that reconcile: {sum(1 for p in recognised if reconciles(by_path[p]))}"
        f" of {len(recognised)} ({_pct(sum(1 for p in recognised if reconciles(by_path[p])), len(recognised))})",
        f"budgets that list projects, projects found: "
        f"{sum(1 for p in listing if by_path[p]['projects'])} of {len(listing)} "
        f"({_pct(sum(1 for p in listing if by_path[p]['projects']), len(listing))})",
        f"labelled non-budgets read as budgets: "
        f"{sum(1 for p in portal if by_path[p]['is_budget'] == 1)} of {len(portal)}",
        # a rate over a label set that no longer matches the folder would mislead
        f"files without a label: {sum(1 for p in by_path if p not in labels)}",
    ]


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--out", type=Path, default=Path("bench/out/realdocs.tsv"))
    parser.add_argument("--match", default="", help="only paths containing this text")
    args = parser.parse_args(argv)
    root = args.dir.resolve()
    files = sorted(p for p in root.rglob("*")
                   if p.is_file() and p.name != "README.md"
                   and args.match in str(p.relative_to(root)))
    with multiprocessing.get_context("spawn").Pool(args.jobs, maxtasksperchild=10) as pool:
        rows = pool.map(_job, [(p, root) for p in files], chunksize=1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    labels = read_labels(args.labels)
    for line in summarise(rows, labels):
        print(line)
    print(f"per-document table: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
