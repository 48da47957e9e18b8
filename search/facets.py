"""Facet counts over every match (not only the page shown), read from whoosh columns.

A searcher's column values are copied once into plain lists (per index generation), so
counting a result set is a C-speed `Counter(map(...))` instead of a per-hit column lookup.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from search.fields import FACET_FIELDS, RECORD_TYPES

_BAND_ORDER = ["<10", "10-50", "50-100", "100-500", "500-1000", ">=1000"]


class ColumnCache:
    """Per-docnum values of the facet, type and amount columns of one searcher."""

    def __init__(self, searcher) -> None:
        self.columns: dict[str, list[Any]] = {}
        leaves = searcher.reader().leaf_readers()
        for name in (*FACET_FIELDS, "rtype", "amount"):
            values: list[Any] = []
            for reader, _offset in leaves:
                # A segment where no record has the field has no column for it at all.
                if reader.has_column(name):
                    values.extend(reader.column_reader(name))
                else:
                    values.extend([None] * reader.doc_count_all())
            self.columns[name] = values

    def values(self, name: str) -> list[Any]:
        return self.columns[name]


def _empty(value: Any) -> bool:
    return value in (None, "", b"", 0) or (isinstance(value, float) and value < 0)


def split_by_type(cache: ColumnCache, docnums: list[int]) -> dict[str, list[int]]:
    rtypes = cache.values("rtype")
    groups: dict[str, list[int]] = {t: [] for t in RECORD_TYPES}
    for docnum in docnums:
        groups.setdefault(rtypes[docnum], []).append(docnum)
    return groups


def count_facets(cache: ColumnCache, docnums: list[int]) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        counts = Counter(map(cache.values(name).__getitem__, docnums))
        items = [(str(k), v) for k, v in counts.items() if not _empty(k)]
        facets[name] = dict(_ordered(name, items))
    return facets


def _ordered(name: str, items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if name == "year":
        return sorted(items, key=lambda kv: kv[0], reverse=True)
    if name == "amount_band":
        return sorted(items, key=lambda kv: _BAND_ORDER.index(kv[0])
                      if kv[0] in _BAND_ORDER else 99)
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))


def amount_sum(cache: ColumnCache, docnums: list[int]) -> float:
    amounts = cache.values("amount")
    return round(sum(a for a in map(amounts.__getitem__, docnums) if a > 0), 2)
