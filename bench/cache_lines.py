"""Cache the normalized lines of a corpus so the table and fact readings can be iterated on
without re-reading PDFs: bench/out/lines.pkl maps relative path -> (SourceDocument, lines).

    python bench/cache_lines.py [DIR] [--match TEXT]
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

from budgetsearch.indexer.load import load
from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.indexer.normalize import normalize_lines

SAVE_EVERY = 5  # documents read between saves of the cache
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "cities"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--match", default="")
    parser.add_argument("--out", type=Path, default=Path("bench/out/lines.pkl"))
    parser.add_argument("--reverse", action="store_true", help="last files first (a second reader)")
    args = parser.parse_args(argv)
    root = args.dir.resolve()
    cache = pickle.loads(args.out.read_bytes()) if args.out.exists() else {}
    paths = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "README.md")
    for path in reversed(paths) if args.reverse else paths:
        rel = str(path.relative_to(root))
        if args.match not in rel or rel in cache:
            continue
        try:
            source = load(path)
        except BudgetSearchError as exc:
            print(f"{rel}: {exc}", file=sys.stderr)
            continue
        cache[rel] = (source, normalize_lines(source.lines))
        if len(cache) % SAVE_EVERY == 0:
            args.out.write_bytes(pickle.dumps(cache))
    args.out.write_bytes(pickle.dumps(cache))
    print(f"{len(cache)} documents cached in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
