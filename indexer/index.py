"""`budgetsearch index`: write the index (indexer.engine), incrementally.

One writer at a time: a run takes the index folder's lock before it reads anything, and a
second run waits for it (saying so) or gives up with a message. The manifest (path, size,
mtime, content hash, id of every indexed file) says which files changed since the last
run; it is derived from the index, where each document record carries its file's identity,
and rebuilt from it whenever the saved copy is missing, damaged or from another commit.
Parsing and analysis run in worker processes; the parent replaces each file's records by
its path (whatever the manifest says, so no crash or race can double a document) and
publishes everything in one commit: a search sees the index before the run or after it, and
a run killed at any moment leaves the last commit. A file that fails is reported and
skipped, and its previously indexed records stay. The facts and lines read from each file
are kept by content hash (indexer.factscache), so a rebuild does not read the files again.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import re
import resource
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from budgetsearch.indexer import engine, factscache, pipeline
from budgetsearch.indexer.load import SUPPORTED_SUFFIXES
from budgetsearch.indexer.models import BudgetSearchError

MANIFEST = "manifest.json"
LOCK_FILE = "write.lock"
OLD_WHOOSH_DIR = "whoosh"  # formats 1 and 2 were whoosh indexes
# The shape of the records and the engine's files, and what the extractor reads (bumped
# with factscache.FACTS_FORMAT, so files already indexed are read again). An index of
# another format is rebuilt on the next run, from the facts cache where it has the file.
INDEX_FORMAT = 6
FORMAT_FILE = "FORMAT"
# Below this many files the work is done in-process: starting workers costs more.
PARALLEL_MIN_FILES = 8
MAX_WORKERS = 4
# How long the pool may take to reap its workers once one died, before we name it.
DEAD_WORKER_WAIT_S = 5.0
# How long a second run waits for the one writing the index.
LOCK_TIMEOUT_S = float(os.environ.get("BUDGETSEARCH_LOCK_WAIT_S", "120"))
LOCK_POLL_S = 0.2
# Test hook: the run kills itself (SIGKILL) on reaching the named phase.
KILL_AT_ENV = "BUDGETSEARCH_TEST_KILL_AT"
PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for the child when its parent dies
PHASE_LOG_ENV = "BUDGETSEARCH_TEST_PHASE_LOG"  # test hook: phases and times appended here
# The data (heap) memory of each index worker. OCR of a scanned page, the largest reader,
# peaks near 0.9 GB; a file that needs far more is pathological (a PDF drawing millions of
# characters) and fails alone instead of pushing the machine into swap or the OOM killer.
# RLIMIT_DATA, not RLIMIT_AS: thread stacks and reserved-but-unused arenas do not count.
WORKER_MEMORY_BYTES = 3 * 2**30


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
# The lock, the manifest and test phases


def _phase(name: str) -> None:
    """A named moment of a run; a fault test can log it or kill the process there."""
    log = os.environ.get(PHASE_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{name} {time.time():.6f}\n")
    if os.environ.get(KILL_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def index_exists(index_dir: Path) -> bool:
    """Whether `index_dir` holds a committed index to search."""
    return engine.exists(Path(index_dir) / engine.TANTIVY_DIR)


@contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's writer lock (released by the kernel if the process dies);
    wait up to LOCK_TIMEOUT_S for another run, saying so, then give up with a message."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / LOCK_FILE, "a+")
    except OSError as exc:
        raise BudgetSearchError(
            f"{index_dir}: cannot write the index ({exc.strerror or exc})") from None
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BudgetSearchError(
                        f"{index_dir}: another `budgetsearch index` run is writing this "
                        f"index; gave up after {LOCK_TIMEOUT_S:.0f} s") from None
                if not told:
                    print(f"{index_dir}: another `budgetsearch index` run is writing this "
                          "index; waiting for it to finish", file=sys.stderr)
                    told = True
                time.sleep(LOCK_POLL_S)
        yield
    finally:
        handle.close()


def load_manifest(index_dir: Path) -> dict[str, dict]:
    """path key -> identity of every indexed file: the saved copy when it belongs to the
    index's last commit, otherwise read from the index itself."""
    where = index_dir / engine.TANTIVY_DIR
    generation = engine.commit_generation(where)
    if generation is None:
        return {}
    try:
        saved = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        if saved.get("generation") == generation:
            return saved["files"]
    except (OSError, ValueError, AttributeError, KeyError):
        pass
    return manifest_from_index(where)


