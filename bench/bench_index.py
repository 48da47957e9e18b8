"""End to end: indexing throughput and query latency at N synthetic documents, beside the
naive setup (whoosh + jieba.analyse.ChineseAnalyzer on every text field, files parsed by as
many worker processes as budgetsearch uses) measured in the same run over the same files.

    python bench/bench_index.py [--docs 2000] [--baseline-docs N] [--queries 300]

Prints library versions, MB/s of source text indexed (and the ratio to the baseline), index
size against the source text, open time, query latency (median, p95) with and without
facets, and peak memory of the indexing run (parent and largest worker).
"""
from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import make_corpus  # noqa: E402
from budgetsearch.indexer.index import MAX_WORKERS, update_index  # noqa: E402
from budgetsearch.search.engine import SearchRequest, forget_queries, search  # noqa: E402

QUERIES = ["12345热线", "物业管理费", '"便民热线"', "三公经费 OR 公务接待费", "电子政务 NOT 运维",
           "政务服务 amount:>=100", "市长热线", "行政运行", "网络运行维护", "公务用车",
           "year:2024 热线", "政府采购", "接线员工资", "大厅 标准化", "绩效目标"]


def _parsed(path: Path):
    from budgetsearch.indexer.pipeline import parse_file

    parsed = parse_file(path)
    return path, parsed.facts, parsed.lines


def parse_only(paths: list[Path]) -> float:
    """Seconds to read and extract every file with the workers indexing uses, nothing
    written: the bound on end-to-end indexing."""
    procs = min(os.cpu_count() or 2, MAX_WORKERS)
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        for _ in pool.imap_unordered(_parsed, paths, chunksize=4):
            pass
    return time.perf_counter() - started


def naive_index(paths: list[Path], index_dir: Path) -> float:
    """The straightforward build: files parsed by worker processes, then every text field
    analysed by jieba's stock whoosh analyzer in whoosh's default writer. Returns seconds."""
    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
    from whoosh.index import create_in

    from budgetsearch.indexer.records import split_passages

    jieba.setLogLevel(logging.WARNING)
    analyzer = ChineseAnalyzer()
    schema = Schema(rid=ID(unique=True, stored=True), rtype=ID(stored=True),
                    city=ID(stored=True), year=NUMERIC(int, stored=True),
                    title=TEXT(analyzer=analyzer), name=TEXT(analyzer=analyzer),
                    heading=TEXT(analyzer=analyzer), body=TEXT(analyzer=analyzer),
                    amount=NUMERIC(float, stored=True), hit=STORED)
    index_dir.mkdir(parents=True)
    started = time.perf_counter()
    ix = create_in(str(index_dir), schema)
    writer = ix.writer()
    procs = min(os.cpu_count() or 2, MAX_WORKERS)
    pool = multiprocessing.get_context("fork").Pool(procs)
    for path, facts, lines in pool.imap(_parsed, paths, chunksize=4):
        doc_id = path.stem
        common = {"city": facts.region.city or "", "year": facts.year or 0}
        text = "\n".join(line.text for line in lines)
        writer.add_document(rid=doc_id, rtype="document", title=facts.title, body=text,
                            hit={"path": str(path)}, **common)
        for n, passage in enumerate(split_passages(lines)):
            writer.add_document(rid=f"{doc_id}/p{n}", rtype="passage", heading=passage.heading,
                                body=passage.text, hit={"path": str(path)}, **common)
        for n, project in enumerate(facts.projects):
            writer.add_document(rid=f"{doc_id}/j{n}", rtype="project", name=project.name,
                                body=" ".join(f"{i.name} {i.value}" for i in project.indicators),
                                amount=project.amount or 0.0, hit={"path": str(path)}, **common)
    writer.commit()
    pool.close()
    return time.perf_counter() - started


def naive_query_latency(index_dir: Path, rounds: int) -> list[float]:
    from whoosh.index import open_dir
    from whoosh.qparser import MultifieldParser

    ix = open_dir(str(index_dir))
    timings = []
    with ix.searcher() as searcher:
        parser = MultifieldParser(["name", "title", "heading", "body"], ix.schema)
        for i in range(rounds):
            text = QUERIES[i % len(QUERIES)]
            started = time.perf_counter()
            results = searcher.search(parser.parse(text), limit=20)
            [hit["hit"] for hit in results]
            timings.append(time.perf_counter() - started)
    return timings


