"""Stage 2: undo what PDF-to-text conversion did to the lines, keeping their numbers.

Tabs are cell separators and survive; everything else is folded to one canonical form so
the later stages can match `（` and `(`, `827. 29` and `827.29`, `安 阳 市` and `安阳市`.
"""
from __future__ import annotations

import html
import re
import unicodedata

from budgetsearch.indexer.models import Line

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_MD_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+(?=\S))|\*\*|__")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[{_CJK}])")
_SPACE_AROUND_CJK_PUNCT = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[，。、；：！？“”‘’《》（）])"
                                     rf"|(?<=[，。、；：！？“”‘’《》（）])[ \u3000]+(?=[{_CJK}])")
_BROKEN_DECIMAL = re.compile(r"(?<![\d.])(\d[\d,]*)\s*\.\s+(\d+)(?:\s(\d))?(?![\d.])")
_NUMERIC_CELL = re.compile(r"^[-+]?[\d,\s]*\.?[\d\s]*$")
_MD_RULE = re.compile(r"^\|[\s:|-]+\|$")
_AMOUNT = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_WHITESPACE = re.compile(r"\s")



def normalize_text(text: str) -> str:
    """Normalize one line of text (cells separated by tabs are normalized one by one)."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    # NFKC folds full-width forms to ASCII (（ -> (, ：-> :, ，-> ,) and the Kangxi
    # radicals PDF fonts emit (⼀ -> 一); 。 and 、 have no ASCII form and stay.
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    text = _MD_MARKUP.sub("", text)
    stripped = text.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        if _MD_RULE.match(stripped):
            return ""
        text = "\t".join(stripped[1:-1].split("|"))
    cells = [normalize_cell(cell) for cell in text.split("\t")]
    return "\t".join(cells).rstrip()


def normalize_cell(cell: str) -> str:
    cell = cell.strip()
    if cell and _NUMERIC_CELL.match(cell) and any(c.isdigit() for c in cell):
        return cell.replace(" ", "").replace(",", "")
    if not _WHITESPACE.search(cell):  # what follows only mends spaces: most cells have none
        return cell
    cell = _BROKEN_DECIMAL.sub(lambda m: f"{m[1]}.{m[2]}{m[3] or ''}", cell)
    cell = _SPACE_BETWEEN_CJK.sub("", cell)
    cell = _SPACE_AROUND_CJK_PUNCT.sub("", cell)
    return re.sub(r"[ \u3000]{2,}", " ", cell)


def normalize_lines(lines: list[Line]) -> list[Line]:
    return [Line(no=line.no, text=normalize_text(line.text), page=line.page) for line in lines]


def parse_amount(cell: str) -> float | None:
    """A table cell as a number; empty cells and dashes are None (zero or not given)."""
    cell = cell.strip().replace(",", "").replace(" ", "")
    if cell in {"", "-", "--", "—", "/"}:
        return None
    return float(cell) if _AMOUNT.match(cell) else None


def is_amount(cell: str) -> bool:
    return parse_amount(cell) is not None
