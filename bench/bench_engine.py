"""The index engine alone: the records of the five text seeds (their extracted facts,
analysed once) varied into N documents (region, department, year, amounts, ids) and written
straight to the engine, no file reading; then queries through search().

    python bench/bench_engine.py [--docs 10000] [--queries 300] [--keep DIR]

Prints library versions, writing MB/s (source text the records stand for, per second of
engine time), index size against that text, open time, query median/p95 with and without
facets (and with a facet filter), peak memory, and where the time of the slowest searches
goes: the page of hits, walking every match, the tab counts, each facet.
"""
from __future__ import annotations

import argparse
import copy
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_index import (  # noqa: E402
    QUERIES, PrivatePeak, describe, folder_mb, open_time, query_latency,
)
from bench.synthetic import SEEDS, load_divisions  # noqa: E402
from budgetsearch.indexer import engine, queries, schema  # noqa: E402
from budgetsearch.indexer.analysis import analyse  # noqa: E402
from budgetsearch.indexer.pipeline import parse_file  # noqa: E402
from budgetsearch.indexer.records import amount_band, build_records  # noqa: E402
from budgetsearch.search import engine as searching  # noqa: E402
from budgetsearch.search.query import make_parser, synonyms_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BATCH_DOCS = 100  # documents varied, then written, per batch (bounds memory)
PROFILED = 3  # the slowest searches broken into their parts
TIMED_RUNS = 5  # runs of each part; the median is printed


def templates() -> list[tuple[list[dict], int]]:
    """Each seed's records and its size in bytes."""
    out = []
    for name in SEEDS:
        path = ROOT / "corpus" / name
        parsed = parse_file(path)
        records = build_records(parsed.facts, parsed.lines, path.stem, str(path), str(path))
        out.append((records, path.stat().st_size))
    return out


def varied(records: list[dict], n: int, rng: random.Random, cities, counties) -> list[dict]:
    """The seed's records as document n: another city (and county), department, year,
    amounts scaled, ids and path of its own; the title carries the new city's name."""
    code, city = rng.choice(cities)
    county = rng.choice(counties)[1] if rng.random() < 0.4 else None
    year, factor = rng.randint(2018, 2026), rng.uniform(0.4, 2.5)
    doc_id = f"doc-{n:06d}"
    department = f"{city}{county or ''}行政服务中心"
    out = []
    for record in records:
        new = copy.copy(record)
        new["rid"] = record["rid"].replace(record["doc_id"], doc_id, 1)
        new["doc_id"], new["doc_no"] = doc_id, schema.doc_number(doc_id)
        new["path_key"] = f"/bench/{doc_id}.txt"
        new.update(city=city, department=department, year=year)
        if county:
            new["county"] = county
        else:
            new.pop("county", None)
        if record.get("amount") is not None:
            new["amount"] = round(record["amount"] * factor, 2)
            new["amount_band"] = amount_band(new["amount"])
        hit = dict(record["hit"], doc_id=doc_id, department=department, year=year)
        if "amount" in new and hit.get("amount") is not None:
            hit["amount"] = new["amount"]
        new["hit"] = hit
        if record["rtype"] == "document":
            new["title"] = " ".join(analyse(city)[0]) + " " + record["title"]
        out.append(new)
    return out


def write(index_dir: Path, docs: int, seed: int = 7) -> tuple[float, float, int, int]:
    """Write `docs` documents; returns (engine seconds, varying seconds, text bytes,
    records)."""
    rng = random.Random(seed)
    cities, counties = load_divisions()
    seeds = templates()
    writer = engine.Writer(index_dir / engine.TANTIVY_DIR)
    engine_s = vary_s = 0.0
    text_bytes = records = 0
    for start in range(0, docs, BATCH_DOCS):
        began = time.perf_counter()
        batch = []
        for n in range(start, min(docs, start + BATCH_DOCS)):
            seed_records, size = seeds[n % len(seeds)]
            batch.append(varied(seed_records, n, rng, cities, counties))
            text_bytes += size
        vary_s += time.perf_counter() - began
        began = time.perf_counter()
        for doc_records in batch:
            writer.add(doc_records)
            records += len(doc_records)
        engine_s += time.perf_counter() - began
    began = time.perf_counter()
    writer.commit()
    engine_s += time.perf_counter() - began
    return engine_s, vary_s, text_bytes, records