def open_time(index_dir: Path) -> float:
    """Seconds to open the index and read its arrays (once per index generation)."""
    started = time.perf_counter()
    search(index_dir, SearchRequest(query="热线"))
    return time.perf_counter() - started


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def query_latency(index_dir: Path, rounds: int, facets: bool, filtered: bool = False,
                  first_time: bool = False) -> list[float]:
    """Seconds per search of the bench queries, each type in turn. The queries repeat, and
    search keeps parsed and compiled queries: with `first_time` that store is emptied before
    each search, so every one is parsed and compiled as a query never seen before."""
    timings = []
    types = ["project", "document", "passage"]
    for i in range(rounds):
        filters = {"kind": ["预算"], "amount_band": ["10-50", "100-500"]} if filtered else {}
        # Each pass over the queries uses the next tab: every query is timed on all three
        # (the query count is a multiple of three, so `i % 3` kept each query on one tab).
        tab = types[(i // len(QUERIES)) % len(types)]
        request = SearchRequest(query=QUERIES[i % len(QUERIES)], type=tab,
                                facets=facets, filters=filters)
        if first_time:
            forget_queries()
        began = time.perf_counter()
        search(index_dir, request)
        timings.append(time.perf_counter() - began)
    return timings


def describe(name: str, timings: list[float]) -> str:
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"{name:<34} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms"


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


class PrivatePeak:
    """The largest private (anonymous) resident memory of this process while in use,
    sampled every SAMPLE_S. Peak resident memory also counts pages of the index files the
    engine maps while it merges or searches: the kernel drops those when memory is short."""

    SAMPLE_S = 0.1

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            status = Path("/proc/self/status")
            for line in status.read_text().splitlines() if status.exists() else []:
                if line.startswith("RssAnon:"):
                    self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            self._stop.wait(self.SAMPLE_S)

    def __enter__(self) -> "PrivatePeak":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak_kb / 1024


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in
                     ("tantivy", "whoosh-reloaded", "rjieba", "jieba", "pdfplumber"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--baseline-docs", type=int, default=None,
                        help="documents for the naive build (default: --docs)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="budgetsearch-bench-"))
    print(f"python {sys.version.split()[0]}, {versions()}; {os.cpu_count()} cores")
    try:
        corpus = work / "corpus"
        paths = make_corpus(corpus, args.docs)
        size = sum(p.stat().st_size for p in paths)
        print(f"corpus: {len(paths)} synthetic documents, {size / 1e6:.1f} MB")

        started = time.perf_counter()
        with PrivatePeak() as private:
            summary = update_index([corpus], work / "index", progress=False)
        ours = time.perf_counter() - started
        print(f"budgetsearch index: {ours:7.1f} s  {size / 1e6 / ours:6.2f} MB/s  "
              f"({summary.describe()})")
        print(f"peak memory of the run: parent {peak_mb(resource.RUSAGE_SELF):.0f} MB resident, "
              f"{private.mb:.0f} MB of it private; largest worker "
              f"{peak_mb(resource.RUSAGE_CHILDREN):.0f} MB")
        index_mb = folder_mb(work / "index" / "tantivy")
        print(f"index on disk: {index_mb:.0f} MB ({index_mb / (size / 1e6):.2f}x the source "
              f"text), facts cache {folder_mb(work / 'index' / 'facts'):.0f} MB")

        parsing = parse_only(paths)
        print(f"reading and extraction alone (same workers): {parsing:7.1f} s  "
              f"{size / 1e6 / parsing:6.2f} MB/s = {100 * parsing / ours:.0f}% of the "
              "indexing time")

        base_paths = paths[: args.baseline_docs or len(paths)]
        base_size = sum(p.stat().st_size for p in base_paths)
        naive = naive_index(base_paths, work / "naive")
        print(f"naive baseline:     {naive:7.1f} s  {base_size / 1e6 / naive:6.2f} MB/s  "
              f"({len(base_paths)} documents)")
        ratio = (size / ours) / (base_size / naive)
        print(f"indexing speed-up: {ratio:.1f}x the naive baseline (target >= 3x)")

        again = time.perf_counter()
        rerun = update_index([corpus], work / "index", progress=False)
        print(f"re-run over unchanged files: {time.perf_counter() - again:.2f} s "
              f"({rerun.describe()})")

        print(f"naive index on disk: {folder_mb(work / 'naive'):.0f} MB")
        print(f"budgetsearch index, open + first query: {open_time(work / 'index'):.2f} s")
        print(describe("query, with facets", query_latency(work / "index", args.queries, True)))
        print(describe("query, without facets",
                       query_latency(work / "index", args.queries, False)))
        print(describe("naive query (no facets)", naive_query_latency(work / "naive",
                                                                      args.queries)))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
