"""Load on the web server: requests/s, p50 and p99 at 1, 8 and 32 clients, for a light and a
heavy query, and the server's resident memory before and after.

The bench indexes a corpus (default: corpus/) into a temporary folder, starts `waitress`
itself in a child process on 127.0.0.1 with a free port, and sends requests only there
(loopback). Each (query, clients) step runs for a fixed time (--seconds, default 5), so the
whole run is bounded (about 6 steps x seconds plus indexing); the server is stopped at the end.
--index-dir keeps the index in a folder of your choice (updated, not rebuilt, on later runs).
Run: python bench/bench_load.py [--corpus DIR] [--seconds S] [--threads N] [--index-dir DIR]
"""
from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from budgetsearch.web.serve import SERVER_THREADS

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only
CLIENTS = (1, 8, 32)
QUERIES = {
    # light: one rare word, a handful of hits, one result page
    "light": "/search?q=" + quote("免费刻章"),
    # heavy: the hotline query (synonym expansion, many passages, facets over all of them)
    "heavy": "/search?q=" + quote("12345热线"),
}
SERVER = """
import logging, sys
# waitress warns on every queued request past its threads: at 32 clients that is the point
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
from pathlib import Path
from waitress import create_server
from budgetsearch.web.app import create_app
index_dir, corpus, threads = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
server = create_server(create_app(index_dir, corpus), host="127.0.0.1", port=0,
                       threads=threads)
print(server.effective_port, flush=True)
server.run()
"""
REQUEST_TIMEOUT_S = 30.0


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def run_clients(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    """`clients` threads, each with its own keep-alive connection, sending `path` until
    the time is up; latencies of successful responses, and the failures."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        mine: list[float] = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                with lock:
                    failures[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "failures": failures[0],
            "rps": len(latencies) / elapsed, "p50_ms": percentile(latencies, 50) * 1000,
            "p99_ms": percentile(latencies, 99) * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--seconds", type=float, default=5.0, help="per step (default 5)")
    parser.add_argument("--threads", type=int, default=SERVER_THREADS,
                        help=f"waitress threads (default {SERVER_THREADS}, as serve uses)")
    parser.add_argument("--index-dir", type=Path, default=None,
                        help="index kept here between runs (default: a temporary folder)")
    args = parser.parse_args()

    from budgetsearch.indexer.index import update_index

    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index_dir or Path(tmp) / "index"
        started = time.monotonic()
        summary = update_index([args.corpus], index_dir, progress=False)
        print(f"indexed {args.corpus}: {summary.describe()} "
              f"({time.monotonic() - started:.1f} s)")
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(index_dir), str(args.corpus), str(args.threads)],
            stdout=subprocess.PIPE, text=True, start_new_session=True)
        try:
            port = int(server.stdout.readline())
            warm = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
            for path in QUERIES.values():  # open the index and fill caches once
                warm.request("GET", path)
                warm.getresponse().read()
            warm.close()
            before = rss_mb(server.pid)
            print(f"server: waitress, {args.threads} threads, pid {server.pid}, "
                  f"RSS {before:.0f} MB after warm-up")
            print(f"{'query':<6} {'clients':>7} {'requests':>8} {'fail':>4} {'req/s':>8} "
                  f"{'p50 ms':>8} {'p99 ms':>8}")
            for name, path in QUERIES.items():
                for clients in CLIENTS:
                    r = run_clients(port, path, clients, args.seconds)
                    print(f"{name:<6} {clients:>7} {r['requests']:>8} {r['failures']:>4} "
                          f"{r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f}",
                          flush=True)
            after = rss_mb(server.pid)
            print(f"server RSS: {before:.0f} MB before, {after:.0f} MB after "
                  f"({after - before:+.0f} MB)")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
