"""Filters and the order facet values are shown in.

Filters are OR within a facet and AND across facets. The engine counts each facet with
every filter applied except its own (indexer.engine.Snapshot.search), so a user who picked
周口市 still sees how many hits 洛阳市 would add.
"""
from __future__ import annotations

from budgetsearch.indexer import engine

_BAND_ORDER = ["<10", "10-50", "50-100", "100-500", "500-1000", ">=1000"]
AMOUNT_RANGE = "amount range"  # the key of the min/max amount filter: not a facet


def filter_queries(filters: dict[str, list[str]], years: list[int],
                   min_amount: float | None, max_amount: float | None
                   ) -> dict[str, engine.Filter]:
    """One engine filter per facet filtered on (and one for the amount range)."""
    queries = {name: engine.values_filter(name, values)
               for name, values in filters.items() if values}
    if years:
        queries["year"] = engine.values_filter("year", years)
    if min_amount is not None or max_amount is not None:
        # A record without an amount never passes; amounts below zero neither.
        low = max(min_amount, 0.0) if min_amount is not None else 0.0
        queries[AMOUNT_RANGE] = engine.amount_filter(low, max_amount)
    return queries


def ordered(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {name: dict(_ordered(name, list(counts.items()))) for name, counts in facets.items()}


def _ordered(name: str, items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if name == "year":
        return sorted(items, key=lambda kv: kv[0], reverse=True)
    if name == "amount_band":
        return sorted(items, key=lambda kv: _BAND_ORDER.index(kv[0])
                      if kv[0] in _BAND_ORDER else 99)
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))
