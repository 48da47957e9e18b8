"""`budgetsearch index`: write the whoosh index, incrementally.

A manifest (path, size, mtime, content hash) says which files changed since the last run;
only those are parsed again. Parsing and analysis run in worker processes, each writing
whoosh segments of its own (indexer.segments); the parent holds the index lock, deletes
the records of changed and removed files, and publishes everything in one commit, so a
search sees either the index before the run or the index after it. A file that fails is reported and skipped, and its
previously indexed records stay.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from budgetsearch.indexer import pipeline, segments
from budgetsearch.indexer.load import SUPPORTED_SUFFIXES
from budgetsearch.indexer.models import BudgetSearchError

MANIFEST = "manifest.json"
WHOOSH_DIR = "whoosh"
# The shape of the records, schema and segment files. An index of another format is
# rebuilt from its files on the next run (search keeps working on it until then).
INDEX_FORMAT = 2
FORMAT_FILE = "FORMAT"
# Below this many files the work is done in-process: starting workers costs more.
PARALLEL_MIN_FILES = 8
LOCK_TIMEOUT_S = 120.0


@dataclass
class FileRef:
    path: Path  # where to read it
    key: str  # resolved absolute path: the manifest key
    display: str  # the path shown to users and stored in hits
    id_base: str  # corpus-relative path without suffix: the doc_id is made from it


@dataclass
class IndexSummary:
    seen: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    projects: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bytes_indexed: int = 0
    rebuilt_from: str | None = None  # the older format an index was rebuilt from

    def describe(self) -> str:
        changed = self.added + self.updated + self.removed
        head = f"{self.seen} files seen"
        if self.rebuilt_from:
            head = (f"index written by an older budgetsearch (format {self.rebuilt_from}, "
                    f"now {INDEX_FORMAT}): rebuilt; {head}")
        if not changed and not self.errors:
            return f"{head}, all {self.unchanged} unchanged: nothing to do (index up to date)"
        parts = [head, f"{self.added} added", f"{self.updated} updated",
                 f"{self.removed} removed", f"{self.unchanged} unchanged",
                 f"{self.projects} projects indexed", f"{len(self.errors)} errors",
                 f"{self.seconds:.1f} s"]
        return ", ".join(parts)


# ---------------------------------------------------------------------------------------
# Finding files and ids


def discover(paths: list[Path], errors: list[str]) -> tuple[list[FileRef], list[Path]]:
    """Files under `paths` with a supported suffix, and the folders that were walked
    (a manifest entry under a walked folder whose file is gone was removed)."""
    found: dict[str, FileRef] = {}
    roots: list[Path] = []
    for given in paths:
        if given.is_dir():
            roots.append(given.resolve())
            for path in sorted(p for p in given.rglob("*") if p.is_file()):
                if path.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(path, given):
                    rel = path.relative_to(given)
                    _add(found, path, str(given / rel), rel.with_suffix("").as_posix())
        elif given.is_file():
            _add(found, given, str(given), given.with_suffix("").name)
        else:
            errors.append(f"{given}: no such file or folder")
    return list(found.values()), roots


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _add(found: dict[str, FileRef], path: Path, display: str, id_base: str) -> None:
    key = str(path.resolve())
    found.setdefault(key, FileRef(path=path, key=key, display=display, id_base=id_base))


def make_doc_id(id_base: str, key: str, taken: dict[str, str]) -> str:
    """A URL-safe id from the corpus-relative path; a short hash of the path is added only
    when the readable form lost characters or is already used by another file."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", id_base.replace("/", "--")).strip("-.")
    if slug and slug == id_base.replace("/", "--") and taken.get(slug, key) == key:
        return slug
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else f"doc-{digest}"


# ---------------------------------------------------------------------------------------
# Manifest


def load_manifest(index_dir: Path) -> dict[str, dict]:
    try:
        return json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # A damaged manifest only costs a full re-index; the records are replaced by path.
        return {}


def save_manifest(index_dir: Path, manifest: dict[str, dict]) -> None:
    tmp = index_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=0), encoding="utf-8")
    os.replace(tmp, index_dir / MANIFEST)


