"""The parsed query (whoosh's query objects, the query language) as an engine query.

whoosh parses; tantivy matches and scores. Each node maps to one engine query: words and
phrases on the analysed text fields (weighted by indexer.schema.TEXT_FIELDS, body text also
searched in the low-weighted glossary), AND/OR/NOT as boolean clauses, field filters as
exact terms, ranges on year and amount, prefixes and wildcards as bounded patterns.
"""
from __future__ import annotations

import math
import re
from typing import Any

from whoosh import query as wq

from budgetsearch.indexer import queries, schema
from budgetsearch.search.query import PARSE_SCHEMA, QueryError, year_value

# A prefix or wildcard needs this many characters before its first wildcard: `*` or `热*`
# would expand to a large part of the vocabulary.
MIN_PATTERN_CHARS = 2
_BONUS_WEIGHTS = {words: schema.TEXT_FIELDS[name] for name, words in schema.WORD_FIELDS.items()}


# The fields of a project's name: a match there is a "name match" (命中位置 名称).
NAME_FIELDS = frozenset({"name", schema.WORD_FIELDS["name"]})


def compile_query(q: wq.Query, only: frozenset[str] | None = None) -> Any:
    """The engine query of a parsed query; QueryError for what the engine cannot answer.

    With `only`, words and phrases match in those text fields alone (a word elsewhere
    matches nothing): `compile_query(q, NAME_FIELDS)` is the query matched in a project's
    name. Field filters and NOT clauses keep their meaning over the whole record."""
    if only is not None and _text_leaf(q) and q.fieldname not in only:
        return queries.nothing()
    return _compile(q, only)


def _text_leaf(q: wq.Query) -> bool:
    return (isinstance(q, (wq.Term, wq.Phrase, wq.Prefix, wq.Wildcard))
            and (q.fieldname in schema.TEXT_FIELDS or q.fieldname in _BONUS_WEIGHTS))


def _compile(q: wq.Query, only: frozenset[str] | None) -> Any:
    if isinstance(q, wq.Every):
        if q.fieldname and q.fieldname != "*":
            return queries.pattern(q.fieldname, ".+")
        return queries.everything()
    if q is wq.NullQuery:
        return queries.nothing()
    if isinstance(q, wq.Term):
        return _weighted(q.fieldname, lambda f: _term(f, q.text), q.boost)
    if isinstance(q, wq.Phrase):
        if not q.words:  # a quoted stretch of spaces or punctuation: nothing to look for
            return queries.nothing()
        return _weighted(q.fieldname, lambda f: queries.phrase(f, [str(w) for w in q.words]),
                         q.boost)
    if isinstance(q, wq.AndNot):
        return queries.boolean(must=[compile_query(q.a, only)], must_not=[compile_query(q.b)])
    if isinstance(q, wq.AndMaybe):
        return queries.boolean(must=[compile_query(q.a, only)],
                              should=[compile_query(q.b, only)])
    if isinstance(q, wq.Not):
        return queries.boolean(must=[queries.everything()], must_not=[compile_query(q.query)])
    if isinstance(q, wq.And):
        return _and(q, only)
    if isinstance(q, (wq.Or, wq.DisjunctionMax)):
        return queries.boost(queries.boolean(should=[compile_query(c, only)
                                                   for c in _alternatives(q)]), q.boost)
    if isinstance(q, (wq.NumericRange, wq.TermRange)):
        _check_range_field(q.fieldname)
        return _range(q.fieldname, _number(q.fieldname, q.start), _number(q.fieldname, q.end),
                      not q.startexcl, not q.endexcl)
    if isinstance(q, (wq.Prefix, wq.Wildcard)):
        text = q.text + ("*" if isinstance(q, wq.Prefix) else "")
        return _weighted(q.fieldname, lambda f: queries.pattern(f, _wildcard_regex(text)),
                         q.boost)
    raise QueryError(f"this query cannot be answered: {q}")


def _alternatives(q: wq.Query) -> list[wq.Query]:
    """The clauses of an OR, nested ORs flattened (a sum of sums scores as one sum) and
    each clause once: words of one synonym group typed together (三公经费 OR 公务接待费)
    expand to the same alternatives, and each copy would be matched and scored again."""
    seen: set[str] = set()
    out: list[wq.Query] = []
    for child in q.subqueries:
        nested = isinstance(child, wq.Or) and child.boost == 1.0
        for clause in (_alternatives(child) if nested else [child]):
            key = repr(clause)
            if key not in seen:
                seen.add(key)
                out.append(clause)
    return out


def _and(q: wq.And, only: frozenset[str] | None) -> Any:
    must, must_not = [], []
    for child in q.subqueries:
        if isinstance(child, wq.Not):
            must_not.append(compile_query(child.query))
        else:
            must.append(compile_query(child, only))
    return queries.boost(queries.boolean(must=must or [queries.everything()], must_not=must_not),
                        q.boost)


def _weighted(fieldname: str, build, query_boost: float) -> Any:
    """A text field's match weighted by the field; body text also matches the glossary at
    its low weight. Other fields as they are."""
    if fieldname in schema.TEXT_FIELDS:
        weight = schema.TEXT_FIELDS[fieldname] * query_boost
        found = queries.boost(build(fieldname), weight)
        if fieldname != "body":
            return found
        glossary = queries.boost(build(schema.GLOSSARY_FIELD), weight * schema.GLOSSARY_WEIGHT)
        return queries.boolean(should=[found, glossary])
    if fieldname in _BONUS_WEIGHTS:
        return queries.boost(build(fieldname), _BONUS_WEIGHTS[fieldname] * query_boost)
    return queries.boost(build(fieldname), query_boost)


def _term(fieldname: str, text: Any) -> Any:
    if fieldname == "year":
        return queries.exact_year(_number(fieldname, text))
    if fieldname == "amount":
        value = _number(fieldname, text)
        return _range(fieldname, value, value)
    return queries.term(fieldname, str(text))


def _range(fieldname: str, low: Any, high: Any, include_low: bool = True,
           include_high: bool = True) -> Any:
    if fieldname == "amount":
        return queries.amount_range(low, high, include_low, include_high)
    return queries.number_range(fieldname, low, high, include_low, include_high)


def _number(fieldname: str, text: Any) -> float | int | None:
    if text is None:
        return None
    if isinstance(text, bytes):  # a numeric field's term, as whoosh encodes it
        text = PARSE_SCHEMA[fieldname].from_bytes(text)
    if fieldname == "year":
        return year_value(text)
    try:
        number = float(text)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise QueryError(f"{fieldname} needs a number, not '{text}'")
    return number


def _check_range_field(fieldname: str) -> None:
    if fieldname not in ("year", "amount"):
        raise QueryError(f"ranges work on year and amount, not on '{fieldname}'")


def _wildcard_regex(text: str) -> str:
    first = min((i for i in (text.find("*"), text.find("?")) if i >= 0), default=len(text))
    if first < MIN_PATTERN_CHARS:
        raise QueryError(f"'{text}': give at least {MIN_PATTERN_CHARS} characters before "
                         "a * or ? wildcard")
    pieces = {"*": ".*", "?": "."}
    return "".join(pieces.get(ch) or re.escape(ch) for ch in text)
