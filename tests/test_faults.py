"""The index under faults: a run killed (SIGKILL) at each named phase, two runs at once,
searches while a commit lands, a damaged manifest, a read-only index, an index that never
got its first file. Each time: the last commit searchable, nothing doubled, nothing lost.

Index runs are separate processes (`budgetsearch index`), killed through the test hook
BUDGETSEARCH_TEST_KILL_AT; BUDGETSEARCH_TEST_PHASE_LOG records when each phase was reached.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import make_corpus  # noqa: E402
from budgetsearch.indexer.index import KILL_AT_ENV, PHASE_LOG_ENV, update_index  # noqa: E402
from budgetsearch.indexer.models import BudgetSearchError  # noqa: E402
from budgetsearch.search.engine import SearchRequest, list_documents, search  # noqa: E402

CLI = "import sys; from budgetsearch.web.cli import main; sys.exit(main(sys.argv[1:]))"
FILES = 10  # enough for the parallel workers (indexer.index.PARALLEL_MIN_FILES)
RUN_TIMEOUT_S = 120


def index_process(corpus: Path, index_dir: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "index", str(corpus), "--index-dir", str(index_dir),
         "--quiet"], env={**os.environ, **env}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(proc: subprocess.Popen) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)  # the run and any worker it left
        raise


def run_index(corpus: Path, index_dir: Path, **env: str) -> subprocess.CompletedProcess:
    proc = index_process(corpus, index_dir, **env)
    out, err = finish(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def state(index_dir: Path) -> tuple[list[str], int]:
    """(document ids, project records) of what a search sees: a doubled file would show
    twice in both."""
    docs = sorted(d["id"] for d in list_documents(index_dir))
    projects = search(index_dir, SearchRequest(query="*", limit=1))["counts"]["project"]
    return docs, projects


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """A first corpus of FILES documents and the same with one file changed, one removed
    and one added."""
    root = tmp_path_factory.mktemp("faults")
    first = root / "first"
    make_corpus(first, FILES)
    names = sorted(p.name for p in first.iterdir())
    second = root / "second"
    shutil.copytree(first, second)
    (second / names[0]).unlink()
    changed = second / names[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新增段落 消防演练经费\n",
                       encoding="utf-8")
    shutil.copy(first / names[2], second / "added-copy.txt")
    return first, second


@pytest.fixture(scope="module")
def expected(corpora, tmp_path_factory):
    """What clean runs give: after the first corpus, and after updating to the second."""
    first, second = corpora
    work = tmp_path_factory.mktemp("clean")
    shutil.copytree(first, work / "corpus")
    assert update_index([work / "corpus"], work / "index", progress=False).errors == []
    after_first = state(work / "index")
    _swap_in(second, work / "corpus")
    assert update_index([work / "corpus"], work / "index", progress=False).errors == []
    return after_first, state(work / "index")


def _swap_in(source: Path, target: Path) -> None:
    """Make the folder `target` (indexed under that path) hold the files of `source`."""
    for path in target.iterdir():
        path.unlink()
    for path in source.iterdir():
        shutil.copy2(path, target / path.name)


@pytest.mark.parametrize("phase", ["locked", "file-added", "before-commit", "committed",
                                   "manifest-saved"])
def test_a_kill_at_any_phase_of_an_update_leaves_a_searchable_index(
        phase, corpora, expected, tmp_path):
    first, second = corpora
    after_first, after_second = expected
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(first, corpus)
    assert update_index([corpus], index_dir, progress=False).errors == []
    _swap_in(second, corpus)

    killed = run_index(corpus, index_dir, **{KILL_AT_ENV: phase})
    assert killed.returncode == -9, killed.stderr
    # The last commit: before the run, or (killed after committing) after it.
    seen = state(index_dir)
    committed = phase in ("committed", "manifest-saved")
    assert seen == (after_second if committed else after_first)

    rerun = run_index(corpus, index_dir)
    assert rerun.returncode == 0, rerun.stderr
    assert state(index_dir) == after_second  # nothing doubled, nothing lost
    again = run_index(corpus, index_dir)
    assert "nothing to do" in again.stderr + again.stdout


def test_a_first_run_killed_before_its_commit_leaves_an_empty_searchable_index(
        corpora, expected, tmp_path):
    index_dir = tmp_path / "index"
    killed = run_index(corpora[0], index_dir, **{KILL_AT_ENV: "file-added"})
    assert killed.returncode == -9
    assert state(index_dir) == ([], 0)
    assert run_index(corpora[0], index_dir).returncode == 0
    assert state(index_dir) == expected[0]


def test_search_without_an_index_says_so(tmp_path):
    (tmp_path / "index").mkdir()
    with pytest.raises(BudgetSearchError, match="no index here; run `budgetsearch index`"):
        search(tmp_path / "index", SearchRequest(query="热线"))


def test_two_runs_at_once_index_each_file_once(corpora, expected, tmp_path):
    index_dir = tmp_path / "index"
    runs = [index_process(corpora[0], index_dir) for _ in range(2)]
    results = [finish(proc) for proc in runs]
    assert [proc.returncode for proc in runs] == [0, 0], results
    messages = "".join(out + err for out, err in results)
    # One run wrote the index; the other waited for it, then found nothing to do.
    assert "another `budgetsearch index` run is writing this index; waiting" in messages
    assert "nothing to do (index up to date)" in messages
    assert state(index_dir) == expected[0]


def test_a_second_run_gives_up_with_a_message_when_the_lock_stays_taken(corpora, tmp_path):
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with open(index_dir / "write.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a run that is writing
        second = run_index(corpora[0], index_dir, BUDGETSEARCH_LOCK_WAIT_S="1")
    assert (second.returncode, second.stderr) == (1, (
        f"{index_dir}: another `budgetsearch index` run is writing this index; waiting for "
        f"it to finish\nbudgetsearch: {index_dir}: another `budgetsearch index` run is "
        "writing this index; gave up after 1 s\n"))
    assert not (index_dir / "tantivy").exists()  # nothing read or written meanwhile


def _wait_for_phase(log: Path, phase: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if log.exists() and any(line.split()[0] == phase
                                for line in log.read_text().splitlines()):
            return
        time.sleep(0.01)
    raise AssertionError(f"the run never reached {phase}")


def test_searches_never_fail_while_a_commit_lands(corpora, expected, tmp_path):
    first, second = corpora
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(first, corpus)
    assert update_index([corpus], index_dir, progress=False).errors == []
    _swap_in(second, corpus)
    phases = tmp_path / "phases"
    seen: list[tuple[float, float, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def searching() -> None:
        while not stop.is_set():
            started = time.time()
            try:
                total = search(index_dir, SearchRequest(query="*", limit=1))["counts"]["project"]
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)
                return
            seen.append((started, time.time(), total))

    threads = [threading.Thread(target=searching) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        run = run_index(corpus, index_dir, **{PHASE_LOG_ENV: str(phases)})
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert run.returncode == 0 and errors == []
    times = dict(line.split() for line in phases.read_text().splitlines())
    commit_start, commit_end = float(times["before-commit"]), float(times["committed"])
    during = [s for s in seen if s[0] <= commit_end and s[1] >= commit_start]
    assert during, "no search overlapped the commit"
    assert {total for _, _, total in seen} <= {expected[0][1], expected[1][1]}
    assert seen[-1][2] == expected[1][1]


def test_a_damaged_or_missing_manifest_is_read_back_from_the_index(corpora, expected,
                                                                   tmp_path):
    index_dir = tmp_path / "index"
    assert update_index([corpora[0]], index_dir, progress=False).errors == []
    (index_dir / "manifest.json").write_text('{"generation": 1, "fi', encoding="utf-8")
    assert "nothing to do" in update_index([corpora[0]], index_dir, False).describe()
    (index_dir / "manifest.json").unlink()
    assert "nothing to do" in update_index([corpora[0]], index_dir, False).describe()
    assert state(index_dir) == expected[0]


def test_a_read_only_index_is_searched_served_and_an_update_refused_with_a_message(
        corpora, expected, tmp_path, monkeypatch, capsys):
    mount = tmp_path / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        index_dir = mount / "index"
        assert update_index([corpora[0]], index_dir, progress=False).errors == []
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        searched = subprocess.run(
            [sys.executable, "-c", CLI, "search", "热线", "--index-dir", str(index_dir),
             "--json"], capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        assert searched.returncode == 0, searched.stderr
        assert state(index_dir) == expected[0]
        refused = run_index(corpora[0], index_dir)
        assert (refused.returncode, refused.stderr) == (
            1, f"budgetsearch: {index_dir}: cannot write the index (Read-only file system)\n")
        served = serve_once(monkeypatch, index_dir, corpora[0], "/search?q=%E7%83%AD%E7%BA%BF")
        assert served.status_code == 200 and "热线" in served.get_data(as_text=True)
        assert (f"budgetsearch: {index_dir}: cannot write the index (Read-only file system); "
                "serving the index as it is") in capsys.readouterr().err
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_ends_the_run_with_a_message_and_leaves_no_leftovers(corpora, tmp_path,
                                                                          corpus_dir):
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(mount)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        corpus, index_dir = tmp_path / "corpus", mount / "index"
        corpus.mkdir()
        shutil.copy(corpus_dir / "zhoukou-xzfwzx-2024-budget.txt", corpus)
        assert run_index(corpus, index_dir).returncode == 0
        before, files = state(index_dir), sorted(os.listdir(index_dir / "tantivy"))
        for many in range(4):  # more than the disk holds
            make_corpus(corpus / f"more{many}", 15, seed=many)
        full = run_index(corpus, index_dir)
        assert full.returncode == 1
        assert full.stderr.startswith(
            f"budgetsearch: {index_dir / 'tantivy'}: cannot write the index (the disk is full")
        assert len(full.stderr.splitlines()) == 1
        assert state(index_dir) == before  # the last commit, searchable
        assert sorted(os.listdir(index_dir / "tantivy")) == files  # the failed write's gone
        subprocess.run(["mount", "-o", "remount,size=64m", str(mount)], check=True)
        again = run_index(corpus, index_dir)
        assert again.returncode == 0, again.stderr
        assert state(index_dir)[1] > before[1]
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def serve_once(monkeypatch, index_dir: Path, corpus: Path, url: str):
    """`budgetsearch serve` up to the point it listens; the app it would serve answers
    `url` (through Flask's test client, no socket)."""
    import waitress

    from budgetsearch.web.serve import serve

    served = {}

    class Server:
        effective_port = 0

        def __init__(self, app, **_):
            served["app"] = app

        def run(self):
            pass

    monkeypatch.setattr(waitress, "create_server", Server)
    serve(index_dir, corpus, port=0)
    return served["app"].test_client().get(url)


def _lock_is_free(index_dir: Path) -> bool:
    with open(index_dir / "write.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def _touch_all(corpus: Path) -> None:
    """Change every file, so that an update re-reads them all (in the parallel workers)."""
    for path in sorted(corpus.iterdir()):
        path.write_text(path.read_text(encoding="utf-8") + "\n补充说明\n", encoding="utf-8")


def test_a_worker_killed_while_reading_ends_the_run_naming_its_file(corpora, expected,
                                                                    tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpora[0], corpus)
    assert update_index([corpus], index_dir, progress=False).errors == []
    _touch_all(corpus)
    victim = sorted(corpus.iterdir())[3]
    started = time.monotonic()
    killed = run_index(corpus, index_dir, **{KILL_AT_ENV: f"parsing:{victim.name}"})
    took = time.monotonic() - started
    assert (killed.returncode, killed.stderr) == (1, (
        f"budgetsearch: an index worker died while reading {victim} (killed by SIGKILL, "
        "out of memory or killed); nothing of this run was committed, the index is as the "
        "last run left it\n"))
    assert took < 30, took  # ends at once: no wait for a result that never comes
    assert _lock_is_free(index_dir)
    assert state(index_dir) == expected[0]  # the last commit, searchable
    again = run_index(corpus, index_dir)
    assert again.returncode == 0, again.stderr
    assert len(state(index_dir)[0]) == FILES


def _data_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmData in /proc/self/status")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_file_needing_more_memory_than_a_worker_may_use_fails_alone(
        corpora, tmp_path, monkeypatch):
    from budgetsearch.indexer import index, pipeline

    if (os.cpu_count() or 1) < 2:
        pytest.skip("workers run only with two or more cores")
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpora[0], corpus)
    greedy = sorted(corpus.iterdir())[5]
    real_parse = pipeline.parse_file

    def parse_file(path, display_path=None):
        if Path(path).name == greedy.name:
            bytearray(2**30)  # a reader gone wild: 1 GB at once
        return real_parse(path, display_path=display_path)

    monkeypatch.setattr(pipeline, "parse_file", parse_file)
    # The workers are forked from this process: the limit is what it uses now plus 256 MB.
    limit = _data_bytes() + 256 * 2**20
    monkeypatch.setattr(index, "WORKER_MEMORY_BYTES", limit)
    summary = update_index([corpus], index_dir, progress=False)
    assert summary.errors == [
        f"{greedy}: needs more memory than an index worker may use "
        f"({limit / 2**30:.1f} GB); skipped"]
    docs, _ = state(index_dir)
    assert len(docs) == FILES - 1 and summary.added == FILES - 1


