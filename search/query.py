"""The query language: words, "quoted phrases", AND/OR/NOT, field filters
(`city:周口市 year:2024 amount:>=100`) and query-time synonyms.

A word is analysed into its units (see indexer.analysis): all must match, and a record
where the word itself was indexed (as a word or a compound) scores higher (`12345热线`
finds `12345 热线` and `12345热线`, ranking the second first).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from whoosh import query as wq
from whoosh.fields import ID, NUMERIC, TEXT, Schema
from whoosh.qparser import (FieldAliasPlugin, GtLtPlugin, MultifieldPlugin, QueryParser,
                            syntax)
from whoosh.qparser.plugins import PhrasePlugin, Plugin

from budgetsearch.indexer.analysis import ChineseAnalyzer, fold
from budgetsearch.indexer.schema import FACET_FIELDS, TEXT_FIELDS, WORD_FIELDS
from budgetsearch.search.facets import PLACE_FILTERS, full_place_names
from budgetsearch.search.render import PHRASE_GAP

MAX_QUERY_CHARS = 500
SHIPPED_SYNONYMS = Path(__file__).resolve().parent / "data" / "synonyms.txt"
SYNONYMS_ENV = "BUDGETSEARCH_SYNONYMS"

FIELD_ALIASES = {"project_type": ["type", "类型"], "func_class": ["class", "类"],
                 "amount_band": ["band"], "department": ["dept", "部门"], "city": ["市"],
                 "province": ["省"], "county": ["县", "区"], "year": ["年度"],
                 "amount": ["金额"]}
FILTER_FIELDS = set(FACET_FIELDS) | {"amount", "doc_id"}
KNOWN_FIELDS = FILTER_FIELDS | set(TEXT_FIELDS) | {a for v in FIELD_ALIASES.values() for a in v}
_FIELD_PREFIX = re.compile(r"(?:^|[\s(])([A-Za-z_\u4e00-\u9fff]+):(?!//)")


class QueryError(ValueError):
    """A query or filter the user must fix; the message says what is wrong."""


# Disclosures exist from the 2000s on; the bounds only keep a typed year inside what the
# index's integer field can hold and out of nonsense.
YEAR_MIN, YEAR_MAX = 1900, 2999


def year_value(text: object) -> int:
    """A year as typed in a query, a URL or the CLI; QueryError unless it is a whole number
    between YEAR_MIN and YEAR_MAX."""
    try:
        year = int(str(text).strip())
    except ValueError:
        raise QueryError(f"year must be a whole number, not '{text}'") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise QueryError(f"year must be between {YEAR_MIN} and {YEAR_MAX}, not {year}")
    return year


# ---------------------------------------------------------------------------------------
# Synonyms


def synonym_files(index_dir: Path | None) -> list[Path]:
    files = [SHIPPED_SYNONYMS]
    if index_dir is not None:
        files.append(Path(index_dir).parent / "synonyms.txt")
    if os.environ.get(SYNONYMS_ENV):
        files.append(Path(os.environ[SYNONYMS_ENV]))
    return [f for f in files if f.is_file()]


def missing_synonym_files() -> list[str]:
    """A synonyms file the user named that is not there: said in every answer's notes, so a
    typo in the setting does not silently change what queries match."""
    named = os.environ.get(SYNONYMS_ENV)
    if named and not Path(named).is_file():
        return [f"the synonyms file {named} named by {SYNONYMS_ENV} was not found: "
                f"only the shipped synonyms are used"]
    return []


def load_synonyms(files: list[Path]) -> dict[str, tuple[str, ...]]:
    """Map each folded member to all members of its group(s)."""
    groups: dict[str, set[str]] = {}
    for path in files:
        for raw in path.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            members = [m.strip() for m in raw.split("/") if m.strip()]
            for member in members:
                groups.setdefault(fold(member), set()).update(members)
    return {key: prune_group(tuple(sorted(group, key=lambda m: (len(m), m))))
            for key, group in groups.items()}


@lru_cache(maxsize=16)
def _synonyms_cached(files: tuple[tuple[str, float], ...]) -> dict[str, tuple[str, ...]]:
    return load_synonyms([Path(name) for name, _ in files])


def synonyms_for(index_dir: Path | None) -> dict[str, tuple[str, ...]]:
    """Synonyms from the shipped file and the user's, re-read when a file changes."""
    files = tuple((str(f), f.stat().st_mtime) for f in synonym_files(index_dir))
    return _synonyms_cached(files)


