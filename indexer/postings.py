"""A flat copy of each segment's posting lists (record numbers and weights, no positions),
written beside whoosh's own when the segment is written.

whoosh keeps a term's postings in pickled, compressed blocks together with every
posting's positions; reading a common term that way costs tens of milliseconds. Search
needs every match of a query (facet counts are over all of them), so it reads these
arrays instead: one slice per term, no decoding. whoosh's files stay the index of record
(phrase positions, stored fields, columns); a segment without this file is read through
whoosh (search.matching falls back).

File layout: an 8-byte header length, a pickled header {field: (offset, length)} locating
each field's pickled term table {text: (start, count)}, then all record numbers (uint32)
and all weights (float64, as whoosh scores them), term after term in the order whoosh sorts postings.
"""
from __future__ import annotations

import pickle
import struct
import threading
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

EXTENSION = ".bsp"
_HEADER = struct.Struct("<Q")

# (fieldname, term bytes, docnum, weight, value bytes): whoosh's posting tuples
Posting = tuple[str, bytes, int, float, bytes | None]


class PostingsCopy:
    """Collects postings as whoosh writes them, then saves the flat file."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = set(fields)
        self.ids = array("I")
        self.weights = array("d")
        self.tables: dict[str, dict[str, tuple[int, int]]] = {}

    def tee(self, postings: Iterable[Posting]) -> Iterator[Posting]:
        """Pass whoosh's sorted postings through, keeping those of the chosen fields."""
        ids_append, weights_append = self.ids.append, self.weights.append
        current: tuple[str, bytes] | None = None
        table: dict[str, tuple[int, int]] = {}
        start = 0
        for posting in postings:
            fieldname, tbytes, docnum, weight, _value = posting
            if fieldname in self.fields:
                if (fieldname, tbytes) != current:
                    if current is not None:
                        table[current[1].decode("utf-8")] = (start, len(self.ids) - start)
                    table = self.tables.setdefault(fieldname, {})
                    current, start = (fieldname, tbytes), len(self.ids)
                ids_append(docnum)
                weights_append(weight)
            yield posting
        if current is not None:
            table[current[1].decode("utf-8")] = (start, len(self.ids) - start)

    def save(self, handle) -> None:
        """Write the file to `handle` (a whoosh StructFile or any binary file)."""
        tables = {name: pickle.dumps(t, protocol=pickle.HIGHEST_PROTOCOL)
                  for name, t in self.tables.items()}
        layout, offset = {}, 0
        for name, data in tables.items():
            layout[name] = (offset, len(data))
            offset += len(data)
        header = pickle.dumps({"tables": layout, "count": len(self.ids)},
                              protocol=pickle.HIGHEST_PROTOCOL)
        handle.write(_HEADER.pack(len(header)))
        handle.write(header)
        for data in tables.values():
            handle.write(data)
        handle.write(self.ids.tobytes())
        handle.write(self.weights.tobytes())


class PostingsReader:
    """Reads one segment's flat postings file through a whoosh storage file."""

    def __init__(self, handle) -> None:
        self._file = handle
        (size,) = _HEADER.unpack(handle.read(_HEADER.size))
        header = pickle.loads(handle.read(size))
        self._tables_at = _HEADER.size + size
        self._layout: dict[str, tuple[int, int]] = header["tables"]
        self._count: int = header["count"]
        self._ids_at = self._tables_at + sum(length for _, length in self._layout.values())
        self._weights_at = self._ids_at + 4 * self._count
        self._tables: dict[str, dict[str, tuple[int, int]]] = {}
        # A plain (not memory-mapped) file reads by seek + read: one reader at a time.
        self._lock = threading.Lock()

    def has_field(self, fieldname: str) -> bool:
        return fieldname in self._layout

    def terms(self, fieldname: str) -> dict[str, tuple[int, int]]:
        if fieldname not in self._tables:
            offset, length = self._layout.get(fieldname, (0, 0))
            self._tables[fieldname] = (pickle.loads(self._read(self._tables_at + offset, length))
                                       if length else {})
        return self._tables[fieldname]

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.terms(fieldname).get(text, (0, 0))[1]

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        start, count = self.terms(fieldname).get(text, (0, 0))
        if not count:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        ids = np.frombuffer(self._read(self._ids_at + 4 * start, 4 * count), dtype="<u4")
        weights = np.frombuffer(self._read(self._weights_at + 8 * start, 8 * count),
                                dtype="<f8")
        return ids.astype(np.int64), weights

    def _read(self, offset: int, length: int) -> bytes:
        with self._lock:
            return self._file.get(offset, length)

    def close(self) -> None:
        self._file.close()


# ---------------------------------------------------------------------------------------
# Reading whoosh's own posting blocks


def read_postings(reader, fieldname: str, text: str, values: bool = False):
    """(ids, weights, values or None) of one term in one whoosh segment, read from
    whoosh's own blocks (for segments without a flat file, and for positions); deleted
    records included."""
    try:
        tbytes = reader._text_to_bytes(fieldname, text)
        matcher = reader._terms.matcher(fieldname, tbytes, reader.schema[fieldname].format)
    except (TermNotFound, KeyError):
        return np.zeros(0, dtype=np.int64), np.zeros(0), [] if values else None
    if not isinstance(matcher, W3LeafMatcher):  # postings inlined in the term info
        ids, weights, vals = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if values:
                vals.append(matcher.value())
            matcher.next()
        return np.asarray(ids, np.int64), np.asarray(weights, np.float64), (
            vals if values else None)
    return _read_blocks(matcher, values)


def _read_blocks(matcher: W3LeafMatcher, values: bool):
    ids: list[int] = []
    weights: list[float] = []
    vals: list[bytes] = []
    while not matcher._atend:
        matcher._read_data()
        block_ids, block_weights, block_values = matcher._data
        count = matcher._blocklength
        ids.extend(accumulate(block_ids))  # ids are delta-encoded within a block
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if values:
            matcher._read_values()
            vals.extend(matcher._values)
        matcher._next_block()
    return (np.asarray(ids, np.int64), np.asarray(weights, np.float64),
            vals if values else None)
