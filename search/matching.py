"""Every match of a parsed query with its BM25F score, computed over whole posting lists.

whoosh's searcher walks its matchers one posting at a time in Python (about 10 µs a
match). Facet counts need every match, not the first page, so at a few thousand matches
that walk was most of a query's time. Here each term's posting list is read as numpy
arrays (from the segment's flat postings file, indexer.postings; through whoosh's blocks
for a segment without one) and the query tree is combined with array set operations.

Scores follow whoosh's BM25F (the same idf, average field length, B and K1, field and
document boosts carried in the posting weights), so the ranking is the one whoosh gives;
tests/test_matching.py checks the two agree. Query nodes this module does not know
(prefix, wildcard, fuzzy) are handed to whoosh's own matcher.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from math import log

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from budgetsearch.indexer.postings import read_postings
from budgetsearch.search.snapshot import Snapshot

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F defaults
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_POSITION_STRIDE = 1 << 40  # record row * stride + position: one sortable key


@dataclass
class Matches:
    ids: np.ndarray  # sorted, unique docnums
    scores: np.ndarray  # one per id

    @classmethod
    def empty(cls) -> "Matches":
        return cls(_EMPTY_IDS, np.zeros(0))

    def restrict(self, keep: np.ndarray) -> "Matches":
        """The matches where the boolean mask `keep` (one per match) is true."""
        return Matches(self.ids[keep], self.scores[keep])


# ---------------------------------------------------------------------------------------
# Posting lists


def term_postings(snap: Snapshot, fieldname: str, text: str, values: bool = False):
    """A term's postings over the whole index (docnums global, deleted records dropped)."""
    if values:
        return _term_postings(snap, fieldname, text, values)
    key = ("postings", fieldname, text)
    return _memo(snap, key, lambda: _term_postings(snap, fieldname, text, values))


def _term_postings(snap: Snapshot, fieldname: str, text: str, values: bool):
    id_parts, weight_parts, value_parts = [], [], []
    for (reader, offset), flat in zip(snap.leaves, snap.flat):
        if flat is not None and not values and flat.has_field(fieldname):
            ids, weights = flat.postings(fieldname, text)
        else:
            ids, weights, vals = read_postings(reader, fieldname, text, values)
        if len(ids):
            id_parts.append(ids + offset)
            weight_parts.append(weights)
            if values:
                value_parts.extend(vals)
    if not id_parts:
        return _EMPTY_IDS, np.zeros(0), []
    ids, weights = np.concatenate(id_parts), np.concatenate(weight_parts)
    live = snap.live[ids]
    if values:
        value_parts = [v for v, keep in zip(value_parts, live) if keep]
    return ids[live], weights[live], value_parts


# ---------------------------------------------------------------------------------------
# Scoring


def _bm25(snap: Snapshot, fieldname: str, text: str, ids: np.ndarray,
          weights: np.ndarray) -> np.ndarray:
    """whoosh.scoring.BM25F for one term; unscored (ID) fields score the posting weight."""
    field = snap.searcher.schema[fieldname]
    if not field.scorable:
        return weights.copy()
    searcher = snap.searcher
    total = searcher.doc_count_all()
    idf = log(total / (_doc_frequency(snap, fieldname, text) + 1)) + 1
    avgfl = searcher.avg_field_length(fieldname) or 1
    lengths = snap.lengths(fieldname)[ids]
    return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))


def _doc_frequency(snap: Snapshot, fieldname: str, text: str) -> int:
    """Records holding the term, deleted ones included (as whoosh counts for idf)."""
    key = ("df", fieldname, text)
    return _memo(snap, key, lambda: _count_holding(snap, fieldname, text))


def _count_holding(snap: Snapshot, fieldname: str, text: str) -> int:
    total = 0
    for (reader, _offset), flat in zip(snap.leaves, snap.flat):
        if flat is not None and flat.has_field(fieldname):
            total += flat.doc_frequency(fieldname, text)
        else:
            total += reader.doc_frequency(fieldname, text)
    return total


# ---------------------------------------------------------------------------------------
# Combining


def evaluate(snap: Snapshot, q: wq.Query) -> Matches:
    """All live records matching `q`, with their scores.

    Within one query a repeated part is computed once (a synonym group reached from two
    words, a word shared by several phrases). The memo lives on the snapshot for the
    length of the query; queries running at the same time may share entries, which is
    harmless (an entry depends on the snapshot alone) and so is one emptying it early.
    """
    try:
        return run(snap, q)
    finally:
        snap.memo.clear()