class SynonymPlugin(Plugin):
    """Replaces a bare query word that is a synonym-group member by an OR of the group.
    Quoted phrases are left alone: quotes ask for exactly that text."""

    def __init__(self, synonyms: dict[str, tuple[str, ...]]):
        self.synonyms = synonyms

    def filters(self, parser):
        # After field names are attached (100), before the multifield expansion (110).
        return [(self.expand, 105)]

    def expand(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.expand(parser, node)
            elif (isinstance(node, syntax.WordNode) and node.fieldname is None
                  and fold(node.text) in self.synonyms):
                group[i] = self.alternatives(node)
        return group

    def alternatives(self, node: syntax.WordNode) -> syntax.OrGroup:
        """The word as typed (all its units, anywhere) OR each other member as written
        (a phrase): `政务热线` standing in for 12345热线 must not match every record that
        says 政务 somewhere and 热线 somewhere else."""
        typed = fold(node.text)
        words: list[syntax.SyntaxNode] = [syntax.WordNode(node.text)]
        for member in self.synonyms[typed]:
            if fold(member) != typed:
                words.append(PhrasePlugin.PhraseNode(member, node.startchar))
        for word in words:
            word.startchar, word.endchar = node.startchar, node.endchar
        return syntax.OrGroup(words)


# ---------------------------------------------------------------------------------------
# Parsing


# Fields where a multi-unit word found whole earns a bonus: in a long body the units
# often meet by chance, in a name or heading they rarely do.
WORD_BONUS_FIELDS = {"name", "title", "heading"}


class BudgetQueryParser(QueryParser):
    def multitoken_query(self, spec, texts, fieldname, termclass, boost):
        terms = wq.And([termclass(fieldname, t, boost=boost) for t in texts])
        if fieldname not in WORD_BONUS_FIELDS:
            return terms
        # All units required; the word as written only adds score. The index holds every
        # word (and the compounds inside it) in a field beside the units (WORD_FIELDS), so
        # the bonus is one term lookup instead of a positional phrase match.
        return wq.AndMaybe(terms, termclass(WORD_FIELDS[fieldname], "".join(texts),
                                            boost=boost))


def prune_group(members: tuple[str, ...]) -> tuple[str, ...]:
    """Drop members whose units include all units of another member: every record they
    match, the shorter member matches already (12345政务服务便民热线 vs 便民热线)."""
    from budgetsearch.indexer.analysis import query_units

    units = {m: frozenset(query_units(m)) for m in members}
    kept = []
    for member in members:
        if not units[member]:
            continue
        if any(units[o] < units[member] or (units[o] == units[member] and len(o) < len(member))
               for o in members if o != member and units[o]):
            continue
        kept.append(member)
    return tuple(kept)


def parse_schema() -> Schema:
    """The fields the query language knows and how each is read: text fields analysed by
    our analyzer, facets as exact values, year and amount as numbers."""
    analyzer = ChineseAnalyzer()
    return Schema(
        year=NUMERIC(int), amount=NUMERIC(float), doc_id=ID,
        **{name: TEXT(analyzer=analyzer, phrase=True) for name in TEXT_FIELDS},
        **{name: ID for name in FACET_FIELDS if name != "year"})


PARSE_SCHEMA = parse_schema()


def make_parser(synonyms: dict[str, tuple[str, ...]]) -> BudgetQueryParser:
    parser = BudgetQueryParser(None, PARSE_SCHEMA)
    parser.add_plugin(MultifieldPlugin(list(TEXT_FIELDS)))
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(SynonymPlugin(synonyms))
    return parser


def check_syntax(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    if text.count('"') % 2:
        raise QueryError('unbalanced quote in the query: close the "phrase"')
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            raise QueryError("unbalanced parentheses in the query: ')' without '('")
    if depth:
        raise QueryError("unbalanced parentheses in the query: '(' without ')'")
    for match in _FIELD_PREFIX.finditer(text):
        name = match.group(1)
        if name not in KNOWN_FIELDS and name.isascii():
            known = ", ".join(sorted(n for n in FILTER_FIELDS | set(TEXT_FIELDS)))
            raise QueryError(f"unknown field '{name}:' in the query (fields: {known})")


# AND/OR/NOT are operators only in capitals, as whole words outside quotes.
_QUERY_TOKENS = re.compile(r'"[^"]*"|[()]|[^\s()"]+')
_BINARY = ("AND", "OR")


def drop_dangling_operators(text: str) -> tuple[str, list[str]]:
    """The query without operators that have nothing to join (`热线 AND`, `OR 热线`,
    `(热线 OR)`), and a note for each one dropped: a typed query is read, not refused."""
    notes = []
    while True:
        tokens = [(m.group(0), m.span()) for m in _QUERY_TOKENS.finditer(text)]
        dangling = _first_dangling(tokens)
        if dangling is None:
            return text, notes
        word, side, (start, end) = dangling
        left, right = text[:start].rstrip(), text[end:].lstrip()
        glue = "" if left.endswith("(") or right.startswith(")") else " "
        text = (left + glue + right).strip()
        notes.append(f"ignored the operator {word}: nothing on its {side}; searched for "
                     f"'{text}'")


def _first_dangling(tokens: list[tuple[str, tuple[int, int]]]
                    ) -> tuple[str, str, tuple[int, int]] | None:
    for i, (word, span) in enumerate(tokens):
        if word not in (*_BINARY, "NOT"):
            continue
        before = tokens[i - 1][0] if i else None
        after = tokens[i + 1][0] if i + 1 < len(tokens) else None
        if word in _BINARY and (before is None or before == "(" or before in _BINARY
                                or before == "NOT"):
            return word, "left", span
        if after is None or after == ")" or after in _BINARY:
            return word, "right", span
    return None


def _read_filters(q: wq.Query, notes: list[str]) -> wq.Query:
    """Field filters as users mean them. `city:周口市 city:济源市` is 周口市 OR 济源市: a
    record has one value per facet, so the AND of two values of one facet could never
    match; repeated filters OR, as the facet parameters do, and different fields stay
    AND-ed. A shortened place (`city:周口`) is read as its full name, with a note."""
    if isinstance(q, wq.Term) and q.fieldname in PLACE_FILTERS:
        full = full_place_names(q.fieldname, str(q.text))
        if full != [q.text]:
            notes.append(f"{q.fieldname} '{q.text}' read as {' / '.join(full)}")
            terms = [wq.Term(q.fieldname, name) for name in full]
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        return q
    if isinstance(q, wq.And):
        children = [_read_filters(c, notes) for c in q.subqueries]
        by_field: dict[str, list[wq.Query]] = {}
        for child in children:
            if isinstance(child, wq.Term) and child.fieldname in FACET_FIELDS:
                by_field.setdefault(child.fieldname, []).append(child)
        merged: list[wq.Query] = []
        for child in children:
            group = by_field.get(getattr(child, "fieldname", None), []) \
                if isinstance(child, wq.Term) else []
            if len(group) < 2:
                merged.append(child)
            elif child is group[0]:
                merged.append(wq.Or(group))
        return merged[0] if len(merged) == 1 else wq.And(merged, boost=q.boost)
    if isinstance(q, (wq.Or, wq.DisjunctionMax)):
        return type(q)([_read_filters(c, notes) for c in q.subqueries], boost=q.boost)
    if isinstance(q, (wq.AndNot, wq.AndMaybe)):
        return type(q)(_read_filters(q.a, notes), _read_filters(q.b, notes))
    if isinstance(q, wq.Not):
        return wq.Not(_read_filters(q.query, notes))
    return q


def parse_query(parser: BudgetQueryParser, text: str,
                notes: list[str] | None = None) -> wq.Query:
    """The whoosh query for the user's text; QueryError on anything malformed. What was
    read differently from how it was typed is said in `notes`."""
    text = text.strip()
    check_syntax(text)
    text, dropped = drop_dangling_operators(text)
    notes = notes if notes is not None else []
    notes.extend(dropped)
    if not text or text == "*":
        return wq.Every()
    # AND/OR/NOT are operators only in capitals; `and` in lower case is a word.
    try:
        # whoosh's normalize() deep-copies the whole tree (most of the parse time on a
        # synonym group); the engine query compiled from it needs no normal form.
        parsed = parser.parse(text, normalize=False)
    except Exception as exc:  # whoosh raises assorted errors on odd input
        raise QueryError(f"cannot parse the query: {exc}") from None
    _reject_errors(parsed)
    return _finish(_read_filters(parsed, notes))


def _reject_errors(q: wq.Query) -> None:
    for node in _walk(q):
        if isinstance(node, type(wq.NullQuery)) and getattr(node, "error", None):
            raise QueryError(f"bad value in the query: {node.error}")
        if type(node).__name__ == "ErrorQuery":
            raise QueryError(f"bad value in the query: {getattr(node, 'message', node)}")


def _walk(q: wq.Query):
    yield q
    for child in q.children():
        yield from _walk(child)


def _finish(parsed: wq.Query) -> wq.Query:
    """A query of NOT clauses only means "everything except"."""
    if isinstance(parsed, wq.Not):
        return wq.AndNot(wq.Every(), parsed.query)
    if isinstance(parsed, type(wq.NullQuery)):
        return wq.NullQuery
    return parsed


def highlight_terms(q: wq.Query) -> set[str]:
    """The analysed texts a hit can be highlighted with."""
    terms: set[str] = set()
    for node in _walk(q):
        if isinstance(node, wq.Not):
            continue
        if isinstance(node, wq.Term) and (node.fieldname in TEXT_FIELDS
                                          or node.fieldname in WORD_FIELDS.values()):
            terms.add(str(node.text))
        elif isinstance(node, wq.Phrase) and node.fieldname in TEXT_FIELDS:
            # The phrase as printed, not its words: 政务热线 must not mark every 政务.
            terms.add(PHRASE_GAP.join(str(w) for w in node.words))
    return _without_negated(q, terms)


def _without_negated(q: wq.Query, terms: set[str]) -> set[str]:
    negated: set[str] = set()
    for node in _walk(q):
        if isinstance(node, wq.Not):
            for inner in _walk(node.query):
                if isinstance(inner, wq.Term):
                    negated.add(str(inner.text))
    return terms - negated
