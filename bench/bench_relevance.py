"""Recall@10 and MRR of project search over the seed documents, against the judgements
in tests/relevance.json.

    python bench/bench_relevance.py [--index-dir DIR]   (builds a temporary index if omitted)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetsearch.indexer.index import update_index  # noqa: E402
from budgetsearch.search.engine import SearchRequest, search  # noqa: E402

JUDGEMENTS = ROOT / "tests" / "relevance.json"
SEEDS = ["zhoukou-xzfwzx-2024-budget.txt", "luolong-zwfwzx-2024-budget.md",
         "anyang-zwfwzx-2024-budget.md", "pingdingshan-gxq-xzfwzx-2024-budget.txt",
         "jiyuan-xzfwzx-2020-budget.txt"]


def canonical(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


def evaluate(index_dir: Path, k: int = 10) -> dict:
    """Per query: expected projects found in the first k hits, and the reciprocal rank of
    the first expected hit; averaged over the queries."""
    queries = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]
    rows = []
    for item in queries:
        result = search(index_dir, SearchRequest(query=item["query"], type="project", limit=k))
        got = [(Path(h["source"]["path"]).stem, canonical(h["name"])) for h in result["hits"]]
        expected = {(doc, canonical(name)) for doc, name in item["expected"]}
        found = expected & set(got)
        rank = next((i + 1 for i, hit in enumerate(got) if hit in expected), None)
        rows.append({"query": item["query"], "recall": len(found) / len(expected),
                     "rr": 1 / rank if rank else 0.0, "missing": sorted(expected - found)})
    n = len(rows)
    return {"recall": sum(r["recall"] for r in rows) / n, "mrr": sum(r["rr"] for r in rows) / n,
            "rows": rows}


def build_seed_index(target: Path) -> Path:
    update_index([ROOT / "corpus" / name for name in SEEDS], target, progress=False)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path)
    args = parser.parse_args()
    index_dir = args.index_dir or build_seed_index(Path(tempfile.mkdtemp()) / "index")
    report = evaluate(index_dir)
    for row in report["rows"]:
        missing = f"  missing: {row['missing']}" if row["missing"] else ""
        print(f"{row['query']:<12} recall@10 {row['recall']:.2f}  RR {row['rr']:.2f}{missing}")
    print(f"{len(report['rows'])} queries: recall@10 {report['recall']:.3f}  MRR {report['mrr']:.3f}")


if __name__ == "__main__":
    main()
