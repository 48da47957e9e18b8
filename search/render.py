"""Snippets with highlighted terms, and the CLI's plain-text view of a result.

Everything is HTML-escaped; the only markup in a snippet is `<mark>` around matched text.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from budgetsearch.indexer.analysis import fold

SNIPPET_CHARS = 160
FACETS_SHOWN = ("city", "year", "department", "amount_band", "project_type", "func_class")
FACET_VALUES_SHOWN = 8  # per facet in the CLI summary; the rest is counted, not listed

# C0 controls but tab and newline, DEL and the C1 controls: a document or a file name that
# carries them (NUL, ESC sequences) must never reach a terminal or a page raw.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character (but tab and newline) shown as its `\\u00XX`
    escape, a form that stays valid inside JSON strings."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """`text` folded as the analyzer folds it (NFKC, lower case, traditional characters
    to simplified) and, per folded character, its index in `text`: query terms are folded,
    so a traditional 熱線 is marked for the query 热线."""
    whole = fold(text)
    if len(whole) == len(text) and len(unicodedata.normalize("NFKC", text)) == len(text):
        return whole, list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = fold(ch)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


# In a term, this separates the words of a phrase: they may stand apart by a few
# punctuation marks or spaces in the text (因公出国(境)费 for the phrase 因公 出国 境 费).
PHRASE_GAP = "\x00"
_GAP_PATTERN = r"[^0-9a-z\u3400-\u9fff]{0,3}"


@lru_cache(maxsize=256)
def _pattern(terms: frozenset[str]) -> re.Pattern[str]:
    ordered = sorted(terms, key=lambda t: len(t.replace(PHRASE_GAP, "")), reverse=True)
    return re.compile("|".join(_GAP_PATTERN.join(re.escape(w) for w in t.split(PHRASE_GAP))
                               for t in ordered))


def match_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Spans of `text` matching any term, adjacent matches (or ones separated only by
    spaces) merged into one span, so `12345 热线` is marked as a whole."""
    terms = {t for t in terms if t}
    if not terms or not text:
        return []
    folded, where = _folded_with_map(text)
    pattern = _pattern(frozenset(terms))
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(folded):
        start, end = where[m.start()], where[m.end() - 1] + 1
        if spans and (start <= spans[-1][1] or not text[spans[-1][1]:start].strip()):
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def highlight(text: str, terms: set[str], width: int = SNIPPET_CHARS) -> str:
    """An escaped window of `text` around its first match, matches in <mark>."""
    text = text.replace("\t", " | ")
    spans = match_spans(text, terms)
    start = 0
    if spans and len(text) > width:
        start = max(0, min(spans[0][0] - width // 4, len(text) - width))
    end = min(len(text), start + width)
    parts = ["…" if start else ""]
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(html.escape(text[cursor:s]))
        parts.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    parts.append(html.escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return "".join(parts)


def best_line(lines: list[list], terms: set[str]) -> list:
    """The [no, page, text] line of a passage with the most matched characters."""
    def score(line: list) -> int:
        return sum(e - s for s, e in match_spans(line[2], terms))

    return max(lines, key=score) if lines else [None, None, ""]


def _plain(snippet: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", snippet))


def _amount(value: float | None) -> str:
    return f"{value:,.2f}" if isinstance(value, (int, float)) else "-"


def _region(region: dict) -> str:
    return "".join(v for v in (region.get("province"), region.get("city"),
                               region.get("county")) if v) or "-"


def _shown_amount(hit: dict) -> float | None:
    """A document hit shows the total its query names (its 三公 for 三公经费), else its own."""
    return hit["figure"]["value"] if hit.get("figure") else hit.get("amount")


def format_hits(result: dict) -> str:
    """The CLI view: one block per hit, then the total and the facet counts."""
    lines = []
    width = max((len(_amount(_shown_amount(h))) for h in result["hits"]), default=0)
    for n, hit in enumerate(result["hits"], start=result.get("offset", 0) + 1):
        source = hit["source"]
        where = f"{source['path']}:{source['line']}" if source.get("line") else source["path"]
        if source.get("page"):
            where += f" (p. {source['page']})"
        amount = _amount(_shown_amount(hit)).rjust(width)
        mark = "  [仅描述提到, not in the total]" if hit.get("matched_in") == "仅描述" else ""
        if hit.get("figure"):
            figure = hit["figure"]
            mark += f"  [{figure['label']}" + (f", L{figure['line']}" if figure.get("line") else "") + "]"
        lines.append(f"{n:>3}. {amount} 万元  {hit.get('name') or '-'}{mark}")
        lines.append(f"     {hit.get('department') or '-'} · {_region(hit['region'])} · "
                     f"{hit.get('year') or '-'} {hit.get('kind') or ''}".rstrip())
        if result["type"] != "project":
            lines.append(f"     {_plain(hit['snippet'])}")
        lines.append(f"     {where}")
    counts = result.get("counts", {})
    offset = result.get("offset", 0) or 0
    if result["hits"]:
        shown = f"{len(result['hits'])} shown"
    elif result["total"] and offset >= result["total"]:
        shown = f"offset {offset} is past the last hit: try --offset {_last_page(result)}"
    else:
        shown = "no match"
    summary = f"{result['total']} {result['type']} hits ({shown})"
    if result["type"] == "project" and result.get("amount_sum") is not None:
        summary += f", total {_amount(result['amount_sum'])} 万元 (name matches)"
        mentions = result.get("facets", {}).get("match", {}).get("仅描述")
        if mentions:
            summary += (f"; {mentions} only mentioned in descriptions: "
                        f"{_amount(result.get('amount_sum_mentions'))} 万元 apart")
    if counts:
        summary += " · " + ", ".join(f"{k}: {v}" for k, v in counts.items())
    lines.append(summary)
    lines.extend(f"note: {note}" for note in result.get("notes") or [])
    if result.get("suggestions"):
        lines.append("您是不是要找 (did you mean): " + " / ".join(result["suggestions"]))
    if result["type"] == "project" and not result["total"] and any(counts.values()):
        lines.append("the matches are elsewhere: " + ", ".join(
            f"{counts[t]} {t}s (--type {t})" for t in ("document", "passage") if counts.get(t)))
    for name in FACETS_SHOWN:
        values = result.get("facets", {}).get(name)
        if values:
            items = list(values.items())
            top = ", ".join(f"{k} {v}" for k, v in items[:FACET_VALUES_SHOWN])
            if len(items) > FACET_VALUES_SHOWN:
                top += f" … and {len(items) - FACET_VALUES_SHOWN} more (--json lists all)"
            lines.append(f"  {name}: {top}")
    return printable("\n".join(lines))


def _last_page(result: dict) -> int:
    """The offset of the last page of hits, for the hint after an offset past the end."""
    size = max(1, int(result.get("limit") or 20))
    return (int(result["total"]) - 1) // size * size