NO_SPACE = "An IO error occurred: 'No space left on device (os error 28)'"


def _no_space(*_) -> None:
    raise ValueError(NO_SPACE)


class _DiskFillsAtCommit:
    """The engine's writer on a disk that fills while the commit writes: the commit fails
    with ENOSPC, and the writer, stopped by the error, cannot roll back either (as tantivy's
    does). (Static methods: a traceback must not keep the writer, as tantivy's keeps none.)"""

    commit = staticmethod(_no_space)
    rollback = staticmethod(_no_space)

    def __init__(self, real) -> None:
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_an_enospc_at_commit_ends_the_run_with_one_line_and_the_next_run_succeeds(
        corpora, expected, tmp_path, monkeypatch):
    from budgetsearch.indexer import engine

    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpora[0], corpus)
    assert update_index([corpus], index_dir, progress=False).errors == []
    committed = sorted(os.listdir(index_dir / "tantivy"))
    _touch_all(corpus)
    real_init = engine.Writer.__init__

    def init(self, where):
        real_init(self, where)
        self.writer = _DiskFillsAtCommit(self.writer)

    with monkeypatch.context() as patch:
        patch.setattr(engine.Writer, "__init__", init)
        with pytest.raises(BudgetSearchError) as failed:
            update_index([corpus], index_dir, progress=False)
    assert str(failed.value) == (
        f"{index_dir / 'tantivy'}: cannot write the index ({NO_SPACE})")
    assert _lock_is_free(index_dir)
    assert state(index_dir) == expected[0]  # the last commit, searchable
    assert sorted(os.listdir(index_dir / "tantivy")) == committed  # nothing left behind
    # With room again, the next run writes everything the failed one could not.
    summary = update_index([corpus], index_dir, progress=False)
    assert (summary.errors, summary.updated) == ([], FILES)
    docs, projects = state(index_dir)
    assert docs == expected[0][0] and projects == expected[0][1]
    assert "nothing to do" in update_index([corpus], index_dir, False).describe()


