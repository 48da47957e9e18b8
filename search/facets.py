"""Filters and facet counts over every match (not only the page shown).

Filters are OR within a facet and AND across facets. A facet's counts are taken with
every filter applied except its own, so a user who picked 周口市 still sees how many hits
洛阳市 would add (the counts of the other values stay reachable).
"""
from __future__ import annotations

import numpy as np

from budgetsearch.search.fields import FACET_FIELDS
from budgetsearch.search.snapshot import Snapshot

_BAND_ORDER = ["<10", "10-50", "50-100", "100-500", "500-1000", ">=1000"]
AMOUNT_RANGE = "amount range"  # the key of the min/max amount mask: not a facet


def filter_masks(snap: Snapshot, ids: np.ndarray, filters: dict[str, list[str]],
                 years: list[int], min_amount: float | None,
                 max_amount: float | None) -> dict[str, np.ndarray]:
    """One boolean mask over `ids` per filter given."""
    masks: dict[str, np.ndarray] = {}
    for name, values in filters.items():
        codes = [snap.code_of(name, v) for v in values]
        masks[name] = np.isin(snap.codes[name][ids], codes)
    if years:
        masks["year"] = np.isin(snap.year[ids], years)
    if min_amount is not None or max_amount is not None:
        amounts = snap.amount[ids]
        keep = amounts >= 0  # -1: the record has no amount
        if min_amount is not None:
            keep &= amounts >= min_amount
        if max_amount is not None:
            keep &= amounts <= max_amount
        masks[AMOUNT_RANGE] = keep
    return masks


def all_of(masks: dict[str, np.ndarray], size: int, leave_out: str | None = None
           ) -> np.ndarray:
    keep = np.ones(size, dtype=bool)
    for name, mask in masks.items():
        if name != leave_out:
            keep &= mask
    return keep


def count_facets(snap: Snapshot, ids: np.ndarray, masks: dict[str, np.ndarray],
                 of_type: np.ndarray) -> dict[str, dict[str, int]]:
    """Counts per facet value among the matches of the requested type (`of_type`, a mask
    over `ids`), each facet with the other facets' filters applied."""
    everything = all_of(masks, len(ids)) & of_type
    facets: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        keep = all_of(masks, len(ids), leave_out=name) & of_type if name in masks else everything
        counts = snap.count(name, ids[keep])
        facets[name] = dict(_ordered(name, list(counts.items())))
    return facets


def _ordered(name: str, items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if name == "year":
        return sorted(items, key=lambda kv: kv[0], reverse=True)
    if name == "amount_band":
        return sorted(items, key=lambda kv: _BAND_ORDER.index(kv[0])
                      if kv[0] in _BAND_ORDER else 99)
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))


def amount_sum(snap: Snapshot, ids: np.ndarray) -> float:
    amounts = snap.amount[ids]
    return round(float(amounts[amounts > 0].sum()), 2)
