"""Writing whoosh segments fast, and publishing several of them in one commit.

Everything here leans on whoosh internals of the pinned whoosh-reloaded 2.7.5
(SegmentWriter's pool, `_flush_segment`, `_finalize_segment`, `_commit_toc`); an upgrade
of whoosh must run tests/test_index.py and bench/bench_index.py again.

Two costs of whoosh's stock writer are avoided:
- when a segment's postings outgrow the writer's memory budget, whoosh pickles them into
  sorted runs on disk and merges the runs back; here the segment is closed instead and
  the next documents go to a new segment, so postings are sorted once, in memory;
- while writing postings whoosh reads each posting's field length back from disk (one
  column lookup per posting); here each length column is read once into a list.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from typing import Any

from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from budgetsearch.indexer import postings

# Postings memory per writing process, as whoosh estimates it (its own estimate runs
# about 30% under the real size). Above it the segment is closed and a new one begun.
SEGMENT_MEMORY_MB = 384
# whoosh opens a file inside a compound segment file as a BytesIO copy of its bytes, so a
# searcher over compound segments holds the whole index in memory (1.3 GB at 2,000
# documents). Separate files are read on demand.
COMPOUND = False
# Past this many segments an update merges the smaller half (see merge_policy).
MAX_SEGMENTS = 24
# Close the segment a little before the budget, so one more document does not spill.
_CLOSE_AT = 0.85

Report = Callable[[tuple[str, int | None, str | None]], None]
Job = tuple[Any, str]


class _PreloadedLengths:
    """The `doc_field_length` lookup whoosh's posting writer asks for, from lists."""

    def __init__(self, perdoc_reader) -> None:
        self._reader = perdoc_reader
        self._lengths: dict[str, list[int] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname, False)
        if lengths is False:
            lengths = self._load(fieldname)
        return default if lengths is None else lengths[docnum]

    def _load(self, fieldname: str) -> list[int] | None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        lengths = None
        if column is not None:
            lengths = [byte_to_length(b) if b else 0 for b in column]
        self._lengths[fieldname] = lengths
        return lengths


class FastSegmentWriter(SegmentWriter):
    """A SegmentWriter whose flush reads field lengths from memory and also writes the
    segment's flat postings file (indexer.postings)."""

    def _flush_segment(self) -> None:
        from budgetsearch.search.fields import FLAT_POSTINGS_FIELDS

        self.perdocwriter.close()
        perdoc = self.per_document_reader() if self.codec.length_stats else None
        lengths = _PreloadedLengths(perdoc) if perdoc else None
        # Positions are copied only where the format stores them as plain uint32 (an index
        # created before that format keeps whoosh's pickled positions).
        positional = [name for name in FLAT_POSTINGS_FIELDS
                      if getattr(self.schema[name].format, "raw_positions", False)]
        flat = postings.PostingsCopy(FLAT_POSTINGS_FIELDS, positional)
        self.fieldwriter.add_postings(self.schema, lengths, flat.tee(self.pool.iter_postings()))
        self.fieldwriter.close()
        if perdoc:
            perdoc.close()
        # Named after the segment, so whoosh packs it into the segment's compound file
        # and deletes it with the segment.
        handle = self.newsegment.create_file(self.storage, postings.EXTENSION)
        flat.save(handle)
        handle.close()

    def is_full(self) -> bool:
        # A document larger than the budget spills a run (and whoosh resets the size).
        return bool(self.pool.runs) or self.pool.currentsize >= _CLOSE_AT * self.pool.limit


def new_segment_writer(ix) -> FastSegmentWriter:
    """A writer for one uncommitted segment; the index lock is held by the caller."""
    return FastSegmentWriter(ix, _lk=False, limitmb=SEGMENT_MEMORY_MB, compound=COMPOUND)


def write_segments(ix, records_of: Callable[[Job], list[dict]], jobs: Iterable[Job],
                   report: Report) -> list:
    """Index `jobs` into as many new segments as the memory budget needs and return them,
    finished but not committed. `records_of` raises BudgetSearchError for a bad file,
    which is reported and skipped."""
    from budgetsearch.indexer.models import BudgetSearchError

    segments = []
    writer = new_segment_writer(ix)
    for ref, doc_id in jobs:
        try:
            records = records_of((ref, doc_id))
        except BudgetSearchError as exc:
            report((ref.key, None, str(exc)))
            continue
        for record in records:
            writer.add_document(**record)
        report((ref.key, sum(1 for r in records if r["rtype"] == "project"), None))
        if writer.is_full():
            segments.append(writer._finalize_segment())
            writer = new_segment_writer(ix)
    if writer._added:
        segments.append(writer._finalize_segment())
    else:
        # Not cancel(): it removes the temporary folder that other writers share.
        # The empty segment's files are removed by the commit's clean-up.
        writer._close_segment()
    return segments


def worker(index_dir: str, records_of: Callable[[Job], list[dict]], jobs, results) -> None:
    """Worker process: index the files taken from the `jobs` queue, reporting each file on
    `results`, then the list of its segments (the parent publishes them)."""
    from whoosh.index import open_dir

    try:
        ix = open_dir(index_dir)
        segments = write_segments(ix, records_of, iter(jobs.get, None),
                                  lambda item: results.put(("file", item)))
        results.put(("segments", segments))
    except BaseException:
        results.put(("crash", traceback.format_exc()))


def merge_policy(writer, existing: list) -> list:
    """Which existing segments to keep; the others are merged into the writer's segment.

    whoosh's MERGE_SMALL only merges segments of a few dozen records, so with segments of
    hundreds every incremental run would add one for good and searches would slow down
    with their number. Here, once MAX_SEGMENTS are reached, the smaller half (by live
    records) is merged; segments whose records were all deleted always go."""
    from whoosh.reading import SegmentReader

    empty = [seg for seg in existing if seg.doc_count() == 0]
    live = sorted((seg for seg in existing if seg.doc_count() > 0),
                  key=lambda seg: seg.doc_count())
    merged = live[: len(live) // 2] if len(live) >= MAX_SEGMENTS else []
    for seg in merged:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    gone = {id(seg) for seg in empty + merged}
    return [seg for seg in existing if id(seg) not in gone]


def commit(writer, segments: list) -> None:
    """One commit publishing the writer's own deletions and documents together with the
    given segments (as whoosh's multi-process writer does with multisegment=True)."""
    final = writer._merge_segments(merge_policy, False, True)
    final += segments
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()
