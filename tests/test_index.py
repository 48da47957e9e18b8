"""`budgetsearch index`: incremental runs, failing files, the parallel writers, and searches
running while the index is written."""
from __future__ import annotations

import json
import shutil
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import make_corpus  # noqa: E402
from budgetsearch.indexer import pipeline  # noqa: E402
from budgetsearch.indexer.index import INDEX_FORMAT, make_doc_id, update_index  # noqa: E402
from budgetsearch.search.engine import SearchRequest, list_documents, search  # noqa: E402

ZHOUKOU = "zhoukou-xzfwzx-2024-budget.txt"
LUOLONG = "luolong-zwfwzx-2024-budget.md"


def hits(index_dir, query, type="project"):
    return search(index_dir, SearchRequest(query=query, type=type))["total"]


@pytest.fixture
def small_corpus(tmp_path, corpus_dir):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in (ZHOUKOU, LUOLONG):
        shutil.copy(corpus_dir / name, folder / name)
    return folder


def test_rerun_change_and_delete(small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = update_index([small_corpus], index_dir, progress=False)
    assert (first.added, first.errors) == (2, [])
    assert first.projects > 0 and hits(index_dir, "物业管理费") == 1

    again = update_index([small_corpus], index_dir, progress=False)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 2)
    assert "nothing to do" in again.describe()

    path = small_corpus / ZHOUKOU
    path.write_text(path.read_text(encoding="utf-8").replace("物业管理费", "保洁绿化费"),
                    encoding="utf-8")
    changed = update_index([small_corpus], index_dir, progress=False)
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert hits(index_dir, "物业管理费") == 0 and hits(index_dir, "保洁绿化费") == 1
    assert len(list_documents(index_dir)) == 2

    (small_corpus / LUOLONG).unlink()
    removed = update_index([small_corpus], index_dir, progress=False)
    assert removed.removed == 1
    assert hits(index_dir, "12345便民热线值班带班补助") == 0
    assert [d["id"] for d in list_documents(index_dir)] == ["zhoukou-xzfwzx-2024-budget"]


