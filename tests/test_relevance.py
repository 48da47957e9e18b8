"""Recall@10 over the hand-judged queries of tests/relevance.json."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_relevance import build_seed_index, evaluate  # noqa: E402


def test_recall_at_10_is_at_least_0_9(tmp_path):
    report = evaluate(build_seed_index(tmp_path / "index"))
    assert len(report["rows"]) >= 15
    misses = [(r["query"], r["missing"]) for r in report["rows"] if r["missing"]]
    assert report["recall"] >= 0.9, misses
