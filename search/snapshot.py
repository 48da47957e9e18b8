"""The index, one generation of it, as numpy arrays indexed by docnum.

Facet counts, filters, sorting and scoring need a value per record for every match.
Reading them through whoosh's column readers costs a Python call per record; here each
column is read in bulk once per index generation (after each commit):
- facet and type fields (ID fields) from their posting lists: every value is a term, its
  postings are the records holding it;
- year, amount and field lengths from the raw bytes of their fixed-width columns.

Relies on the column layout of the pinned whoosh-reloaded 2.7.5 (NumericColumn: fixed-width
big-endian values, trailing defaults left out); tests/test_search.py compares these arrays
with whoosh's own readers.
"""
from __future__ import annotations

import pickle
import struct
import threading
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from budgetsearch.indexer.postings import EXTENSION, PostingsReader, StaleFormat, read_postings
from budgetsearch.search.fields import FACET_FIELDS, RECORD_TYPES

# Every ID field whose values are counted or filtered on; "doc_id" groups passages by
# document for the snippets of document hits.
CODED_FIELDS = tuple(f for f in FACET_FIELDS if f != "year") + ("rtype", "doc_id")
_LENGTH_OF_BYTE = np.array([byte_to_length(b) if b else 0 for b in range(256)], np.float64)


class Snapshot:
    """Per-docnum arrays of one searcher (one index generation)."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.leaves = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self.flat = [_flat_postings(reader) for reader, _offset in self.leaves]
        self.size = searcher.reader().doc_count_all()
        self.live = self._live()
        self.codes: dict[str, np.ndarray] = {}
        self.vocab: dict[str, list[str]] = {}
        for name in CODED_FIELDS:
            self.codes[name], self.vocab[name] = self._coded(name)
        self.year = self._numeric("year").astype(np.int64)
        self.amount = self._numeric("amount")
        self.type_code = {t: self.vocab["rtype"].index(t) if t in self.vocab["rtype"] else -1
                          for t in RECORD_TYPES}
        self._lengths: dict[str, np.ndarray] = {}
        self.bases: dict[str, dict[str, Any]] = {}  # doc_id -> document fields of passages
        self.memo: dict[tuple, Any] = {}  # parts of the current query (search.matching)
        # whoosh reads its files by seek + read on shared file objects: one query at a
        # time per snapshot (the GIL allowed little more anyway).
        self.lock = threading.RLock()

    # -- building -------------------------------------------------------------------

    def _live(self) -> np.ndarray:
        live = np.ones(self.size, dtype=bool)
        for reader, offset in self.leaves:
            deleted = list(reader.deleted_docs_set or ())
            if deleted:
                live[np.asarray(deleted, dtype=np.int64) + offset] = False
        return live

    def _coded(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Codes per docnum (0: no value) and the values they stand for (index = code)."""
        codes = np.zeros(self.size, dtype=np.int32)
        vocab = [""]
        index: dict[str, int] = {}
        for (reader, offset), flat in zip(self.leaves, self.flat):
            use_flat = flat is not None and flat.has_field(name)
            if use_flat:
                texts = list(flat.terms(name))
            elif name in reader.indexed_field_names():
                texts = [t.decode("utf-8") if isinstance(t, bytes) else str(t)
                         for t in reader.lexicon(name)]
            else:
                continue
            for value in texts:
                code = index.setdefault(value, len(vocab))
                if code == len(vocab):
                    vocab.append(value)
                if use_flat:
                    ids, _weights = flat.postings(name, value)
                else:
                    ids, _weights, _values = read_postings(reader, name, value)
                codes[ids + offset] = code
        return codes, vocab

    def _numeric(self, name: str) -> np.ndarray:
        field = self.searcher.schema[name]
        parts = []
        for reader, _offset in self.leaves:
            count = reader.doc_count_all()
            if not reader.has_column(name):
                raw = np.full(count, field.column_type._default, dtype=np.uint64)
            else:
                raw = _raw_column(reader.column_reader(name, translate=False), count)
            parts.append(raw)
        raw = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
        return _from_sortable(raw, field.numtype, field.bits, field.signed)

    def lengths(self, fieldname: str) -> np.ndarray:
        """Field length per docnum as whoosh scores it (its one-byte approximation)."""
        if fieldname not in self._lengths:
            parts = []
            for reader, _offset in self.leaves:
                count = reader.doc_count_all()
                column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                raw = (np.zeros(count, dtype=np.uint64) if column is None
                       else _raw_column(column, count))
                parts.append(_LENGTH_OF_BYTE[raw.astype(np.intp)])
            self._lengths[fieldname] = (np.concatenate(parts) if parts
                                        else np.zeros(0, dtype=np.float64))
        return self._lengths[fieldname]

    # -- reading --------------------------------------------------------------------

    def of_type(self, ids: np.ndarray, rtype: str) -> np.ndarray:
        return ids[self.codes["rtype"][ids] == self.type_code.get(rtype, -1)]

    def code_of(self, name: str, value: str) -> int:
        try:
            return self.vocab[name].index(value)
        except ValueError:
            return -1

    def count(self, name: str, ids: np.ndarray) -> dict[str, int]:
        """Records per value of a coded field among `ids` (records without one left out)."""
        if name == "year":
            values, counts = np.unique(self.year[ids], return_counts=True)
            return {str(v): int(c) for v, c in zip(values, counts) if v}
        counts = np.bincount(self.codes[name][ids], minlength=len(self.vocab[name]))
        return {self.vocab[name][code]: int(counts[code])
                for code in np.nonzero(counts)[0] if code}


def _flat_postings(reader) -> PostingsReader | None:
    """The segment's flat postings file, if it was written with one of this version;
    otherwise the segment is read through whoosh (slower, same results)."""
    name = reader.segment().make_filename(EXTENSION)
    storage = reader._storage
    if not storage.file_exists(name):
        return None
    try:
        return PostingsReader(storage.open_file(name))
    except (StaleFormat, ValueError, EOFError, pickle.UnpicklingError, struct.error):
        return None


def _raw_column(column, count: int) -> np.ndarray:
    """The values of a whoosh NumericColumn reader as unsigned integers, defaults filled."""
    width = column._fixedlen
    stored = column._count
    data = column._dbfile.get(column._basepos, stored * width) if stored else b""
    dtype = {1: ">u1", 2: ">u2", 4: ">u4", 8: ">u8"}[width]
    raw = np.full(count, column._default, dtype=np.uint64)
    raw[:stored] = np.frombuffer(data, dtype=dtype)[:count]
    return raw


def _from_sortable(raw: np.ndarray, numtype: type, bits: int, signed: bool) -> np.ndarray:
    """whoosh.util.numeric.from_sortable over an array."""
    if numtype is int:
        values = raw.astype(np.int64)
        return values - (1 << (bits - 1)) if signed else values
    x = raw.astype(np.uint64)
    if signed:
        x = x ^ np.uint64(1 << 63)  # subtracting 2**63 from a uint64, read as int64
    x = x.view(np.int64).copy()
    negative = x < 0
    x[negative] ^= np.int64(0x7FFFFFFFFFFFFFFF)
    return x.view(np.float64)