def median_ms(call, runs: int = TIMED_RUNS) -> float:
    call()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings) * 1000


def slowest_searches(index_dir: Path, how_many: int) -> list[tuple[float, str, str]]:
    """(median ms, query, tab) of the slowest of the bench's searches with facets."""
    timed = []
    for text in QUERIES:
        for rtype in schema.RECORD_TYPES:
            request = searching.SearchRequest(query=text, type=rtype)
            timed.append((median_ms(lambda: searching.search(index_dir, request)), text, rtype))
    return sorted(timed, reverse=True)[:how_many]


def profile(index_dir: Path) -> None:
    """Where the time of the slowest searches goes. Each part is one engine call on the
    compiled query, run alone: the page of hits; walking every match of the query with
    nothing counted; what counting the tabs and the amount sum adds to that walk, what
    keeping the tab's records (the facets' filter) adds, and what each facet adds to
    that; and the whole aggregation a search runs beside its page. Per match: ns per
    record the query matches in any tab (every part but the page walks them all)."""
    synonyms = synonyms_for(index_dir)
    parser = make_parser(synonyms)
    snap = searching._snapshot(index_dir)
    searcher = snap.searcher
    print(f"where the time of the {PROFILED} slowest searches goes (median of {TIMED_RUNS}):")
    for whole, text, rtype in slowest_searches(index_dir, PROFILED):
        compiled = searching._compiled(parser, synonyms, text)
        query, of_type = compiled.query, queries.type_filter(rtype)
        matches = searcher.search(query, 1, count=True).count

        def part(label: str, ms: float) -> None:
            print(f"    {label:<26} {ms:5.1f} ms ({ms * 1e6 / max(matches, 1):4.0f} ns a match)")

        def aggregate(request: dict) -> float:
            return median_ms(lambda: searcher.aggregate(query, request))

        print(f"  {text} on the {rtype} tab: search {whole:.1f} ms; "
              f"{matches:,} records match in all tabs")
        page = median_ms(lambda: searcher.search(
            queries.boolean(must=[compiled.of_type(rtype), of_type.query]), 20, count=False))
        print(f"    {'page of 20 hits':<26} {page:5.1f} ms")
        walk = aggregate({"all": {"filter": "*", "aggs": {}}})
        part("walking every match", walk)
        part("+ tab counts, amount sum", aggregate({"tabs": snap._tabs({})}) - walk)
        kept = aggregate({"f": engine._within([of_type], {})})
        part("+ keeping the tab's type", kept - walk)
        for name in engine._carried(rtype):
            counted = aggregate({"f": engine._within([of_type], engine._terms([name]))})
            part(f"+ facet {name}", counted - kept)
        part("whole aggregation", median_ms(lambda: snap._aggregate(query, {}, of_type, rtype)))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, tantivy {version('tantivy')}, "
          f"whoosh-reloaded {version('whoosh-reloaded')}, rjieba {version('rjieba')}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="budgetsearch-engine-"))
    try:
        index_dir = work / "index"
        with PrivatePeak() as private:
            engine_s, vary_s, text_bytes, records = write(index_dir, args.docs)
        mb = text_bytes / 1e6
        print(f"{args.docs} documents, {records} records, {mb:.1f} MB of source text")
        print(f"engine writing: {engine_s:.1f} s, {mb / engine_s:.1f} MB/s "
              f"({records / engine_s:,.0f} records/s; varying the records took {vary_s:.1f} s)")
        size = folder_mb(index_dir)
        print(f"index on disk: {size:.0f} MB, {size / mb:.2f}x the source text")
        print(f"open + first query: {open_time(index_dir):.2f} s")
        print(describe("query, with facets", query_latency(index_dir, args.queries, True)))
        print(describe("query, with facets, never seen before",
                       query_latency(index_dir, args.queries, True, first_time=True)))
        print(describe("query, without facets", query_latency(index_dir, args.queries, False)))
        print(describe("query, facets + 2 filters",
                       query_latency(index_dir, args.queries, True, filtered=True)))
        print(f"peak memory (this process): {peak_mb():.0f} MB resident; while writing "
              f"{private.mb:.0f} MB private (the bench's own records included)")
        profile(index_dir)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