def file_hash(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan_changes(files: list[FileRef], manifest: dict[str, dict], summary: IndexSummary,
                 ) -> list[tuple[FileRef, dict]]:
    """The files to (re)index with their new manifest entries; unchanged files are counted
    (and their mtime refreshed when only the mtime moved)."""
    todo = []
    for ref in files:
        try:
            stat = ref.path.stat()
        except OSError as exc:
            summary.errors.append(f"{ref.display}: cannot read ({exc.strerror or exc})")
            continue
        old = manifest.get(ref.key)
        entry = {"size": stat.st_size, "mtime": stat.st_mtime, "display": ref.display}
        if old and old["size"] == stat.st_size and old["mtime"] == stat.st_mtime:
            summary.unchanged += 1
            continue
        try:
            entry["sha1"] = file_hash(ref.path)
        except OSError as exc:
            summary.errors.append(f"{ref.display}: cannot read ({exc.strerror or exc})")
            continue
        if old and old.get("sha1") == entry["sha1"]:
            old["mtime"] = stat.st_mtime
            summary.unchanged += 1
            continue
        todo.append((ref, entry))
    return todo


def removed_keys(manifest: dict[str, dict], files: list[FileRef], roots: list[Path],
                 given: list[Path]) -> list[str]:
    present = {ref.key for ref in files}
    given_files = {str(p.resolve()) for p in given if not p.is_dir()}
    gone = []
    for key in manifest:
        if key in present:
            continue
        under_root = any(Path(key).is_relative_to(root) for root in roots)
        if (under_root or key in given_files) and not Path(key).exists():
            gone.append(key)
    return gone


# ---------------------------------------------------------------------------------------
# Parsing one file into records (runs in the workers)


def records_for(ref: FileRef, doc_id: str) -> list[dict]:
    """Parse and analyse one file; raises BudgetSearchError naming the file on bad input."""
    from budgetsearch.search.records import build_records

    try:
        parsed = pipeline.parse_file(ref.path, display_path=ref.display)
        return build_records(parsed.facts, parsed.lines, doc_id, ref.display, ref.key)
    except BudgetSearchError:
        raise
    except Exception as exc:  # a parser bug on one file must not stop the batch
        raise BudgetSearchError(
            f"{ref.display}: could not be parsed ({type(exc).__name__}: {exc})") from exc


def _records_of(job: tuple[FileRef, str]) -> list[dict]:
    return records_for(*job)


# ---------------------------------------------------------------------------------------
# The run


def open_or_create(index_dir: Path):
    from whoosh import index as whoosh_index

    from budgetsearch.search.fields import build_schema

    where = index_dir / WHOOSH_DIR
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BudgetSearchError(f"{index_dir}: cannot create the index folder ({exc})") from None
    if whoosh_index.exists_in(str(where)):
        return whoosh_index.open_dir(str(where))
    return whoosh_index.create_in(str(where), build_schema())


def _acquire_writer(ix):
    from whoosh.index import LockError

    deadline = time.monotonic() + LOCK_TIMEOUT_S
    while True:
        try:
            # Holds the index lock; deletes old records and merges segments (merge_policy).
            return segments.FastSegmentWriter(ix, limitmb=segments.SEGMENT_MEMORY_MB,
                                              compound=segments.COMPOUND)
        except LockError:
            if time.monotonic() > deadline:
                raise BudgetSearchError(
                    f"{ix.storage.folder}: the index is locked by another `budgetsearch index` "
                    "run; wait for it to finish") from None
            time.sleep(0.2)


def update_index(paths: list[Path], index_dir: Path, progress: bool) -> "IndexSummary":
    """Bring the index in `index_dir` up to date with the files under `paths`."""
    started = time.monotonic()
    summary = IndexSummary()
    files, roots = discover([Path(p) for p in paths], summary.errors)
    manifest = load_manifest(index_dir)
    previous_ids: dict[str, str] = {}
    summary.rebuilt_from = _stale_format(index_dir)
    if summary.rebuilt_from is not None:
        files, previous_ids = _start_over(index_dir, files, manifest)
        manifest = {}
    summary.seen = len(files)
    todo = plan_changes(files, manifest, summary)
    gone = removed_keys(manifest, files, roots, [Path(p) for p in paths])
    if not todo and not gone:
        if index_dir.exists():
            save_manifest(index_dir, manifest)
        summary.seconds = time.monotonic() - started
        return summary

    ix = open_or_create(index_dir)
    writer = _acquire_writer(ix)
    try:
        taken = {e["doc_id"]: k for k, e in manifest.items() if "doc_id" in e}
        jobs = []
        for ref, entry in todo:
            entry["doc_id"] = previous_ids.get(ref.key) or make_doc_id(ref.id_base, ref.key,
                                                                       taken)
            taken[entry["doc_id"]] = ref.key
            jobs.append((ref, entry["doc_id"]))
        outcomes, written = _run_jobs(ix, jobs, progress)
        _apply_outcomes(writer, manifest, todo, gone, outcomes, summary)
        segments.commit(writer, written)
    except BaseException:
        writer.cancel()
        raise
    save_manifest(index_dir, manifest)
    (index_dir / FORMAT_FILE).write_text(f"{INDEX_FORMAT}\n", encoding="utf-8")
    summary.bytes_indexed = sum(e["size"] for ref, e in todo if outcomes.get(ref.key, (0, 1))[1] is None)
    summary.seconds = time.monotonic() - started
    return summary


def _stale_format(index_dir: Path) -> str | None:
    """The format of an existing index when it is not this version's, else None."""
    if not (index_dir / WHOOSH_DIR).exists():
        return None
    try:
        found = (index_dir / FORMAT_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        found = "1"  # written before the format was recorded
    return None if found == str(INDEX_FORMAT) else found


def _start_over(index_dir: Path, files: list[FileRef], manifest: dict[str, dict]
                ) -> tuple[list[FileRef], dict[str, str]]:
    """Remove an index of an older format. Returns the files to index: those given plus
    those the old index held (still on disk), which keep their document ids."""
    import shutil

    ix = open_or_create(index_dir)
    _acquire_writer(ix).cancel()  # no other run is writing it
    shutil.rmtree(index_dir / WHOOSH_DIR)
    (index_dir / MANIFEST).unlink(missing_ok=True)
    given = {ref.key for ref in files}
    kept = [FileRef(path=Path(key), key=key, display=entry.get("display", key),
                    id_base=Path(key).stem)
            for key, entry in manifest.items() if key not in given and Path(key).is_file()]
    ids = {key: entry["doc_id"] for key, entry in manifest.items() if entry.get("doc_id")}
    return files + kept, ids


def _apply_outcomes(writer, manifest, todo, gone, outcomes, summary) -> None:
    for ref, entry in todo:
        projects, error = outcomes.get(ref.key, (None, f"{ref.display}: not indexed"))
        if error:
            summary.errors.append(error)
            continue
        if ref.key in manifest:
            # Old records go only now that the new ones exist: a failed file keeps its old ones.
            _delete_records(writer, ref.key)
            summary.updated += 1
        else:
            summary.added += 1
        summary.projects += projects
        entry["projects"] = projects
        manifest[ref.key] = entry
    for key in gone:
        _delete_records(writer, key)
        del manifest[key]
        summary.removed += 1


def _delete_records(writer, key: str) -> None:
    # Only segments that existed before this run are searched, so new records survive.
    writer.delete_by_term("path_key", key)


def _run_jobs(ix, jobs, progress):
    bar = _progress_bar(len(jobs), progress)
    outcomes: dict[str, tuple[int | None, str | None]] = {}

    def report(item):
        key, projects, error = item
        outcomes[key] = (projects, error)
        bar.update(1)

    try:
        if len(jobs) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2:
            return outcomes, segments.write_segments(ix, _records_of, jobs, report)
        return outcomes, _run_parallel(ix, jobs, report)
    finally:
        bar.close()


def _run_parallel(ix, jobs, report) -> list:
    context = multiprocessing.get_context("fork")
    job_queue, results = context.Queue(), context.Queue()
    procs = min(os.cpu_count() or 2, 4)
    # Largest files first, so no worker is left with one big PDF at the end.
    for job in sorted(jobs, key=lambda j: -_size(j[0].path)):
        job_queue.put(job)
    workers = [context.Process(target=segments.worker,
                               args=(ix.storage.folder, _records_of, job_queue, results),
                               daemon=True) for _ in range(procs)]
    for worker in workers:
        job_queue.put(None)
        worker.start()
    written, finished, crash = [], 0, None
    while finished < procs:
        kind, payload = results.get()
        if kind == "file":
            report(payload)
        else:
            finished += 1
            if kind == "crash":
                crash = payload
            else:
                written.extend(payload)
    for worker in workers:
        worker.join()
    if crash:
        raise BudgetSearchError(f"an index worker failed:\n{crash}")
    return written


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, enabled: bool):
    if not enabled or total < 2:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, desc="indexing", leave=False)
