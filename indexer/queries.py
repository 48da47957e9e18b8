"""Engine queries and filters: what the search layer compiles its query language to."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tantivy

from budgetsearch.indexer.schema import AMOUNT_TYPES, PAIRED_FIELDS, SCHEMA, pairs


def term(fieldname: str, value: Any) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, fieldname, value)


def phrase(fieldname: str, words: list[str]) -> tantivy.Query:
    if len(words) == 1:
        return term(fieldname, words[0])
    if fieldname in PAIRED_FIELDS:
        paired = PAIRED_FIELDS[fieldname]
        return boolean(must=[term(paired, p) for p in dict.fromkeys(pairs(list(words)))])
    return tantivy.Query.phrase_query(SCHEMA, fieldname, list(words))


def any_of(fieldname: str, values: list[Any]) -> tantivy.Query:
    return tantivy.Query.term_set_query(SCHEMA, fieldname, list(values))


def everything() -> tantivy.Query:
    return tantivy.Query.all_query()


def nothing() -> tantivy.Query:
    return tantivy.Query.empty_query()


def boolean(must: list[tantivy.Query] = (), should: list[tantivy.Query] = (),
            must_not: list[tantivy.Query] = ()) -> tantivy.Query:
    clauses = ([(tantivy.Occur.Must, q) for q in must]
               + [(tantivy.Occur.Should, q) for q in should]
               + [(tantivy.Occur.MustNot, q) for q in must_not])
    return tantivy.Query.boolean_query(clauses)


def boost(query: tantivy.Query, factor: float) -> tantivy.Query:
    return query if factor == 1.0 else tantivy.Query.boost_query(query, factor)


def unscored(query: tantivy.Query) -> tantivy.Query:
    """A filter: restricts the matches, adds nothing to their scores."""
    return tantivy.Query.const_score_query(query, 0.0)


def number_range(fieldname: str, low: float | None, high: float | None,
                 include_low: bool = True, include_high: bool = True) -> tantivy.Query:
    kind = tantivy.FieldType.Integer if fieldname == "year" else tantivy.FieldType.Float
    cast = int if fieldname == "year" else float
    return tantivy.Query.range_query(
        SCHEMA, fieldname, kind, None if low is None else cast(low),
        None if high is None else cast(high), include_low, include_high)


def amount_range(low: float | None, high: float | None, include_low: bool = True,
                 include_high: bool = True) -> tantivy.Query:
    """Records whose amount is in the range. Only AMOUNT_TYPES carry an amount, and saying
    so lets the engine walk their postings instead of every record of a word: at 10,000
    documents `政务服务 amount:>=100` took 29 ms on the 段落 tab without facets, 1.5 ms so;
    with facets 32 -> 25 ms on the 项目 tab (a range alone reads the amount column of every
    record)."""
    return boolean(must=[number_range("amount", low, high, include_low, include_high),
                         unscored(any_of("rtype", list(AMOUNT_TYPES)))])


def exact_year(year: int) -> tantivy.Query:
    """Records of one year: the year's postings, scored as a range of one value is (a flat
    1). A range query reads the year column of every record: 5.3 ms against 0.9 at 10,000
    documents."""
    return tantivy.Query.const_score_query(term("year", int(year)), 1.0)


def pattern(fieldname: str, regex: str) -> tantivy.Query:
    return tantivy.Query.regex_query(SCHEMA, fieldname, regex)


# Filters


@dataclass
class Filter:
    """A restriction on a search that adds nothing to scores, as an engine query and in
    tantivy's query syntax (what filter aggregations take)."""

    query: tantivy.Query
    text: str
    # The record types it can let through (None: any): under an amount filter a passage
    # tab has nothing to count, and counting its facets anyway walked every passage match
    # (48 ms for 12345热线 at 10,000 documents).
    types: tuple[str, ...] | None = None


def values_filter(name: str, values: list[Any]) -> Filter:
    """Records whose `name` is one of `values` (OR within one facet)."""
    texts = [f"{name}:{int(v)}" if name == "year" else f'{name}:"{_quoted(str(v))}"'
             for v in values]
    values = [int(v) for v in values] if name == "year" else list(values)
    return Filter(unscored(any_of(name, values)), " OR ".join(texts))


def type_filter(rtype: str) -> Filter:
    """Records of one type (project, document, passage)."""
    return Filter(unscored(term("rtype", rtype)), f'rtype:"{_quoted(rtype)}"')


def amount_filter(low: float, high: float | None) -> Filter:
    text = f"amount:>={float(low):.6f}"
    if high is not None:
        text += f" AND amount:<={float(high):.6f}"
    return Filter(unscored(amount_range(low, high)), text, types=AMOUNT_TYPES)


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
