"""Gazetteer speed: load time, whole-document scan and resolve, beside a plain baseline.

Prints figures; asserts nothing. Baseline: reading the data file's lines (the floor any
loader pays), measured in the same run.
"""
from __future__ import annotations

import time
from pathlib import Path

from budgetsearch.indexer import regions

ROOT = Path(__file__).resolve().parent.parent


def best_of(fn, n: int = 5) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    data = ROOT / "indexer" / "data" / "divisions.tsv"
    baseline = best_of(lambda: data.read_text(encoding="utf-8").splitlines())

    def load() -> None:
        regions.gazetteer.cache_clear()
        regions.gazetteer()

    load_time = best_of(load)
    text = (ROOT / "corpus" / "anyang-zwfwzx-2024-budget.md").read_text(encoding="utf-8")
    scan = best_of(lambda: regions.find_regions(text))
    resolve = best_of(lambda: regions.resolve_region(["洛龙区政务服务中心"], ["410311230000000014019"]))
    print(f"read data file (baseline): {baseline * 1000:8.2f} ms")
    print(f"load gazetteer:            {load_time * 1000:8.2f} ms  ({load_time / baseline:.1f}x baseline)")
    print(f"scan one document ({len(text):,} chars): {scan * 1000:8.2f} ms")
    print(f"resolve one region:        {resolve * 1e6:8.1f} µs")


if __name__ == "__main__":
    main()