def run(snap: Snapshot, q: wq.Query) -> Matches:
    return _memo(snap, ("query", q), lambda: _run(snap, q))


def _run(snap: Snapshot, q: wq.Query) -> Matches:
    handler = _HANDLERS.get(type(q))
    found = handler(snap, q) if handler else _by_whoosh(snap, q)
    boost = getattr(q, "boost", 1.0)
    if boost != 1.0 and not isinstance(q, wq.ConstantScoreQuery):
        found = Matches(found.ids, found.scores * boost)
    return found


def _memo(snap: Snapshot, key: tuple, compute):
    # Read once into a local: another query may empty the memo at any moment.
    value = snap.memo.get(key)
    if value is None:
        value = compute()
        snap.memo[key] = value
    return value


def _term(snap: Snapshot, q: wq.Term) -> Matches:
    ids, weights, _ = term_postings(snap, q.fieldname, q.text)
    return Matches(ids, _bm25(snap, q.fieldname, q.text, ids, weights))


def _and(snap: Snapshot, q: wq.And) -> Matches:
    positive = [s for s in q.subqueries if not isinstance(s, wq.Not)]
    negative = [s.query for s in q.subqueries if isinstance(s, wq.Not)]
    if not positive:
        found = _every(snap, q)
    else:
        parts = sorted((run(snap, s) for s in positive), key=lambda m: len(m.ids))
        found = parts[0]
        for part in parts[1:]:
            found = _intersect(found, part)
            if not len(found.ids):
                return found
    for sub in negative:
        # whoosh's inverse matcher adds 1 to the score of each record it lets through.
        found = _subtract(found, run(snap, sub))
        found = Matches(found.ids, found.scores + 1.0)
    return found


