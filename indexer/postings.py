"""A flat copy of each segment's posting lists, written beside whoosh's own when the
segment is written: record numbers, weights and, for the text fields, positions.

whoosh keeps a term's postings in pickled, compressed blocks; reading a common term that
way costs tens of milliseconds. Search needs every match of a query (facet counts are
over all of them), so it reads these arrays instead: one slice per term, no decoding.
whoosh's files stay the index of record (stored fields, columns, the postings of
segments written without this file, which search.matching reads through whoosh).

File layout: an 8-byte header length; a pickled header locating each field's pickled term
table {text: (first posting, postings, first position)}; then, for all postings term after
term in whoosh's order, record numbers (uint32), weights (float64, as whoosh scores them)
and position counts (uint32); then the positions (uint32). Positions are copied as bytes
from the values of fields whose format stores them as little-endian uint32
(search.fields.AnalysedPositions); other fields have counts of 0.
"""
from __future__ import annotations

import pickle
import struct
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

EXTENSION = ".bsp"
# Raised whenever the layout changes; a file of another version is ignored (the segment
# is then read through whoosh) rather than misread.
FORMAT_VERSION = 2
_HEADER = struct.Struct("<Q")
_COUNT = 4  # whoosh's position values start with a 4-byte count

# (fieldname, term bytes, docnum, weight, value bytes): whoosh's posting tuples
Posting = tuple[str, bytes, int, float, bytes | None]
Entry = tuple[int, int, int]  # first posting, number of postings, first position


class PostingsCopy:
    """Collects postings as whoosh writes them, then saves the flat file."""

    def __init__(self, fields: Iterable[str], positional: Iterable[str]) -> None:
        self.fields = set(fields)
        self.positional = set(positional) & self.fields
        self.ids = array("I")
        self.weights = array("d")
        self.counts = array("I")
        self.positions = bytearray()
        self.tables: dict[str, dict[str, Entry]] = {}

    def tee(self, postings: Iterable[Posting]) -> Iterator[Posting]:
        """Pass whoosh's sorted postings through, keeping those of the chosen fields."""
        ids_append, weights_append = self.ids.append, self.weights.append
        counts_append, positions = self.counts.append, self.positions
        current: tuple[str, bytes] | None = None
        table: dict[str, Entry] = {}
        start = first_position = 0
        with_positions = False
        for posting in postings:
            fieldname, tbytes, docnum, weight, value = posting
            if fieldname in self.fields:
                if (fieldname, tbytes) != current:
                    if current is not None:
                        table[current[1].decode("utf-8")] = (
                            start, len(self.ids) - start, first_position)
                    table = self.tables.setdefault(fieldname, {})
                    current, start = (fieldname, tbytes), len(self.ids)
                    first_position = len(positions) // 4
                    with_positions = fieldname in self.positional
                ids_append(docnum)
                weights_append(weight)
                if with_positions:
                    positions += value[_COUNT:]
                    counts_append((len(value) - _COUNT) // 4)
                else:
                    counts_append(0)
            yield posting
        if current is not None:
            table[current[1].decode("utf-8")] = (start, len(self.ids) - start, first_position)

    def save(self, handle) -> None:
        """Write the file to `handle` (a whoosh StructFile or any binary file)."""
        tables = {name: pickle.dumps(t, protocol=pickle.HIGHEST_PROTOCOL)
                  for name, t in self.tables.items()}
        layout, offset = {}, 0
        for name, data in tables.items():
            layout[name] = (offset, len(data))
            offset += len(data)
        header = pickle.dumps({"version": FORMAT_VERSION, "tables": layout,
                               "count": len(self.ids), "positional": sorted(self.positional)},
                              protocol=pickle.HIGHEST_PROTOCOL)
        handle.write(_HEADER.pack(len(header)))
        handle.write(header)
        for data in tables.values():
            handle.write(data)
        for column in (self.ids, self.weights, self.counts):
            handle.write(_little_endian(column))
        handle.write(bytes(self.positions))


def _little_endian(column: array) -> bytes:
    if struct.pack("=H", 1) != struct.pack("<H", 1):
        column = array(column.typecode, column)
        column.byteswap()
    return column.tobytes()


class StaleFormat(ValueError):
    """The file was written with another layout."""


class PostingsReader:
    """Reads one segment's flat postings file through a whoosh storage file. Reads are
    seek + read on that one file object, so callers take turns (search.snapshot holds a
    lock per snapshot)."""

    def __init__(self, handle) -> None:
        self._file = handle
        (size,) = _HEADER.unpack(handle.read(_HEADER.size))
        header = pickle.loads(handle.read(size))
        version = header.get("version") if isinstance(header, dict) else None
        if version != FORMAT_VERSION:
            raise StaleFormat(f"flat postings of version {version}, not {FORMAT_VERSION}")
        self._tables_at = _HEADER.size + size
        self._layout: dict[str, tuple[int, int]] = header["tables"]
        self.positional = set(header.get("positional", ()))
        count: int = header["count"]
        self._ids_at = self._tables_at + sum(length for _, length in self._layout.values())
        self._weights_at = self._ids_at + 4 * count
        self._counts_at = self._weights_at + 8 * count
        self._positions_at = self._counts_at + 4 * count
        self._tables: dict[str, dict[str, Entry]] = {}

    def has_field(self, fieldname: str) -> bool:
        return fieldname in self._layout

    def terms(self, fieldname: str) -> dict[str, Entry]:
        if fieldname not in self._tables:
            offset, length = self._layout.get(fieldname, (0, 0))
            self._tables[fieldname] = (pickle.loads(self._read(self._tables_at + offset, length))
                                       if length else {})
        return self._tables[fieldname]

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.terms(fieldname).get(text, (0, 0, 0))[1]

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(record numbers, weights) of one term."""
        start, count, _ = self.terms(fieldname).get(text, (0, 0, 0))
        if not count:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return self._ids(start, count), self._array(self._weights_at + 8 * start, count, "<f8")

    def positions(self, fieldname: str, text: str
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(record numbers, positions per record, all positions in record order, uint32)."""
        start, count, first = self.terms(fieldname).get(text, (0, 0, 0))
        if not count:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        counts = self._array(self._counts_at + 4 * start, count, "<u4").astype(np.int64)
        total = int(counts.sum())
        # Left as uint32: callers take a few of them and widen only those.
        positions = self._array(self._positions_at + 4 * first, total, "<u4")
        return self._ids(start, count), counts, positions

    def _ids(self, start: int, count: int) -> np.ndarray:
        return self._array(self._ids_at + 4 * start, count, "<u4").astype(np.int64)

    def _array(self, offset: int, count: int, dtype: str) -> np.ndarray:
        width = np.dtype(dtype).itemsize
        return np.frombuffer(self._read(offset, width * count), dtype=dtype)

    def _read(self, offset: int, length: int) -> bytes:
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
