"""An index is served from any working folder: it remembers the absolute, resolved path of
every file it read, serves exactly those (a symlinked file included, a file swapped for a
symlink to elsewhere refused), and `serve` says what it does with a --corpus that is not
what the index holds.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budgetsearch.indexer.index import update_index
from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.search.engine import list_documents
from test_faults import serve_once

PLAIN = "zhoukou-xzfwzx-2024-budget.txt"
LINKED = "jiyuan-xzfwzx-2020-budget.txt"


@pytest.fixture
def indexed(corpus_dir, tmp_path, monkeypatch):
    """An index built in one folder from a corpus holding a file and a symlink to a file
    kept elsewhere; the tests then run from another folder."""
    built_in, corpus, elsewhere = tmp_path / "work", tmp_path / "work" / "corpus", tmp_path / "kept"
    corpus.mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(corpus_dir / PLAIN, corpus)
    shutil.copy(corpus_dir / LINKED, elsewhere)
    (corpus / "linked.txt").symlink_to(elsewhere / LINKED)
    monkeypatch.chdir(built_in)
    assert update_index([Path("corpus")], Path("index"), progress=False).errors == []
    away = tmp_path / "away"
    away.mkdir()
    monkeypatch.chdir(away)
    index_dir = built_in / "index"
    ids = {Path(d["path"]).name: d["id"] for d in list_documents(index_dir)}
    return index_dir, corpus, elsewhere, ids


def test_an_index_is_served_from_another_folder_symlinked_files_included(
        indexed, monkeypatch, capsys):
    index_dir, corpus, elsewhere, ids = indexed
    assert sorted(ids) == ["linked.txt", PLAIN]
    raw = serve_once(monkeypatch, index_dir, None, f"/doc/{ids['linked.txt']}/raw")
    assert (raw.status_code, raw.data) == (200, (elsewhere / LINKED).read_bytes())
    raw = serve_once(monkeypatch, index_dir, None, f"/doc/{ids[PLAIN]}/raw")
    assert (raw.status_code, raw.data) == (200, (corpus / PLAIN).read_bytes())
    page = serve_once(monkeypatch, index_dir, None, f"/doc/{ids['linked.txt']}")
    first_line = (elsewhere / LINKED).read_text(encoding="utf-8").splitlines()[0].strip()
    assert page.status_code == 200 and first_line in page.get_data(as_text=True)
    assert (f"budgetsearch: serving the index in {index_dir}/ as it is (2 documents under "
            f"{corpus.parent.parent}); give --corpus DIR to update it first"
            ) in capsys.readouterr().err


def test_a_file_swapped_for_a_symlink_to_elsewhere_is_not_served(indexed, monkeypatch,
                                                                  tmp_path):
    index_dir, corpus, _, ids = indexed
    secret = tmp_path / "secret.txt"
    secret.write_text("not indexed\n", encoding="utf-8")
    (corpus / PLAIN).unlink()
    (corpus / PLAIN).symlink_to(secret)
    raw = serve_once(monkeypatch, index_dir, None, f"/doc/{ids[PLAIN]}/raw")
    assert raw.status_code == 404 and b"not indexed" not in raw.data


def test_serve_refuses_a_corpus_the_index_does_not_hold(indexed, tmp_path, monkeypatch):
    index_dir, corpus, _, _ = indexed
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(BudgetSearchError) as refused:
        serve_once(monkeypatch, index_dir, other, "/")
    assert str(refused.value) == (
        f"{index_dir}: this index holds the documents under {corpus.parent.parent}, not "
        f"{other}: serve that folder with an --index-dir of its own, or add it to this index "
        f"with `budgetsearch index {other} --index-dir {index_dir}`")
    assert len(list_documents(index_dir)) == 2  # nothing added


def test_serve_with_the_indexed_corpus_updates_it_from_anywhere(indexed, monkeypatch):
    index_dir, corpus, _, ids = indexed
    shutil.copy(corpus / PLAIN, corpus / "copy.txt")
    home = serve_once(monkeypatch, index_dir, corpus, "/")
    assert home.status_code == 200
    assert sorted(Path(d["path"]).name for d in list_documents(index_dir)) == [
        "copy.txt", "linked.txt", PLAIN]


def test_serve_without_an_index_or_a_corpus_says_what_to_give(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(BudgetSearchError, match=(
            "index: no index here, and no corpus/ folder in .*: give --corpus DIR")):
        serve_once(monkeypatch, tmp_path / "index", None, "/")