def _or(snap: Snapshot, q: wq.Or) -> Matches:
    parts = [run(snap, s) for s in q.subqueries]
    parts = [p for p in parts if len(p.ids)]
    if not parts:
        return Matches.empty()
    ids = np.concatenate([p.ids for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    unique, inverse = np.unique(ids, return_inverse=True)
    return Matches(unique, np.bincount(inverse, weights=scores, minlength=len(unique)))


def _intersect(a: Matches, b: Matches) -> Matches:
    ia, ib = _common_rows(a.ids, b.ids)
    common = a.ids[ia]
    return Matches(common, a.scores[ia] + b.scores[ib])


def _subtract(a: Matches, b: Matches) -> Matches:
    return a.restrict(~_members(a.ids, b.ids))


def _and_maybe(snap: Snapshot, q: wq.AndMaybe) -> Matches:
    required = run(snap, q.a)
    optional = run(snap, q.b)
    if not len(required.ids) or not len(optional.ids):
        return required
    ia, ib = _common_rows(required.ids, optional.ids)
    scores = required.scores.copy()
    scores[ia] += optional.scores[ib]
    return Matches(required.ids, scores)


def _and_not(snap: Snapshot, q: wq.AndNot) -> Matches:
    return _subtract(run(snap, q.a), run(snap, q.b))


def _not(snap: Snapshot, q: wq.Not) -> Matches:
    return _subtract(_every(snap, q), run(snap, q.query))


def _every(snap: Snapshot, _q: wq.Query) -> Matches:
    ids = np.nonzero(snap.live)[0].astype(np.int64)
    return Matches(ids, np.ones(len(ids)))  # whoosh scores "everything" 1 each


def _null(_snap: Snapshot, _q: wq.Query) -> Matches:
    return Matches.empty()


def _constant(snap: Snapshot, q: wq.ConstantScoreQuery) -> Matches:
    found = run(snap, q.child)
    return Matches(found.ids, np.full(len(found.ids), float(q.score)))


def _numeric_range(snap: Snapshot, q: wq.NumericRange) -> Matches:
    values = {"year": snap.year, "amount": snap.amount}.get(q.fieldname)
    if values is None:
        return _by_whoosh(snap, q)
    keep = snap.live.copy()
    if q.start is not None:
        keep &= (values > q.start) if q.startexcl else (values >= q.start)
    if q.end is not None:
        keep &= (values < q.end) if q.endexcl else (values <= q.end)
    if q.fieldname == "amount":
        keep &= values >= 0  # -1 stands for "no amount"
    ids = np.nonzero(keep)[0].astype(np.int64)
    # whoosh scores a numeric range as a constant (its boost).
    return Matches(ids, np.full(len(ids), 1.0))


def _phrase(snap: Snapshot, q: wq.Phrase) -> Matches:
    """Records where the words stand at consecutive positions (whoosh's slop=1)."""
    if q.slop != 1 or len(q.words) < 2:
        return _by_whoosh(snap, q)
    plain = [term_postings(snap, q.fieldname, w) for w in q.words]
    by_size = sorted(plain, key=lambda p: len(p[0]))
    common = by_size[0][0]
    for ids, _w, _v in by_size[1:]:
        common = common[_members(common, ids)]
    if not len(common):
        return Matches.empty()
    # Where the words were indexed as one word, they stand together: no positions needed.
    whole, _w, _v = term_postings(snap, q.fieldname, "".join(q.words))
    keep = _members(common, whole)
    unsure = np.nonzero(~keep)[0]
    if len(unsure):
        keep[unsure] = _adjacent(snap, q, common[unsure])
    ids = common[keep]
    # As whoosh's phrase matcher: the sum of its words' scores, each with its own weight.
    scores = np.zeros(len(ids))
    for word, (word_ids, weights, _v) in zip(q.words, plain):
        rows = np.searchsorted(word_ids, ids)
        scores += _bm25(snap, q.fieldname, word, ids, weights[rows])
    return Matches(ids, scores)


def _adjacent(snap: Snapshot, q: wq.Phrase, candidates: np.ndarray) -> np.ndarray:
    """For each candidate record, whether the words stand at consecutive positions.

    A document's body is its passages' bodies joined with a gap (search.records), so a
    phrase is in a document's body exactly when it is in one of its passages: documents
    are answered from their passages instead of reading their (long) position lists."""
    rtypes = snap.codes["rtype"][candidates]
    is_document = rtypes == snap.type_code["document"]
    if q.fieldname != "body" or not is_document.any() or is_document.all():
        return _adjacent_in(snap, q, candidates)
    found = np.zeros(len(candidates), dtype=bool)
    others = np.nonzero(~is_document)[0]
    found[others] = _adjacent_in(snap, q, candidates[others])
    in_passages = others[found[others] & (rtypes[others] == snap.type_code["passage"])]
    doc_codes = snap.codes["doc_id"]
    matched = np.unique(doc_codes[candidates[in_passages]])
    documents = np.nonzero(is_document)[0]
    found[documents] = np.isin(doc_codes[candidates[documents]], matched)
    return found


def _adjacent_in(snap: Snapshot, q: wq.Phrase, candidates: np.ndarray) -> np.ndarray:
    """For each candidate record, whether the words stand at consecutive positions: the
    (record, position - k) keys of the k-th word must meet those of the others. Rarer
    words go first, and each word is looked up only in the records still in the running."""
    flat = all(f is not None and q.fieldname in f.positional for f in snap.flat)
    gather = _flat_positions_of if flat else _positions_of
    order = sorted(range(len(q.words)),
                   key=lambda k: _doc_frequency(snap, q.fieldname, q.words[k]))
    alive = np.arange(len(candidates))
    common: np.ndarray | None = None
    for k in order:
        local_rows, positions = gather(snap, q.fieldname, q.words[k], candidates[alive])
        # Unique already: a record holds a word at a position once.
        keys = alive[local_rows] * _POSITION_STRIDE + (positions - k)
        common = keys if common is None else common[_members(common, keys)]
        if not len(common):
            break
        alive = _sorted_unique(common // _POSITION_STRIDE)
    found = np.zeros(len(candidates), dtype=bool)
    if common is not None and len(common):
        found[common // _POSITION_STRIDE] = True
    return found


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique of an already sorted array, without sorting or hashing again."""
    if not len(values):
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _members(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of the sorted unique `ids` are in the sorted unique `wanted` (a binary search
    per id: cheap when `ids` is the shorter, as rarer terms go first)."""
    at = np.searchsorted(wanted, ids)
    inside = at < len(wanted)
    found = np.zeros(len(ids), dtype=bool)
    found[inside] = wanted[at[inside]] == ids[inside]
    return found


def _common_rows(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of `a` and of `b` (sorted unique ids) that hold the same ids, in id order."""
    if len(a) > len(b):
        ib, ia = _common_rows(b, a)
        return ia, ib
    if len(b) < 8 * len(a):  # similar sizes: one merge beats a binary search per id
        _common, ia, ib = np.intersect1d(a, b, assume_unique=True, return_indices=True)
        return ia, ib
    at = np.searchsorted(b, a)
    inside = at < len(b)
    hit = np.zeros(len(a), dtype=bool)
    hit[inside] = b[at[inside]] == a[inside]
    return np.nonzero(hit)[0], at[hit]


def _flat_positions_of(snap: Snapshot, fieldname: str, text: str,
                       candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(candidate row, position) of every occurrence of the term in the candidates, from
    the flat postings files: no decoding, a gather over arrays."""
    row_parts, position_parts = [], []
    key = ("positions", fieldname, text)
    per_leaf = _memo(snap, key, lambda: [flat.positions(fieldname, text) for flat in snap.flat])
    for (_reader, offset), (ids, counts, positions) in zip(snap.leaves, per_leaf):
        if not len(ids):
            continue
        ids = ids + offset
        wanted = _members(ids, candidates)
        if not wanted.any():
            continue
        ends = np.cumsum(counts)
        lengths = counts[wanted]
        starts = (ends - counts)[wanted]
        # Indices of every position of the wanted records, in order.
        within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        position_parts.append(positions[np.repeat(starts, lengths) + within].astype(np.int64))
        rows = np.searchsorted(candidates, ids[wanted])
        row_parts.append(np.repeat(rows, lengths))
    if not row_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(row_parts), np.concatenate(position_parts)


def _positions_of(snap: Snapshot, fieldname: str, text: str,
                  candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(candidate row, position) of every occurrence of the term in the candidates (all
    of which hold it), decoding only the posting blocks that contain a candidate."""
    rows: list[int] = []
    positions: list[int] = []
    row = 0
    for reader, offset in snap.leaves:
        local = candidates[(candidates >= offset)
                           & (candidates < offset + reader.doc_count_all())] - offset
        if not len(local):
            continue
        decode = reader.schema[fieldname].format.decode_positions
        for value in _values_for(reader, fieldname, text, local):
            found = decode(value)
            positions.extend(found)
            rows.extend([row] * len(found))
            row += 1
    return np.asarray(rows, np.int64), np.asarray(positions, np.int64)


def _values_for(reader, fieldname: str, text: str, local: np.ndarray) -> list[bytes]:
    """The posting values of one segment's term for the given (sorted) docnums."""
    tbytes = reader._text_to_bytes(fieldname, text)
    matcher = reader._terms.matcher(fieldname, tbytes, reader.schema[fieldname].format)
    if not isinstance(matcher, W3LeafMatcher):
        ids, _w, values = read_postings(reader, fieldname, text, values=True)
        return [values[r] for r in np.searchsorted(ids, local)]
    out: list[bytes] = []
    wanted = iter(local.tolist())
    target = next(wanted, None)
    while target is not None and not matcher._atend:
        if target > matcher._maxid:
            matcher._next_block()
            continue
        matcher._read_data()
        matcher._read_values()
        for docnum, value in zip(accumulate(matcher._data[0]), matcher._values):
            if docnum == target:
                out.append(value)
                target = next(wanted, None)
                if target is None or target > matcher._maxid:
                    break
        matcher._next_block()
    return out


def _by_whoosh(snap: Snapshot, q: wq.Query) -> Matches:
    """Any other query node, matched and scored by whoosh itself."""
    searcher = snap.searcher
    matcher = q.matcher(searcher, searcher.context())
    ids, scores = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
    found = Matches(np.asarray(ids, np.int64), np.asarray(scores, np.float64))
    order = np.argsort(found.ids, kind="stable")
    found = Matches(found.ids[order], found.scores[order])
    return found.restrict(snap.live[found.ids]) if len(found.ids) else found


_HANDLERS = {
    wq.Term: _term, wq.And: _and, wq.Or: _or, wq.AndMaybe: _and_maybe,
    wq.AndNot: _and_not, wq.Not: _not, wq.Every: _every, wq.NumericRange: _numeric_range,
    wq.ConstantScoreQuery: _constant, wq.Phrase: _phrase, type(wq.NullQuery): _null,
}
