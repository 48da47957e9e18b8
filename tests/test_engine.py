"""indexer/engine.py on hand-made records: what a commit publishes, deleting a file's
records, phrases stopping at paragraph gaps, filters (OR within a facet, AND across), facet
counts without their own filter, the amount sum, and values that need quoting."""
from __future__ import annotations

from pathlib import Path

import pytest

from budgetsearch.indexer import engine, queries, schema


def record(rid: str, path: str, rtype: str = "project", **fields) -> dict:
    """A record as indexer.records makes them: body text with the pairs of its units."""
    if "body" in fields:
        fields["body_pairs"] = " ".join(schema.pairs(fields["body"].split()))
    return {"rid": rid, "rtype": rtype, "doc_id": rid.split("/")[0], "path_key": path,
            "hit": {"type": rtype, "rid": rid}, **fields}


RECORDS = [
    record("a/j0", "/a", city="周口市", department='某"中心', year=2024, amount=10.0,
           name="便民 热线", body="经费"),
    record("a/j1", "/a", city="周口市", department="甲中心", year=2020, amount=200.0,
           name="热线 维护", body="便民 | 热线"),
    record("b/j0", "/b", city="济源市", department="乙中心", year=2024, amount=5.5,
           name="便民 服务", body="便民 服务 热线"),
    record("b", "/b", rtype="document", city="济源市", department="乙中心", year=2024,
           amount=300.0, title="预算", body="便民 热线"),
]


@pytest.fixture
def index(tmp_path) -> Path:
    where = tmp_path / "tantivy"
    writer = engine.Writer(where)
    writer.add(RECORDS)
    writer.commit()
    return where


def rids(snap: engine.Snapshot, outcome: engine.Outcome) -> list[str]:
    return sorted(snap.stored(address)["rid"] for _, address in outcome.hits)


def test_only_a_commit_publishes_and_a_file_is_deleted_by_its_path(index):
    reader = engine.Reader(index)
    everything = queries.everything()
    assert reader.snapshot().search(everything, {}, "project").total == 3
    writer = engine.Writer(index)
    writer.delete("/a")
    writer.add([record("a/j0", "/a", name="新 项目")])
    assert reader.snapshot().search(everything, {}, "project").total == 3  # not committed
    writer.commit()
    snap = reader.snapshot()
    assert rids(snap, snap.search(everything, {}, "project")) == ["a/j0", "b/j0"]
    writer = engine.Writer(index)
    writer.delete("/b")
    writer.rollback()  # a run that fails publishes nothing
    assert reader.snapshot().search(everything, {}, "document").total == 1


def test_phrases_match_adjacent_units_only_within_a_paragraph(index):
    snap = engine.Reader(index).snapshot()
    found = snap.search(queries.phrase("body", ["便民", "热线"]), {}, "project")
    assert rids(snap, found) == []  # a/j1 has them across a paragraph gap, b/j0 apart
    found = snap.search(queries.phrase("body", ["便民", "热线"]), {}, "document")
    assert rids(snap, found) == ["b"]
    found = snap.search(queries.phrase("body", ["便民", "服务", "热线"]), {}, "project")
    assert rids(snap, found) == ["b/j0"]
    found = snap.search(queries.phrase("name", ["便民", "热线"]), {}, "project")
    assert rids(snap, found) == ["a/j0"]


def test_facets_are_counted_without_their_own_filter_and_amounts_summed(index):
    snap = engine.Reader(index).snapshot()
    filters = {"city": queries.values_filter("city", ["周口市"]),
               "year": queries.values_filter("year", [2024, 2020])}
    found = snap.search(queries.everything(), filters, "project")
    assert rids(snap, found) == ["a/j0", "a/j1"]
    assert found.counts == {"project": 2, "document": 0, "passage": 0}
    assert found.amount_sum == 210.0
    assert found.facets["city"] == {"周口市": 2, "济源市": 1}  # the city filter left out
    assert found.facets["year"] == {"2024": 1, "2020": 1}
    assert found.facets["department"] == {'某"中心': 1, "甲中心": 1}


def test_a_value_with_a_quote_filters_and_counts(index):
    snap = engine.Reader(index).snapshot()
    filters = {"department": queries.values_filter("department", ['某"中心']),
               "amount range": queries.amount_filter(0.0, 50.0)}
    found = snap.search(queries.everything(), filters, "project")
    assert rids(snap, found) == ["a/j0"]
    assert found.facets["department"] == {'某"中心': 1, "乙中心": 1}
    assert found.amount_sum == 10.0


def test_sorting_by_amount(index):
    snap = engine.Reader(index).snapshot()
    found = snap.search(queries.everything(), {}, "project", sort="-amount")
    assert [snap.stored(a)["rid"] for _, a in found.hits] == ["a/j1", "a/j0", "b/j0"]


def test_stored_fields_encoded_before_writing_read_back_as_written(tmp_path):
    """Index workers encode a record's stored fields (engine.encode_stored) so the writing
    process only copies bytes: what is read back is the same either way."""
    facts = {"title": "预算", "projects": [{"name": "便民热线", "amount": 12.5}]}
    plain = record("c", "/c", rtype="document", title="预算", facts=facts,
                   file={"key": "/c", "sha1": "ab"})
    encoded = engine.encode_stored([record("d", "/d", rtype="document", title="预算",
                                           facts=facts, file={"key": "/d", "sha1": "cd"})])
    assert all(isinstance(encoded[0][name], bytes) for name in schema.STORED_FIELDS)
    where = tmp_path / "tantivy"
    writer = engine.Writer(where)
    writer.add([plain, *encoded])
    writer.commit()
    snap = engine.Reader(where).snapshot()
    read = {}
    for rid in ("c", "d"):
        address = snap.first(queries.term("rid", rid))
        read[rid] = {name: snap.stored(address, name) for name in schema.STORED_FIELDS}
    assert read == {
        "c": {"hit": {"type": "document", "rid": "c"}, "facts": facts,
              "file": {"key": "/c", "sha1": "ab"}},
        "d": {"hit": {"type": "document", "rid": "d"}, "facts": facts,
              "file": {"key": "/d", "sha1": "cd"}},
    }
