"""Chinese text analysis shared by the index writer and the query parser.

Segmentation is jieba's (through rjieba, the jieba-rs binding, ~20x faster than pure-Python
jieba) with the domain dictionary `indexer/data/userdict.txt` added. Each word is broken into
its smallest dictionary units ("units"): `12345政务服务便民热线` -> 12345 / 政务 / 服务 / 便民 /
热线. Units are in order, so phrase queries work (by positions in short fields, by pairs of
adjacent units in body text: indexer.schema.PAIRED_FIELDS); like jieba's search mode, every
longer word (政务服务, 便民热线, 12345热线) is indexed too (`analyse` returns them apart, for
fields of their own). Queries are analysed into units only, so a query matches a document
whichever way jieba happened to cut the words around it in either text.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import Token, Tokenizer

USERDICT = Path(__file__).resolve().parent / "data" / "userdict.txt"

# One analysed token: (position, text).
Posting = tuple[int, str]

_WORD_CHAR = re.compile(r"[0-9a-z\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_SCRIPT_RUNS = re.compile(r"[0-9a-z]+|[^0-9a-z]+")
_MAX_UNIT_SPLIT = 16  # longer "words" (digit strings, unknown runs) are kept whole

_ready = False


def _setup() -> None:
    """Load the domain dictionary once per process, without jieba's log chatter."""
    global _ready
    if _ready:
        return
    logging.getLogger("jieba").setLevel(logging.WARNING)
    import rjieba

    for word, freq in read_userdict(USERDICT):
        rjieba.add_word(word, freq, None)
    _ready = True


def read_userdict(path: Path) -> Iterator[tuple[str, int | None]]:
    """Lines of `word [freq] [tag]`, jieba's user dictionary format."""
    for raw in path.read_text(encoding="utf-8").splitlines():
        parts = raw.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        yield fold(parts[0]), freq


def fold(text: str) -> str:
    """Full-width to half-width, compatibility forms to plain (NFKC), Latin lowercased,
    traditional characters to simplified (OpenCC t2s): 市長熱線 and 市长热线 index and
    query alike, whichever script a disclosure or a user writes in."""
    return _to_simplified(unicodedata.normalize("NFKC", text).lower())


_converter = None


def _to_simplified(text: str) -> str:
    global _converter
    if text.isascii():
        return text
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


def _cut(text: str) -> list[str]:
    _setup()
    import rjieba

    return rjieba.cut(text, False)


def _has_word(word: str) -> bool:
    import rjieba

    return rjieba.has_word(word)


@lru_cache(maxsize=200_000)
def split_word(word: str) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """A word's units and its compounds as (index of first unit, compound text).

    Mixed-script words split at script changes (12345热线 -> 12345 + 热线). A Chinese word
    longer than two characters splits into the fewest shorter dictionary words, recursively;
    the split depends on the word alone, never on its neighbours.
    """
    runs = _SCRIPT_RUNS.findall(word)
    if len(runs) > 1:
        units: list[str] = []
        compounds: list[tuple[int, str]] = [(0, word)]
        for run in runs:
            sub_units, sub_compounds = split_word(run)
            compounds.extend((len(units) + i, text) for i, text in sub_compounds)
            units.extend(sub_units)
        return tuple(units), tuple(compounds)
    if len(word) <= 2 or word.isascii() or len(word) > _MAX_UNIT_SPLIT:
        return (word,), ()
    pieces = _fewest_pieces(word)
    units = []
    compounds = [(0, word)]
    for piece in pieces:
        sub_units, sub_compounds = split_word(piece)
        compounds.extend((len(units) + i, text) for i, text in sub_compounds)
        units.extend(sub_units)
    return tuple(units), tuple(compounds)


def _fewest_pieces(word: str) -> list[str]:
    """Cover `word` with the fewest dictionary words shorter than it (single chars allowed)."""
    n = len(word)
    best: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (pieces, start of last piece)
    for end in range(1, n + 1):
        candidates = []
        for start in range(max(0, end - (n - 1)), end):
            piece = word[start:end]
            if end - start == 1 or _has_word(piece):
                # Ties prefer the longer last piece, so 接线员 -> 接线 + 员 stays stable.
                candidates.append((best[start][0] + 1, start))
        best[end] = min(candidates)
    pieces, end = [], n
    while end > 0:
        start = best[end][1]
        pieces.append(word[start:end])
        end = start
    return pieces[::-1]


def _words(text: str) -> Iterator[str]:
    for word in _cut(fold(text)):
        if _WORD_CHAR.search(word):
            yield word


def segment(text: str, start: int = 0) -> list[Posting]:
    """Index-mode analysis: units at sequential positions plus compounds (search mode)."""
    postings: list[Posting] = []
    pos = start
    for word in _words(text):
        units, compounds = split_word(word)
        for offset, compound in compounds:
            postings.append((pos + offset, compound))
        for unit in units:
            postings.append((pos, unit))
            pos += 1
    return postings


@lru_cache(maxsize=200_000)
def _index_terms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A segmented word's units and compounds; nothing for a word of punctuation or space."""
    if not _WORD_CHAR.search(word):
        return (), ()
    units, compounds = split_word(word)
    return units, tuple(compound for _, compound in compounds)


def query_units(text: str) -> list[str]:
    """Query-mode analysis: units only, in order."""
    units: list[str] = []
    for word in _cut(fold(text)):
        units += _index_terms(word)[0]
    return units


def analyse(text: str) -> tuple[list[str], list[str]]:
    """Index-mode analysis for the engine: the units in order (one position each) and,
    apart, the longer words and compounds found whole (search mode's extra terms)."""
    units: list[str] = []
    words: list[str] = []
    # The bulk of indexing time outside the readers: one cached lookup a word.
    for word in _cut(fold(text)):
        word_units, compounds = _index_terms(word)
        units += word_units
        if compounds:
            words += compounds
    return units, words


class ChineseTokenizer(Tokenizer):
    """whoosh tokenizer over `segment` / `query_units`: the query parser analyses query
    words with it (query mode), so a query is cut the way the index was."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChineseTokenizer)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,  # noqa: D102
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.text = fold(value)
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char
            token.boost, token.stopped = 1.0, False
            yield token
            return
        if mode == "query":
            postings = enumerate(query_units(value))
        else:
            postings = segment(value)
        for pos, text in postings:
            token.text = text
            token.boost, token.stopped = 1.0, False
            if positions:
                token.pos = start_pos + pos
            if chars:
                # Positions, not characters, are stored; snippets are highlighted from the
                # stored text by search.render, so a nominal range is enough here.
                token.startchar, token.endchar = start_char, start_char
            yield token


def ChineseAnalyzer() -> ChineseTokenizer:  # noqa: N802 (mirrors whoosh's analyzer factories)
    return ChineseTokenizer()