def indexed_sources(index_dir: Path) -> dict[str, str]:
    """doc_id -> the absolute, resolved path of the file each document was read from: what
    the index serves, wherever it is opened from. Only reads (a read-only index works)."""
    if not index_exists(index_dir):
        return {}
    return {entry["doc_id"]: key for key, entry in load_manifest(Path(index_dir)).items()
            if entry.get("doc_id")}


def manifest_from_index(where: Path) -> dict[str, dict]:
    snap = engine.Reader(where).snapshot()
    return {entry["key"]: entry for entry in snap.documents("file")}


def save_manifest(index_dir: Path, manifest: dict[str, dict]) -> None:
    data = {"generation": engine.commit_generation(index_dir / engine.TANTIVY_DIR),
            "files": manifest}
    tmp = index_dir / f".{MANIFEST}.tmp"
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
        os.replace(tmp, index_dir / MANIFEST)
    except OSError:
        # Only a cache of what the index holds: the next run reads the index instead.
        tmp.unlink(missing_ok=True)


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
        entry = {"key": ref.key, "size": stat.st_size, "mtime": stat.st_mtime,
                 "display": ref.display}
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


def records_for(ref: FileRef, doc_id: str, index_dir: Path | None = None,
                sha1: str | None = None) -> list[dict]:
    """Parse and analyse one file (its facts from the cache when `index_dir` has them for
    `sha1`); raises BudgetSearchError naming the file on bad input."""
    from budgetsearch.indexer.records import build_records

    try:
        cached = factscache.load(index_dir, sha1, ref.display) if index_dir and sha1 else None
        if cached is None:
            parsed = pipeline.parse_file(ref.path, display_path=ref.display)
            facts, lines = parsed.facts, parsed.lines
            if index_dir and sha1:
                factscache.save(index_dir, sha1, facts, lines)
        else:
            facts, lines = cached
        return build_records(facts, lines, doc_id, ref.display, ref.key)
    except (BudgetSearchError, MemoryError):
        raise
    except Exception as exc:  # a parser bug on one file must not stop the batch
        raise BudgetSearchError(
            f"{ref.display}: could not be parsed ({type(exc).__name__}: {exc})") from exc


Job = tuple[FileRef, dict, Path]  # the file, its new manifest entry, the index folder
Outcome = tuple[str, list[dict] | None, str | None]  # key, records, error


def _run_job(job: Job) -> Outcome:
    ref, entry, index_dir = job
    _phase(f"parsing:{Path(ref.key).name}")
    try:
        records = records_for(ref, entry["doc_id"], index_dir, entry["sha1"])
    except BudgetSearchError as exc:
        return ref.key, None, str(exc)
    except MemoryError:
        return ref.key, None, (f"{ref.display}: needs more memory than an index worker may "
                               f"use ({WORKER_MEMORY_BYTES / 2**30:.1f} GB); skipped")
    projects = sum(1 for r in records if r["rtype"] == "project")
    engine.encode_stored(records)
    records[0]["file"] = {**entry, "projects": projects}  # the document record, read by apply
    return ref.key, records, None


# ---------------------------------------------------------------------------------------
# The run


def update_index(paths: list[Path], index_dir: Path, progress: bool) -> "IndexSummary":
    """Bring the index in `index_dir` up to date with the files under `paths`."""
    started = time.monotonic()
    summary = IndexSummary()
    index_dir = Path(index_dir)
    files, roots = discover([Path(p) for p in paths], summary.errors)
    with write_lock(index_dir):
        _phase("locked")
        previous_ids: dict[str, str] = {}
        summary.rebuilt_from = _stale_format(index_dir)
        if summary.rebuilt_from is not None:
            files, previous_ids = _start_over(index_dir, files)
        manifest = load_manifest(index_dir)
        summary.seen = len(files)
        todo = plan_changes(files, manifest, summary)
        gone = removed_keys(manifest, files, roots, [Path(p) for p in paths])
        if not todo and not gone:
            if engine.exists(index_dir / engine.TANTIVY_DIR):
                save_manifest(index_dir, manifest)
            return _finished(summary, started)
        _write(index_dir, manifest, todo, gone, previous_ids, summary, progress)
    return _finished(summary, started)


