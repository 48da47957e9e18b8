"""“您是不是要找”: a query with no hits gets corrections built from the index's own words.

The vocabulary is every word of every indexed project name (as the analyzer cuts it:
units and the longer words found whole) and the synonym groups' members, each with the
number of projects naming it. A query word found nowhere in it is replaced by the most
common vocabulary word one character away (物业管里费 -> 物业管理费, 12345热钱 -> 12345热线)
or, when it is written in Latin letters, by the word whose pinyin it spells (rexian -> 热线).
"""
from __future__ import annotations

import re
import threading
import weakref
from collections import Counter
from collections.abc import Iterable

from pypinyin import lazy_pinyin

from budgetsearch.indexer import engine, queries
from budgetsearch.indexer.analysis import analyse, fold

MAX_SUGGESTIONS = 3
MAX_EDITS = 1  # one wrong, missing or extra character: more reads as a different word
MIN_WORD_CHARS = 2  # single characters are too common to correct to
MIN_PINYIN_CHARS = 4  # shorter Latin words are codes or abbreviations, not pinyin
MAX_NAME_CHARS = 16  # a whole project name this short is a word users type
_PLAIN_WORD = re.compile(r"^[0-9A-Za-z\u3400-\u9fff]+$")
_OPERATORS = {"AND", "OR", "NOT"}


class Vocabulary:
    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.by_length: dict[int, list[str]] = {}
        self.by_pinyin: dict[str, list[str]] = {}
        for word in counts:
            self.by_length.setdefault(len(word), []).append(word)
            if re.search(r"[\u3400-\u9fff]", word) and not re.search(r"[0-9a-z]", word):
                self.by_pinyin.setdefault("".join(lazy_pinyin(word)), []).append(word)

    def closest(self, word: str) -> str | None:
        """The most common vocabulary word `word` may have been meant as, or None."""
        if word in self.counts or len(word) < MIN_WORD_CHARS:
            return None
        if word.isascii() and word.isalpha():
            found = self.by_pinyin.get(word, []) if len(word) >= MIN_PINYIN_CHARS else []
        else:
            found = [w for n in range(len(word) - MAX_EDITS, len(word) + MAX_EDITS + 1)
                     for w in self.by_length.get(n, ())
                     if len(w) >= MIN_WORD_CHARS and edit_distance(word, w) <= MAX_EDITS]
        return max(found, key=lambda w: (self.counts[w], len(w), w), default=None)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of one character."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def build_vocabulary(names: Iterable[str], extra: Iterable[str] = ()) -> Vocabulary:
    counts: Counter[str] = Counter()
    for name in names:
        units, words = analyse(name)
        whole = "".join(units)  # the name itself: 物业管理费 is cut 物业 / 管理费
        counts.update(set(units) | set(words) | ({whole} if len(whole) <= MAX_NAME_CHARS
                                                 else set()))
    for word in extra:
        counts[fold(word)] += 0  # a synonym is a word users type: known, not counted
    return Vocabulary(counts)


_vocabularies: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def vocabulary(snap: engine.Snapshot, synonyms: dict[str, tuple[str, ...]]) -> Vocabulary:
    """The vocabulary of one committed state of the index, built on its first use."""
    with _lock:
        found = _vocabularies.get(snap)
    if found is None:
        names = [hit.get("name") or "" for hit in
                 (snap.stored(a) or {} for a in
                  snap.all_addresses(queries.term("rtype", "project")))]
        found = build_vocabulary(names, synonyms)  # keys: every member, folded
        with _lock:
            _vocabularies[snap] = found
    return found


def corrections(text: str, vocab: Vocabulary) -> str | None:
    """`text` with each plain word the vocabulary does not know replaced by its closest
    known word; None when no word could be corrected."""
    changed = False
    words = []
    for word in text.split():
        better = None
        if _PLAIN_WORD.match(word) and word not in _OPERATORS:
            better = vocab.closest(fold(word))
        words.append(better or word)
        changed = changed or better is not None
    return " ".join(words) if changed else None
