"""Searches never wait for each other: while one search is inside the engine (a slow query
holds it there), another search runs from start to end. Nothing serializes searches: no
lock around a search in the web backend or the search layer (tantivy's searcher is shared
by threads and lets go of the interpreter while it searches).

The slow search is made slow where a slow query spends its time, inside the engine call:
it waits there until the second search has finished, or gives up after a timeout. Were
searches serialized, the second one could not finish while the first is held, and the test
fails on the timeout instead of hanging.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from budgetsearch.indexer import engine
from budgetsearch.indexer.index import update_index
from budgetsearch.web.backend import IndexBackend

WORDS = ["预算", "支出", "项目", "经费", "管理", "服务", "中心", "政府", "财政", "资金"]
HEAVY = {"q": [" OR ".join(w + "*" for w in WORDS)], "type": ["passage"]}
LIGHT = {"q": ["热线"]}
WAIT_S = 20  # far longer than any search of the seed corpus takes


@pytest.fixture(scope="module")
def index_dir(corpus_dir, tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("concurrency") / "index"
    assert update_index([corpus_dir], index_dir, progress=False).errors == []
    return index_dir


def test_a_light_search_finishes_while_a_heavy_one_runs(index_dir, monkeypatch):
    backend = IndexBackend(index_dir)
    heavy_alone = backend.search(HEAVY)["total"]
    light_alone = backend.search(LIGHT)["total"]
    assert heavy_alone > 100 and light_alone > 0  # both find things

    inside, light_done = threading.Event(), threading.Event()
    search_in_engine = engine.Snapshot.search

    def held_search(self, query, filters, rtype, *args, **kwargs):
        found = search_in_engine(self, query, filters, rtype, *args, **kwargs)
        if rtype == "passage" and threading.current_thread().name == "heavy":
            inside.set()
            light_done.wait(WAIT_S)  # the heavy search is held inside the engine call
        return found

    monkeypatch.setattr(engine.Snapshot, "search", held_search)
    totals: dict[str, int] = {}
    heavy = threading.Thread(target=lambda: totals.update(heavy=backend.search(HEAVY)["total"]),
                             name="heavy")
    heavy.start()
    assert inside.wait(WAIT_S), "the heavy search never reached the engine"
    totals["light"] = backend.search(LIGHT)["total"]
    finished_while_held = heavy.is_alive()
    light_done.set()
    heavy.join(WAIT_S)
    assert finished_while_held  # the light search ended while the heavy one was held
    assert totals == {"heavy": heavy_alone, "light": light_alone}  # nothing mixed
