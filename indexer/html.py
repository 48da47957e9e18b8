"""Read an HTML disclosure (a budget re-published as a web page) into numbered lines.

Text blocks (p, div, li, h1-h6, br, ...) become one line each; every `<table>` becomes one
line per row with the cells joined by a tab, in the shape the PDF reader and the text seeds
give, so one table parser reads all formats. Spans are expanded the way the PDF reader
writes them: a cell's text goes in its first row and column, and every further position
it covers (colspan to the right, rowspan below) is an empty cell. Rows of one table thus
keep one width and amounts stay under their column headers.

Scripts, styles, navigation, page headers and footers are dropped: they are site chrome,
not the disclosure. The `<title>` becomes the title hint.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TYPE_CHECKING

from budgetsearch.indexer.load import decode_text, split_lines
from budgetsearch.indexer.models import BudgetSearchError, SourceDocument

if TYPE_CHECKING:  # bs4 is imported when a page is read, not when the indexer starts
    from bs4 import Tag

_DROP = ["script", "style", "noscript", "template", "nav", "header", "footer", "iframe",
         "object", "svg", "form", "button", "select"]
_BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
          "section", "article", "main", "aside", "blockquote", "pre", "address", "figure",
          "figcaption", "caption", "center", "body", "hr", "tr", "table", "form", "fieldset"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "gb_2312-80", "csgb2312"}
_WS = re.compile(r"[ \t\r\n\f\u00a0\u3000]+")
_CJK_EDGE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_MAX_SPAN = 1000  # a malformed colspan="100000" must not blow a row up


def load_html(path: Path, data: bytes) -> SourceDocument:
    """Decode (declared charset first, then detection) and read blocks and tables."""
    from bs4 import BeautifulSoup

    text, encoding = decode_html(path, data)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml recovers from unclosed tags; this is a last resort
        raise BudgetSearchError(f"{path}: unreadable HTML ({type(exc).__name__}: {exc})") from None
    title_tag = soup.find("title")
    title = _WS.sub(" ", title_tag.get_text()).strip() if title_tag else ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    if title_tag is not None and title_tag.parent is not None:
        title_tag.decompose()
    root = soup.body or soup
    out: list[str] = []
    _Walker(out).run(root)
    lines = split_lines("\n".join(out)) if out else []
    return SourceDocument(path=str(path), format="html", encoding=encoding, lines=lines,
                          title_hint=title or None)


def decode_html(path: Path, data: bytes) -> tuple[str, str]:
    """BOM, then the declared charset, then detection; GB2312/GBK are read as GB18030."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(path, data)
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match:
        declared = match.group(1).decode("ascii", "replace").lower()
        # GB18030 is a superset of GB2312 and GBK; sites that declare the older names
        # routinely use characters only the superset has.
        name = "gb18030" if declared in _GB_FAMILY else declared
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: fall back to detection
    return decode_text(path, data)


def clean_text(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Walker:
    """Walks the tree once, emitting a line at every block boundary."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.buffer: list[str] = []

    def run(self, node: "Tag") -> None:
        self.walk(node)
        self.flush()

    def flush(self) -> None:
        line = clean_text("".join(self.buffer))
        if line:
            self.out.append(line)
        self.buffer = []

    def walk(self, node: "Tag") -> None:
        from bs4 import Comment, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name == "br":
                    self.flush()
                elif name == "table":
                    self.flush()
                    self.out.extend(table_lines(child))
                elif name == "pre":
                    self.flush()
                    self.out.extend(t.rstrip() for t in child.get_text().splitlines()
                                    if t.strip())
                elif name in _BLOCK:
                    self.flush()
                    self.walk(child)
                    self.flush()
                else:
                    self.walk(child)


def table_lines(table: "Tag") -> list[str]:
    """A <table> as tab-joined rows: caption first, nested tables flattened into cells."""
    lines: list[str] = []
    caption = table.find("caption")
    if caption is not None and caption.find_parent("table") is table:
        text = clean_text(caption.get_text(" "))
        if text:
            lines.append(text)
    grid: dict[tuple[int, int], str] = {}
    width = 0
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = cell_text(cell)
            c += colspan
        width = max(width, c)
    for r in range(len(rows)):
        cells = [grid.get((r, c), "") for c in range(width)]
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def cell_text(cell: "Tag") -> str:
    """A cell's text with its own line breaks (br, p, nested blocks) removed."""
    parts: list[str] = []
    _Walker(parts).run(cell)
    out = ""
    for part in (p.replace("\t", " ") for p in parts):
        if out:
            out += "" if _CJK_EDGE.match(out[-1]) and _CJK_EDGE.match(part[0]) else " "
        out += part
    return out


def _span(cell: "Tag", attr: str) -> int:
    try:
        value = int(str(cell.get(attr, "1")).strip() or 1)
    except ValueError:
        return 1
    return min(max(value, 1), _MAX_SPAN)
