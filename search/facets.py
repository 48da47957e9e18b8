"""Filters and the order facet values are shown in.

Filters are OR within a facet and AND across facets. The engine counts each facet with
every filter applied except its own (indexer.engine.Snapshot.search), so a user who picked
周口市 still sees how many hits 洛阳市 would add.
"""
from __future__ import annotations

from functools import lru_cache

from budgetsearch.indexer import queries
from budgetsearch.indexer.regions import gazetteer

PLACE_FILTERS = ("province", "city", "county")

_BAND_ORDER = ["<10", "10-50", "50-100", "100-500", "500-1000", ">=1000"]
AMOUNT_RANGE = "amount range"  # the key of the min/max amount filter: not a facet


def filter_queries(filters: dict[str, list[str]], years: list[int],
                   min_amount: float | None, max_amount: float | None
                   ) -> dict[str, queries.Filter]:
    """One engine filter per facet filtered on (and one for the amount range)."""
    by_facet = {name: queries.values_filter(name, values)
                for name, values in filters.items() if values}
    if years:
        by_facet["year"] = queries.values_filter("year", years)
    if min_amount is not None or max_amount is not None:
        # A record without an amount never passes; amounts below zero neither.
        low = max(min_amount, 0.0) if min_amount is not None else 0.0
        by_facet[AMOUNT_RANGE] = queries.amount_filter(low, max_amount)
    return by_facet


def ordered(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {name: dict(_ordered(name, list(counts.items()))) for name, counts in facets.items()}


def _ordered(name: str, items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if name == "year":
        return sorted(items, key=lambda kv: kv[0], reverse=True)
    if name == "amount_band":
        return sorted(items, key=lambda kv: _BAND_ORDER.index(kv[0])
                      if kv[0] in _BAND_ORDER else 99)
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))


@lru_cache(maxsize=3)
def _full_names(key: str) -> frozenset[str]:
    """Every full name a record's `key` (province, city or county) can hold."""
    return frozenset(getattr(d.region, key) for d in gazetteer().by_code.values()
                     if getattr(d.region, key))


def full_place_names(key: str, value: str) -> list[str]:
    """A place as typed (`周口`, `河南`, `洛龙`) as the full names records hold (周口市,
    河南省, 洛龙区), through the gazetteer's short forms, else the one full name that only
    adds a suffix character; the value itself when it is a full name or nothing fits."""
    names = _full_names(key)
    if value in names:
        return [value]
    found = set()
    for code, _ in gazetteer().aliases.get(value, []):
        division = gazetteer().by_code[code]
        if getattr(division.region, key) == division.name:  # a division of that level
            found.add(division.name)
    if not found:
        found = {n for n in names if n.startswith(value) and len(n) == len(value) + 1}
    return sorted(found) or [value]


def resolve_places(filters: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """`filters` with shortened place names replaced by their full names, and a note for
    each name read that way."""
    resolved, notes = dict(filters), []
    for key in PLACE_FILTERS:
        if key not in filters:
            continue
        values: list[str] = []
        for value in filters[key]:
            full = full_place_names(key, value)
            if full != [value]:
                notes.append(f"{key} '{value}' read as {' / '.join(full)}")
            values.extend(v for v in full if v not in values)
        resolved[key] = values
    return resolved, notes