def test_touched_but_identical_file_is_not_reindexed(small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index([small_corpus], index_dir, progress=False)
    (small_corpus / ZHOUKOU).touch()
    assert "nothing to do" in update_index([small_corpus], index_dir, progress=False).describe()


def test_broken_file_is_reported_and_keeps_what_was_indexed(small_corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index([small_corpus], index_dir, progress=False)
    (small_corpus / "broken.pdf").write_bytes(b"this is not a pdf at all")
    (small_corpus / ZHOUKOU).write_bytes(b"")  # a good file turned bad
    summary = update_index([small_corpus], index_dir, progress=False)
    assert len(summary.errors) == 2
    assert any("broken.pdf" in e for e in summary.errors)
    assert any(ZHOUKOU in e and "empty" in e for e in summary.errors)
    # The previous version of the emptied file is still searchable.
    assert hits(index_dir, "物业管理费") == 1 and hits(index_dir, "12345便民热线办公经费") == 1


def test_doc_ids_are_url_safe_and_unique():
    taken: dict[str, str] = {}
    first = make_doc_id("zhoukou-2024", "/a/zhoukou-2024.txt", taken)
    taken[first] = "/a/zhoukou-2024.txt"
    second = make_doc_id("zhoukou-2024", "/a/zhoukou-2024.md", taken)
    assert first == "zhoukou-2024" and second.startswith("zhoukou-2024-") and second != first
    chinese = make_doc_id("周口市预算", "/a/周口市预算.txt", {})
    assert chinese.startswith("doc-") and chinese.isascii()


def test_parallel_run_and_searches_during_the_commit(tmp_path):
    corpus = tmp_path / "synthetic"
    paths = make_corpus(corpus, 12)
    index_dir = tmp_path / "index"
    update_index(paths[:2], index_dir, progress=False)
    before = search(index_dir, SearchRequest(query="热线", type="document"))["total"]

    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def search_loop():
        while not stop.is_set():
            try:
                seen.add(search(index_dir, SearchRequest(query="热线", type="document"))["total"])
            except BaseException as exc:  # noqa: BLE001 - any failure is the finding
                errors.append(exc)

    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        summary = update_index([corpus], index_dir, progress=False)
    finally:
        stop.set()
        thread.join()
    assert summary.errors == [] and (summary.added, summary.unchanged) == (10, 2)
    after = search(index_dir, SearchRequest(query="热线", type="document"))["total"]
    assert errors == []
    # Either the index before the run or after it: never a part of the commit.
    assert seen <= {before, after} and after > before


def test_a_file_that_never_finishes_does_not_stop_the_batch(tmp_path, stuck_file):
    """Workers give a pathological file up after the time limit; the others are indexed."""
    corpus = tmp_path / "synthetic"
    make_corpus(corpus, 9)
    stuck = corpus / "stuck.txt"
    stuck.write_text("热线", encoding="utf-8")
    stuck_file("stuck.txt", 1.0)
    summary = update_index([corpus], tmp_path / "index", progress=False)
    assert summary.errors == [f"{stuck}: still not read after 1 s (a pathological file?); skipped"]
    assert summary.added == 9
    assert len(list_documents(tmp_path / "index")) == 9


def test_an_index_of_an_older_format_is_rebuilt_with_its_files_and_ids(small_corpus, tmp_path,
                                                                     monkeypatch):
    index_dir = tmp_path / "index"
    update_index([small_corpus], index_dir, progress=False)
    ids = {d["path"]: d["id"] for d in list_documents(index_dir)}
    (index_dir / "FORMAT").write_text("1\n", encoding="utf-8")

    # The facts cache holds what was read from both files: the rebuild reads neither.
    def no_reading(path, display_path=None):
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(pipeline, "parse_file", no_reading)
    # Only one file is named: the other, indexed before, is rebuilt from its own path.
    summary = update_index([small_corpus / ZHOUKOU], index_dir, progress=False)
    assert summary.rebuilt_from == "1" and (summary.added, summary.errors) == (2, [])
    assert summary.describe().startswith(
        f"index written by an older budgetsearch (format 1, now {INDEX_FORMAT}): rebuilt; "
        "2 files seen")
    assert {d["path"]: d["id"] for d in list_documents(index_dir)} == ids
    assert (index_dir / "FORMAT").read_text(encoding="utf-8") == f"{INDEX_FORMAT}\n"
    assert hits(index_dir, "12345热线") == 4
    again = update_index([small_corpus], index_dir, progress=False)
    assert again.rebuilt_from is None and again.describe().endswith("nothing to do (index up to date)")


def test_a_whoosh_index_of_format_2_is_replaced_keeping_its_document_ids(small_corpus, tmp_path):
    """What an older budgetsearch left: a whoosh/ folder, FORMAT 2 and its manifest (path ->
    size, mtime, hash, doc id)."""
    index_dir = tmp_path / "index"
    (index_dir / "whoosh").mkdir(parents=True)
    (index_dir / "FORMAT").write_text("2\n", encoding="utf-8")
    key = str((small_corpus / ZHOUKOU).resolve())
    (index_dir / "manifest.json").write_text(json.dumps({key: {
        "size": 1, "mtime": 1.0, "display": str(small_corpus / ZHOUKOU), "sha1": "0",
        "doc_id": "zk-kept", "projects": 8}}), encoding="utf-8")
    summary = update_index([small_corpus], index_dir, progress=False)
    assert (summary.rebuilt_from, summary.added, summary.errors) == ("2", 2, [])
    assert not (index_dir / "whoosh").exists()
    assert {Path(d["path"]).name: d["id"] for d in list_documents(index_dir)} == {
        ZHOUKOU: "zk-kept", LUOLONG: "luolong-zwfwzx-2024-budget"}
