"""The engine answers the queries of tests/record_search_answers.py over the bundled corpus
as the whoosh index it replaced did: the same hits (as sets: scores differ between the two
engines, relevance is held by tests/test_relevance.py), totals, tab counts, facet counts
and amount sums. Phrases, AND/OR/NOT, field filters, ranges, synonyms and facet filters."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from record_search_answers import answers  # noqa: E402

from budgetsearch.indexer.index import update_index  # noqa: E402

RECORDED = Path(__file__).resolve().parent / "data" / "search_answers.json"
PAGE = 200  # the recorded page size: a longer answer is compared by its counts only


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory, corpus_dir):
    index_dir = tmp_path_factory.mktemp("answers") / "index"
    summary = update_index([corpus_dir], index_dir, progress=False)
    assert summary.errors == []
    return index_dir


def test_answers_equal_the_recorded_ones(corpus_index):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))["cases"]
    now = answers(corpus_index)
    assert [c["query"] for c in now] == [c["query"] for c in recorded]
    for old, new in zip(recorded, now):
        if old["total"] > PAGE:
            old, new = dict(old, hits=None), dict(new, hits=None)
        assert new == old, old["query"]