def test_an_enospc_through_the_cli_is_one_line_without_traceback(corpora, tmp_path):
    """The same failure as a user sees it: `budgetsearch index` exits 1 with one line."""
    index_dir = tmp_path / "index"
    hook = tmp_path / "sitecustomize.py"
    hook.write_text(
        "from budgetsearch.indexer import engine\n"
        "def no_space(*_):\n"
        f"    raise ValueError({NO_SPACE!r})\n"
        "class Full:\n"
        "    commit = rollback = staticmethod(no_space)\n"
        "    def __init__(self, real): self.real = real\n"
        "    def __getattr__(self, name): return getattr(self.real, name)\n"
        "real = engine.Writer.__init__\n"
        "def init(self, where):\n"
        "    real(self, where)\n"
        "    self.writer = Full(self.writer)\n"
        "engine.Writer.__init__ = init\n", encoding="utf-8")
    failed = run_index(corpora[0], index_dir, PYTHONPATH=str(tmp_path))
    assert (failed.returncode, failed.stderr) == (
        1, f"budgetsearch: {index_dir / 'tantivy'}: cannot write the index ({NO_SPACE})\n")
    assert _lock_is_free(index_dir)
    assert state(index_dir) == ([], 0)
    again = run_index(corpora[0], index_dir)
    assert again.returncode == 0, again.stderr
    assert len(state(index_dir)[0]) == FILES
