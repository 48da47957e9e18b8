"""Searches never wait for each other: a slow query (a wide OR of wildcards over every
passage) and a light one run side by side, and the light one finishes while the slow one
is still running. Nothing serializes searches: no lock around a search in the web backend
or the search layer (tantivy's searcher is shared by threads and releases the GIL while it
searches; the Python around it interleaves).
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from budgetsearch.indexer.index import update_index
from budgetsearch.web.backend import IndexBackend

WORDS = ["预算", "支出", "项目", "经费", "管理", "服务", "中心", "政府", "财政", "资金",
         "热线", "系统", "建设", "运维", "培训", "办公", "设备", "采购", "人员", "工资",
         "单位", "部门", "公开", "收入", "基本", "其他", "合计", "年度", "资产", "绩效"]
HEAVY = {"q": [" OR ".join(w + "*" for w in WORDS)], "type": ["passage"]}
LIGHT = {"q": ["热线"]}
TRIALS = 3


@pytest.fixture(scope="module")
def index_dir(corpus_dir, tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("concurrency") / "index"
    assert update_index([corpus_dir], index_dir, progress=False).errors == []
    return index_dir


def _timed_search(backend: IndexBackend, params: dict) -> tuple[float, float, int]:
    started = time.monotonic()
    total = backend.search(params)["total"]
    return started, time.monotonic(), total


def _fastest(backend: IndexBackend, params: dict) -> tuple[float, float, int]:
    """The quickest of a few runs (the first opens the index and fills caches)."""
    return min((_timed_search(backend, params) for _ in range(3)), key=lambda s: s[1] - s[0])


def test_a_light_search_finishes_while_a_heavy_one_runs(index_dir):
    backend = IndexBackend(index_dir)
    heavy_alone = _fastest(backend, HEAVY)
    light_alone = _fastest(backend, LIGHT)
    heavy_s = heavy_alone[1] - heavy_alone[0]
    assert heavy_alone[2] > 1000 and light_alone[2] > 0  # both find things
    assert heavy_s > 5 * (light_alone[1] - light_alone[0])  # a slow and a light query

    for _ in range(TRIALS):
        spans: list = []
        heavy = threading.Thread(target=lambda: spans.append(_timed_search(backend, HEAVY)))
        heavy.start()
        time.sleep(heavy_s / 4)  # the heavy search is under way (and would hold any lock)
        light = _timed_search(backend, LIGHT)
        heavy.join()
        (heavy_start, heavy_end, heavy_total), = spans
        # Were searches serialized, the light one would wait for the heavy one to end.
        assert heavy_start < light[0] and light[1] < heavy_end, (spans, light)
        assert (heavy_total, light[2]) == (heavy_alone[2], light_alone[2])  # nothing mixed
