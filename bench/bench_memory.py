"""Peak resident memory of reading one large text file, against an interpreter that only
imports the pipeline (the baseline, measured in the same run).

Each measurement runs in a fresh interpreter so its peak is its own. Files are generated in
a temporary folder: 1, 4 and 15 MB (the loader reads text up to 16 MB) go through the whole
pipeline (parse_file); a 50 MB file must be refused before it is read. Then PDFs: a 2 KB
PDF whose forms draw a million characters (must be refused before pdfium draws it), and
any files given on the command line (e.g. the largest disclosures of the cities corpus).
Run: python bench/bench_memory.py [FILE...]
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from pdf_fixtures import text_bomb_pdf  # noqa: E402 (the reader-limit tests' PDF)
LINE = "2024年收入总计1,056.07万元，基本支出444.11万元\t项目支出\t611.96\n".encode()
PROBE = """
import resource, sys
from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.indexer.pipeline import parse_file
outcome = "imported"
if len(sys.argv) > 1:
    try:
        outcome = f"{len(parse_file(sys.argv[1]).lines)} lines"
    except BudgetSearchError as exc:
        outcome = "refused: " + str(exc).split(": ", 1)[1]
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, outcome)
"""


def make(path: Path, megabytes: int) -> Path:
    with path.open("wb") as fh:
        block = LINE * 1000
        for _ in range(megabytes * 2**20 // len(block) + 1):
            fh.write(block)
    return path


def measure(*args: str) -> tuple[int, str, float]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split(" ", 1)
    return int(out[0]), out[1].strip(), time.perf_counter() - start


def bomb_pdf(path: Path, depth: int = 6, fanout: int = 10) -> Path:
    """A tiny PDF whose page draws fanout**depth characters through nested forms."""
    path.write_bytes(text_bomb_pdf(depth, fanout))
    return path


def main() -> int:
    base, _, base_time = measure()
    print(f"{'input':>12} {'peak RSS MB':>12} {'over baseline':>14} {'seconds':>8}  outcome")
    print(f"{'(none)':>12} {base / 1024:12.1f} {1.0:13.2f}x {base_time:8.2f}  imports only")
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in (1, 4, 15, 50):
            path = make(Path(tmp) / f"{megabytes}mb.txt", megabytes)
            size = path.stat().st_size / 2**20
            peak, outcome, seconds = measure(str(path))
            print(f"{size:9.1f} MB {peak / 1024:12.1f} {peak / base:13.2f}x {seconds:8.2f}  "
                  f"{outcome}")
            path.unlink()
        bomb = bomb_pdf(Path(tmp) / "bomb.pdf")
        for path in [bomb, *map(Path, sys.argv[1:])]:
            peak, outcome, seconds = measure(str(path))
            label = f"{path.stat().st_size / 2**10:.0f} KB PDF" if path == bomb else path.name[:24]
            print(f"{label:>12} {peak / 1024:12.1f} {peak / base:13.2f}x {seconds:8.2f}  {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