def _finished(summary: IndexSummary, started: float) -> IndexSummary:
    # Workers finish in any order; the failed files are reported in path order.
    summary.errors.sort()
    summary.seconds = time.monotonic() - started
    return summary


def _write(index_dir, manifest, todo, gone, previous_ids, summary, progress) -> None:
    where = index_dir / engine.TANTIVY_DIR
    if not engine.exists(where):
        try:
            _write_format(index_dir)
        except OSError as exc:
            raise BudgetSearchError(
                f"{index_dir}: cannot write the index ({exc.strerror or exc})") from None
    writer = engine.Writer(where)
    try:
        taken = {e["doc_id"]: k for k, e in manifest.items() if "doc_id" in e}
        for ref, entry in todo:
            entry["doc_id"] = previous_ids.get(ref.key) or make_doc_id(ref.id_base, ref.key,
                                                                       taken)
            taken[entry["doc_id"]] = ref.key
        replaced = _run_jobs(writer, index_dir, manifest, todo, summary, progress)
        for key in gone:
            writer.delete(key)
            replaced.append(manifest.pop(key).get("sha1"))
            summary.removed += 1
        _phase("before-commit")
        writer.commit()
        _phase("committed")
    except BaseException:
        writer.rollback()
        raise
    save_manifest(index_dir, manifest)
    _phase("manifest-saved")
    with suppress(OSError):  # written when the index was created; this only refreshes it
        _write_format(index_dir)
    shutil.rmtree(index_dir / OLD_WHOOSH_DIR, ignore_errors=True)
    kept = {e.get("sha1") for e in manifest.values()}
    factscache.forget(index_dir, [h for h in replaced if h and h not in kept])


def _write_format(index_dir: Path) -> None:
    (index_dir / FORMAT_FILE).write_text(f"{INDEX_FORMAT}\n", encoding="utf-8")


