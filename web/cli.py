"""`budgetsearch` command line: parses arguments, calls the library, translates errors.

No logic lives here; every subcommand is one call into indexer/, search/ or web/, the same
call the Flask routes make.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from budgetsearch.indexer.models import BudgetSearchError

DEFAULT_CORPUS = Path("corpus")
DEFAULT_INDEX = Path(".budgetsearch") / "index"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_attach_negative_sort(sys.argv[1:] if argv is None else argv))
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except BudgetSearchError as exc:
        err(f"budgetsearch: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `budgetsearch search x | head`: the reader left, which is not an error. Point
        # stdout at /dev/null so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def out(text: str) -> None:
    """Print to stdout with control characters escaped (a file name or a document may
    carry terminal escape sequences)."""
    from budgetsearch.search.render import printable

    print(printable(text))


def err(text: str) -> None:
    from budgetsearch.search.render import printable

    print(printable(text), file=sys.stderr)


def amount_arg(text: str) -> float:
    """--min-amount/--max-amount read like the web API reads them: `1,000` is 1000, and
    nan or inf is refused."""
    from budgetsearch.search.engine import parse_amount

    try:
        return parse_amount(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a finite number of 万元 (1,000 or 12.5), not '{text}'") from None


def show_progress(quiet: bool) -> bool:
    """A progress bar only on a terminal: in a log or a pipe it is noise."""
    return not quiet and sys.stderr.isatty()


def _attach_negative_sort(argv: list[str]) -> list[str]:
    """`--sort -amount` as users type it: argparse would read `-amount` as an option."""
    out = list(argv)
    for i, arg in enumerate(out[:-1]):
        if arg == "--sort" and out[i + 1] in ("-amount", "-year"):
            out[i:i + 2] = [f"--sort={out[i + 1]}"]
            break
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetsearch",
        description="Search Chinese government budget disclosures (部门预算/决算公开).")
    sub = parser.add_subparsers(metavar="COMMAND")

    p = sub.add_parser("extract", help="print the structured facts of documents")
    p.add_argument("paths", nargs="+", metavar="PATH", help="documents to read")
    p.add_argument("--json", action="store_true", help="print JSON (one object, or an array)")
    p.set_defaults(run=run_extract)

    p = sub.add_parser("index", help="build or update the search index")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=f"files or folders to index (default: {DEFAULT_CORPUS}/)")
    p.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX, metavar="DIR",
                   help=f"where the index lives (default: {DEFAULT_INDEX})")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar (none is drawn when stderr is not a terminal)")
    p.set_defaults(run=run_index)

    p = sub.add_parser("search", help="search the index")
    add_search_arguments(p)
    p.set_defaults(run=run_search)

    p = sub.add_parser("serve", help="serve the web interface (builds the index on first run)")
    p.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX, metavar="DIR",
                   help=f"where the index lives (default: {DEFAULT_INDEX})")
    p.add_argument("--corpus", type=Path, default=None, metavar="DIR",
                   help=f"the documents indexed and served (default: {DEFAULT_CORPUS}/ when "
                        "the index is new or of it; otherwise the index is served as it is)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port to listen on (default: 5000)")
    p.set_defaults(run=run_serve)

    p = sub.add_parser("export", help="write the extracted facts of documents to a database")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help=f"files or folders to read (default: {DEFAULT_CORPUS}/)")
    p.add_argument("--sqlite", type=Path, required=True, metavar="FILE",
                   help="the SQLite file to write (replaced if it exists)")
    p.set_defaults(run=run_export)
    return parser


def add_search_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", metavar="QUERY", nargs="?", default="",
                   help='words, "phrases", AND/OR/NOT, field:value')
    p.add_argument("--batch", type=Path, metavar="FILE",
                   help="search every term of FILE (one a line): one row per term with "
                        "project count and amount per city and year")
    p.add_argument("--type", choices=["project", "document", "passage"], default="project",
                   help="what to return (default: project)")
    for name in ("province", "city", "county", "department", "kind"):
        p.add_argument(f"--{name}", action="append", metavar=name[0].upper(),
                       help=f"only this {name} (repeat for several)")
    p.add_argument("--year", action="append", type=int, metavar="Y", help="only this year")
    p.add_argument("--min-amount", type=amount_arg, metavar="A", help="amount at least A 万元")
    p.add_argument("--max-amount", type=amount_arg, metavar="B", help="amount at most B 万元")
    p.add_argument("--sort", choices=["relevance", "amount", "-amount", "year", "-year"],
                   default="relevance", help="order of hits (default: relevance)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="hits to show (default 20)")
    p.add_argument("--offset", type=int, default=0, metavar="M", help="hits to skip (default 0)")
    p.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX, metavar="DIR",
                   help=f"where the index lives (default: {DEFAULT_INDEX})")
    p.add_argument("--json", action="store_true", help="print the JSON contract")
    p.add_argument("--csv", action="store_true", help="with --batch: print CSV")


def run_extract(args: argparse.Namespace) -> int:
    from budgetsearch.indexer.pipeline import extract_file
    from budgetsearch.indexer.report import format_facts

    results, failed = [], False
    for path in args.paths:
        try:
            facts = extract_file(path)
        except BudgetSearchError as exc:
            err(f"budgetsearch: {exc}")
            failed = True
            continue
        except Exception as exc:  # a parser bug must not stop the batch either
            err(f"budgetsearch: {path}: could not be parsed ({type(exc).__name__}: {exc})")
            failed = True
            continue
        if args.json:
            results.append(facts.to_dict())
        else:
            out(format_facts(facts))
    if args.json:
        payload = results[0] if len(args.paths) == 1 and results else results
        if len(args.paths) > 1 or results:
            out(json.dumps(payload, ensure_ascii=False, indent=2))
    return 1 if failed else 0


def run_index(args: argparse.Namespace) -> int:
    from budgetsearch.indexer.index import update_index

    paths = [Path(p) for p in args.paths] or [DEFAULT_CORPUS]
    summary = update_index(paths, args.index_dir, progress=show_progress(args.quiet))
    out(summary.describe())
    for line in failed_lines(summary.errors):
        err(line)
    return 1 if summary.errors else 0


def failed_lines(errors: list[str]) -> list[str]:
    """One line per file that could not be indexed: its path and the cause."""
    return [f"budgetsearch: not indexed: {error}" for error in errors]


def run_search(args: argparse.Namespace) -> int:
    from budgetsearch.search.engine import QueryError, SearchRequest, search
    from budgetsearch.search.render import format_hits

    if args.batch:
        return run_batch(args)
    if not args.query.strip() and not any(getattr(args, n, None) for n in
                                          ("province", "city", "county", "department", "kind",
                                           "year")):
        err("budgetsearch: search needs a QUERY, a filter or --batch FILE")
        return 2
    try:
        request = SearchRequest.from_namespace(args)
        result = search(args.index_dir, request)
    except QueryError as exc:
        err(f"budgetsearch: {exc}")
        return 2
    if args.json:
        out(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        out(format_hits(result))
    return 0


def run_batch(args: argparse.Namespace) -> int:
    from budgetsearch.web.backend import IndexBackend
    from budgetsearch.web.batch import BatchError, batch_csv_lines, batch_rows, format_batch
    from budgetsearch.web.batch import read_terms
    from budgetsearch.search.render import printable

    try:
        terms = read_terms(args.batch.read_bytes())
    except OSError as exc:
        err(f"budgetsearch: {args.batch}: cannot read ({exc.strerror or exc})")
        return 1
    except BatchError as exc:
        err(f"budgetsearch: {args.batch}: {exc}")
        return 2
    params: dict[str, list[str]] = {
        name: [str(v) for v in getattr(args, name)]
        for name in ("province", "city", "county", "department", "kind", "year")
        if getattr(args, name, None)}
    for name in ("min_amount", "max_amount"):
        if getattr(args, name) is not None:
            params[name] = [str(getattr(args, name))]
    rows = batch_rows(IndexBackend(args.index_dir), terms, params)
    if args.json:
        out(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
    elif args.csv:
        text = "".join(batch_csv_lines(rows, "")).lstrip("\ufeff")
        sys.stdout.write(printable(text.replace("\r\n", "\n")))
    else:
        out(format_batch(rows))
    return 1 if any(r.error for r in rows) else 0


def run_export(args: argparse.Namespace) -> int:
    from budgetsearch.web.sqlite_export import export_sqlite

    paths = [Path(p) for p in args.paths] or [DEFAULT_CORPUS]
    report = export_sqlite(paths, args.sqlite)
    out(report.describe())
    for line in report.errors:
        err(f"budgetsearch: not exported: {line}")
    return 1 if report.errors else 0


def run_serve(args: argparse.Namespace) -> int:
    from budgetsearch.web.serve import serve

    serve(index_dir=args.index_dir, corpus_dir=args.corpus, host=args.host, port=args.port,
          progress=show_progress(False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
