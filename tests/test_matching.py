"""The array search layer against whoosh itself: search.matching must find exactly the
records whoosh's matchers find, with whoosh's BM25F scores; search.snapshot's arrays must
hold what whoosh's column readers return; indexer.postings' flat lists must hold what
whoosh's posting blocks hold; and an index written in many small segments must answer
like one written in a few."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from budgetsearch.indexer import segments
from budgetsearch.indexer.index import update_index
from budgetsearch.search import matching
from budgetsearch.search.engine import SearchRequest, _snapshot, list_documents, search
from budgetsearch.search.fields import FLAT_POSTINGS_FIELDS, TEXT_FIELDS
from budgetsearch.search.query import make_parser, parse_query, synonyms_for
from budgetsearch.search import snapshot
from budgetsearch.search.snapshot import CODED_FIELDS, Snapshot

SEEDS = ["zhoukou-xzfwzx-2024-budget.txt", "luolong-zwfwzx-2024-budget.md",
         "jiyuan-xzfwzx-2020-budget.txt"]
QUERIES = ["12345热线", "物业管理费", '"便民热线"', '"12345 热线"', "三公经费 OR 公务接待费",
           "电子政务 NOT 运维", "热线 NOT 12345", "NOT 热线", "政务服务 amount:>=100",
           "amount:[10 TO 50]", "year:2024 热线", "city:周口市 热线", "name:热线", "热*",
           "(网络 OR 网站) AND 运维", "绩效目标", "", "不存在的词汇组合甲乙丙"]


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory, corpus_dir):
    index_dir = tmp_path_factory.mktemp("matching") / "index"
    update_index([corpus_dir / name for name in SEEDS], index_dir, progress=False)
    return index_dir


def whoosh_matches(snap, q):
    searcher = snap.searcher
    matcher = q.matcher(searcher, searcher.context())
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.score()
        matcher.next()
    return found


@pytest.mark.parametrize("text", QUERIES)
def test_matches_and_scores_are_whooshs(seed_index, text):
    snap = _snapshot(seed_index)
    q = parse_query(make_parser(snap.searcher.schema, synonyms_for(seed_index)), text)
    ours = matching.evaluate(snap, q)
    theirs = whoosh_matches(snap, q)
    assert ours.ids.tolist() == sorted(theirs)
    assert ours.scores.tolist() == pytest.approx([theirs[d] for d in sorted(theirs)],
                                                 rel=1e-6)


def test_segments_without_flat_postings_are_read_through_whoosh(seed_index, monkeypatch):
    """An index written before flat postings existed is still searched correctly."""
    flat = _snapshot(seed_index)  # opened (and kept) before flat files are hidden
    monkeypatch.setattr(snapshot, "_flat_postings", lambda reader: None)
    snap = Snapshot(flat.searcher)
    assert snap.flat == [None] * len(snap.leaves)
    parser = make_parser(snap.searcher.schema, synonyms_for(seed_index))
    for text in QUERIES:
        q = parse_query(parser, text)
        ours, theirs = matching.evaluate(snap, q), whoosh_matches(snap, q)
        assert ours.ids.tolist() == sorted(theirs), text
        assert ours.scores.tolist() == pytest.approx([theirs[d] for d in sorted(theirs)],
                                                     rel=1e-6), text
    for name in CODED_FIELDS:
        assert ([snap.vocab[name][c] for c in snap.codes[name]]
                == [flat.vocab[name][c] for c in flat.codes[name]]), name


def test_flat_files_of_another_version_are_ignored(tmp_path, corpus_dir, monkeypatch):
    """A flat postings file written with another layout is not misread: its segment is
    searched through whoosh."""
    from budgetsearch.indexer import postings

    monkeypatch.setattr(postings, "FORMAT_VERSION", 1)
    index_dir = tmp_path / "index"
    update_index([corpus_dir / name for name in SEEDS], index_dir, progress=False)
    monkeypatch.setattr(postings, "FORMAT_VERSION", 2)
    snap = _snapshot(index_dir)
    assert snap.flat == [None] * len(snap.leaves)
    parser = make_parser(snap.searcher.schema, synonyms_for(index_dir))
    for text in ("12345热线", '"便民热线"', "热线 NOT 12345"):
        q = parse_query(parser, text)
        assert matching.evaluate(snap, q).ids.tolist() == sorted(whoosh_matches(snap, q))


def test_snapshot_arrays_are_whooshs_columns(seed_index):
    snap = _snapshot(seed_index)
    reader = snap.searcher.reader()
    for name in CODED_FIELDS:
        values = [snap.vocab[name][code] or None for code in snap.codes[name]]
        expected = [None] * snap.size
        for text in reader.lexicon(name):
            value = text.decode("utf-8")
            for docnum in reader.postings(name, value).all_ids():
                expected[docnum] = value
        assert values == expected, name
    assert snap.year.tolist() == list(reader.column_reader("year"))
    assert snap.amount.tolist() == list(reader.column_reader("amount"))
    for name in TEXT_FIELDS:
        assert snap.lengths(name).tolist() == [
            reader.doc_field_length(d, name, 0) or 0 for d in range(snap.size)], name


def test_flat_postings_are_whooshs(seed_index):
    snap = _snapshot(seed_index)
    checked = 0
    for (reader, _offset), flat in zip(snap.leaves, snap.flat):
        assert flat is not None
        for name in FLAT_POSTINGS_FIELDS:
            whoosh_terms = {t.decode("utf-8") for t in reader.lexicon(name)}
            assert set(flat.terms(name)) == whoosh_terms, name
            for text in sorted(whoosh_terms)[:200]:
                ids, weights = flat.postings(name, text)
                m = reader.postings(name, text)
                pairs = []
                while m.is_active():
                    pairs.append((m.id(), m.weight(), m.value_as("positions")
                                  if name in TEXT_FIELDS else []))
                    m.next()
                assert ids.tolist() == [p[0] for p in pairs]
                assert weights.tolist() == pytest.approx([p[1] for p in pairs], rel=1e-6)
                _ids, counts, positions = flat.positions(name, text)
                assert counts.tolist() == [len(p[2]) for p in pairs]
                assert positions.tolist() == [pos for p in pairs for pos in p[2]]
                checked += 1
    assert checked > 500


def test_many_small_segments_answer_like_few(tmp_path, corpus_dir, seed_index, monkeypatch):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SEEDS:
        shutil.copy(corpus_dir / name, folder / name)
    monkeypatch.setattr(segments, "SEGMENT_MEMORY_MB", 1)
    small = tmp_path / "index"
    update_index([folder / name for name in SEEDS], small, progress=False)
    snap = _snapshot(small)
    assert len(snap.leaves) >= len(SEEDS)  # at least one segment per document
    assert all(flat is not None for flat in snap.flat)

    def view(index_dir, text, type):
        result = search(index_dir, SearchRequest(query=text, type=type, limit=50))
        hits = [(h["name"], h["amount"], h["doc_id"], h["source"]["line"])
                for h in result["hits"]]
        return result["total"], result["counts"], result["facets"], hits

    for text in ("12345热线", '"便民热线"', "物业 NOT 管理", "year:2020"):
        for type in ("project", "document", "passage"):
            assert view(small, text, type) == view(seed_index, text, type), (text, type)


def test_deleted_records_never_match(tmp_path, corpus_dir):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SEEDS[:2]:
        shutil.copy(corpus_dir / name, folder / name)
    index_dir = tmp_path / "index"
    update_index([folder], index_dir, progress=False)
    (folder / SEEDS[0]).unlink()
    update_index([folder], index_dir, progress=False)
    snap = _snapshot(index_dir)
    assert not snap.live.all()  # the removed file's records are deletions in a segment
    q = parse_query(make_parser(snap.searcher.schema, synonyms_for(index_dir)), "热线")
    found = matching.evaluate(snap, q)
    assert snap.live[found.ids].all()
    assert sorted(found.ids.tolist()) == sorted(whoosh_matches(snap, q))
    assert np.isin(found.ids, np.nonzero(~snap.live)[0]).sum() == 0


def test_updates_merge_segments_which_keep_flat_postings(tmp_path, corpus_dir, monkeypatch):
    """Past MAX_SEGMENTS an update merges the smaller half; merged segments are separate
    files (whoosh would hold a compound file in memory) with flat postings, and answer
    like whoosh."""
    monkeypatch.setattr(segments, "MAX_SEGMENTS", 3)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SEEDS:
        shutil.copy(corpus_dir / name, folder / name)
    index_dir = tmp_path / "index"
    update_index([folder / SEEDS[0]], index_dir, progress=False)
    counts = []
    for round_ in range(5):  # each run adds a segment (a new or a changed file)
        path = folder / SEEDS[round_ % len(SEEDS)]
        path.write_text(path.read_text(encoding="utf-8") + f"\n附注{round_}\n", encoding="utf-8")
        update_index([folder / name for name in SEEDS], index_dir, progress=False)
        counts.append(len(_snapshot(index_dir).leaves))
    # A run adds one segment; the first update empties the first segment (dropped), and
    # from three segments on, the smaller half is merged into the run's new one.
    assert counts == [1, 2, 3, 3, 3]
    assert not [p.name for p in (index_dir / "whoosh").iterdir() if p.name.endswith(".seg")]
    snap = _snapshot(index_dir)
    assert all(flat is not None for flat in snap.flat)
    assert len(list_documents(index_dir)) == len(SEEDS)
    q = parse_query(make_parser(snap.searcher.schema, synonyms_for(index_dir)), '"便民热线" OR 附注')
    found = matching.evaluate(snap, q)
    assert found.ids.tolist() == sorted(whoosh_matches(snap, q))
    assert search(index_dir, SearchRequest(query="附注4", type="passage"))["total"] == 1


def test_concurrent_queries_answer_as_they_do_alone(seed_index):
    """The web server runs queries in threads over one snapshot (and its per-query memo)."""
    from concurrent.futures import ThreadPoolExecutor

    def answer(text):
        result = search(seed_index, SearchRequest(query=text, type="passage", limit=50))
        return result["total"], [h["source"]["line"] for h in result["hits"]], result["facets"]

    alone = {text: answer(text) for text in QUERIES}
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(answer, QUERIES * 8))
    assert together == [alone[text] for text in QUERIES * 8]