def _stale_format(index_dir: Path) -> str | None:
    """The format of an existing index when it is not this version's, else None."""
    try:
        found: str | None = (index_dir / FORMAT_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        found = None
    if found == str(INDEX_FORMAT):
        return None
    if (index_dir / OLD_WHOOSH_DIR).exists():
        return found or "1"  # format 1 wrote no FORMAT file
    return found  # None: a first run that stopped before its first commit


def _old_manifest(index_dir: Path) -> dict[str, dict]:
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files", data) if isinstance(data, dict) else {}
    return {k: v for k, v in files.items() if isinstance(v, dict)}


def _start_over(index_dir: Path, files: list[FileRef]
                ) -> tuple[list[FileRef], dict[str, str]]:
    """Remove an index of another format. Returns the files to index: those given plus
    those the old index held (still on disk), which keep their document ids."""
    manifest = _old_manifest(index_dir)
    shutil.rmtree(index_dir / engine.TANTIVY_DIR, ignore_errors=True)
    (index_dir / MANIFEST).unlink(missing_ok=True)
    (index_dir / FORMAT_FILE).unlink(missing_ok=True)
    given = {ref.key for ref in files}
    kept = [FileRef(path=Path(key), key=key, display=entry.get("display", key),
                    id_base=Path(key).stem)
            for key, entry in manifest.items() if key not in given and Path(key).is_file()]
    ids = {key: entry["doc_id"] for key, entry in manifest.items() if entry.get("doc_id")}
    return files + kept, ids


def _run_jobs(writer: engine.Writer, index_dir: Path, manifest: dict[str, dict],
              todo: list[tuple[FileRef, dict]], summary: IndexSummary,
              progress: bool) -> list[str | None]:
    """Parse the files and put their records in the writer; returns the content hashes
    whose records were replaced."""
    bar = _progress_bar(len(todo), progress)
    entries = {ref.key: (ref, entry) for ref, entry in todo}
    replaced: list[str | None] = []

    def apply(outcome: Outcome) -> None:
        key, records, error = outcome
        bar.update(1)
        if error:
            summary.errors.append(error)
            return
        ref, entry = entries[key]
        # Old records go only now that the new ones exist: a failed file keeps its old ones.
        writer.delete(key)
        writer.add(records)
        if key in manifest:
            summary.updated += 1
            replaced.append(manifest[key].get("sha1"))
        else:
            summary.added += 1
        summary.projects += records[0]["file"]["projects"]
        summary.bytes_indexed += entry["size"]
        manifest[key] = records[0]["file"]
        _phase("file-added")

    jobs = [(ref, entry, index_dir) for ref, entry in
            sorted(todo, key=lambda t: -t[1]["size"])]  # biggest first: no straggler
    try:
        if len(jobs) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2:
            for job in jobs:
                apply(_run_job(job))
        else:
            _run_parallel(jobs, apply)
    finally:
        bar.close()
    return replaced


def _start_worker(started) -> None:
    """Set up a worker: it ends when the run does, even killed (an orphan would keep the
    run's lock, inherited with the fork, and its output pipes open); its memory is bounded
    (WORKER_MEMORY_BYTES); it tells the run which file it starts (`started`), so a worker
    that dies can be named with its file."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: orphans end when their job queue closes
    _limit_memory(WORKER_MEMORY_BYTES)
    global _started
    _started = started


_started = None  # in a worker: where it says which file it starts


def _limit_memory(limit: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _run_in_worker(job: Job) -> Outcome:
    if _started is not None:
        _started.put((os.getpid(), job[0].display))
    return _run_job(job)


def _run_parallel(jobs: list[Job], apply: Callable[[Outcome], None]) -> None:
    """Workers parse, the parent writes; a few jobs in flight per worker bound memory. A
    worker that dies ends the run at once with a message naming its file, instead of
    waiting for it forever."""
    procs = min(os.cpu_count() or 2, MAX_WORKERS)
    context = multiprocessing.get_context("fork")
    started = context.SimpleQueue()
    pending = iter(jobs)
    with ProcessPoolExecutor(max_workers=procs, mp_context=context,
                             initializer=_start_worker, initargs=(started,)) as pool:
        running = set()
        workers: dict = {}
        reading: dict[int, str] = {}  # worker pid -> the file it started last
        try:
            while True:
                while len(running) < 2 * procs:
                    job = next(pending, None)
                    if job is None:
                        break
                    running.add(pool.submit(_run_in_worker, job))
                    workers.update(pool._processes or {})
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                _drain(started, reading)  # a full pipe would block the workers
                for future in done:
                    apply(future.result())
        except BrokenProcessPool:
            _drain(started, reading)
            raise BudgetSearchError(_dead_worker(workers, reading)) from None
        except BaseException:
            for future in running:
                future.cancel()
            raise


def _drain(started, reading: dict[int, str]) -> None:
    while not started.empty():
        pid, display = started.get()
        reading[pid] = display


def _dead_worker(workers: dict, last: dict[int, str]) -> str:
    """One line on the worker that died: its file and how it ended."""
    pool_ended = time.monotonic() + DEAD_WORKER_WAIT_S
    dead = []
    for pid, process in workers.items():
        code = process.exitcode
        while code is None and time.monotonic() < pool_ended:
            time.sleep(0.01)
            code = process.exitcode
        # The pool ends the others with SIGTERM once one died.
        if code is not None and code not in (0, -signal.SIGTERM):
            dead.append((pid, code))
    if not dead:
        return ("an index worker died (killed or out of memory); nothing of this run "
                "was committed")
    pid, code = dead[0]
    how = (f"killed by {signal.Signals(-code).name}" if code < 0
           else f"exited with status {code}")
    if code == -signal.SIGKILL:
        how += ", out of memory or killed"
    file = last.get(pid)
    where = f" while reading {file}" if file else ""
    return (f"an index worker died{where} ({how}); nothing of this run was committed, "
            "the index is as the last run left it")


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
