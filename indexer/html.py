"""Read an HTML disclosure (a budget re-published as a web page) into numbered lines.

Text blocks (p, div, li, h1-h6, br, ...) become one line each; every `<table>` becomes one
line per row with the cells joined by a tab, in the shape the PDF reader and the text seeds
give, so one table parser reads all formats. Spans are expanded the way the PDF reader
writes them: a cell's text goes in its first row and column, and every further position
it covers (colspan to the right, rowspan below) is an empty cell. Rows of one table thus
keep one width and amounts stay under their column headers.

Scripts, styles, navigation, page headers and footers are dropped: they are site chrome,
not the disclosure. The `<title>` becomes the title hint. Portal pages wrap the disclosure
in menus, breadcrumbs and link lists that use no such tags: the page's main content (the
deepest element holding most of the text that is not link text) is written first and the
rest of the page after it, so a menu never reads as the document's title or department;
breadcrumb lines ("当前位置：首页 > ...") are dropped.

PDFs converted to HTML place every text fragment (often every table cell) absolutely, by
inline style or by pdf2htmlEX's position classes; such fragments are put back into rows by
position (indexer/layout.py), so their tables come out tab-separated like a PDF's.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TYPE_CHECKING

from budgetsearch.indexer.layout import Fragment, rows_from_fragments
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
# A reading budget: real portal pages hold a few thousand tags (at most about 3,000 in
# the cities corpus); 16 MB of tags would be millions and take gigabytes as a tree.
MAX_HTML_TAGS = 300_000
# Main content: descend into the child holding at least this share of its parent's text
# that is not link text; then climb back while the parent adds little (a title, a date).
_CONTENT_SHARE = 0.6
_CLIMB_RATIO = 1.3
# A block's own row structure, never a page's main content on its own.
_NOT_CONTENT_ROOTS = {"table", "tbody", "tr", "ul", "ol", "p", "li"}
# What lies outside the main content is moved after it only when it is chrome: at least
# this much link text per character of plain text (menus, link lists, breadcrumbs).
_CHROME_LINK_SHARE = 0.5
# Breadcrumbs: portal chrome that names the site's sections, never the document.
_BREADCRUMB = re.compile(r"^\s*(您|当前|现在|目前|所在)[^:：]{0,4}位置\s*[:：]")
# A block with at least this many absolutely positioned children is a converted page.
_MIN_POSITIONED = 4
_DEFAULT_FONT_PX = 12.0
_STYLE_NUMBER = r"\s*:\s*(-?[\d.]+)\s*(px|pt)?"
_STYLE_TOP = re.compile(r"(?:^|;)\s*top" + _STYLE_NUMBER, re.I)
_STYLE_LEFT = re.compile(r"(?:^|;)\s*left" + _STYLE_NUMBER, re.I)
_STYLE_BOTTOM = re.compile(r"(?:^|;)\s*bottom" + _STYLE_NUMBER, re.I)
_STYLE_FONT = re.compile(r"font-size" + _STYLE_NUMBER, re.I)
_STYLE_ABSOLUTE = re.compile(r"position\s*:\s*absolute", re.I)
# pdf2htmlEX: `.x1a{left:12.5px;}`, `.y3{bottom:700px;}`, `.fs2{font-size:36px;}`.
_CLASS_RULE = re.compile(r"\.((?:x|y|fs|h)[0-9a-f]+)\s*\{\s*(left|bottom|font-size|height)\s*:"
                         r"\s*(-?[\d.]+)(px|pt)?", re.I)
_PT_TO_PX = 4 / 3


def load_html(path: Path, data: bytes) -> SourceDocument:
    """Decode (declared charset first, then detection) and read blocks and tables."""
    from bs4 import BeautifulSoup

    text, encoding = decode_html(path, data)
    tags = text.count("<")  # counted before the tree is built: the tree is what costs
    if tags > MAX_HTML_TAGS:
        raise BudgetSearchError(f"{path}: {tags:,} tags, more than the {MAX_HTML_TAGS:,} an HTML "
                                f"page is read with; not read")
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml recovers from unclosed tags; this is a last resort
        raise BudgetSearchError(f"{path}: unreadable HTML ({type(exc).__name__}: {exc})") from None
    try:
        return _read(path, soup, encoding)
    except RecursionError:
        raise BudgetSearchError(f"{path}: HTML nested too deeply to read") from None


def _read(path: Path, soup: "Tag", encoding: str) -> SourceDocument:
    title_tag = soup.find("title")
    title = _WS.sub(" ", title_tag.get_text()).strip() if title_tag else ""
    classes = _class_positions(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    if title_tag is not None and title_tag.parent is not None:
        title_tag.decompose()
    root = soup.body or soup
    out: list[str] = []
    content = main_content(root)
    _Walker(out, classes).run(content)
    if content is not root:
        content.extract()
        _Walker(out, classes).run(root)
    out = [line for line in out if not _BREADCRUMB.match(line)]
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


def main_content(root: "Tag") -> "Tag":
    """The element holding the page's own text: the chain of children that each hold most
    of their parent's non-link text, then back up over the title and date beside it.
    The root when what lies outside that element is not chrome (mostly link text)."""
    from bs4 import Tag

    weights: dict[int, tuple[int, int]] = {}
    _weigh(root, weights)

    def plain(tag: Tag) -> int:
        return weights.get(id(tag), (0, 0))[0]

    node = root
    while True:
        children = [c for c in node.children if isinstance(c, Tag)]
        if not children:
            break
        best = max(children, key=plain)
        if plain(best) < _CONTENT_SHARE * plain(node) or best.name in _NOT_CONTENT_ROOTS:
            break
        node = best
    while node is not root and node.parent is not None:
        # Climb over what the parent adds only when it is little and not chrome.
        added_plain = plain(node.parent) - plain(node)
        added_links = weights[id(node.parent)][1] - weights[id(node)][1]
        if plain(node.parent) > _CLIMB_RATIO * plain(node) or \
                (added_links and added_links >= _CHROME_LINK_SHARE * added_plain):
            break
        node = node.parent
    outside_plain = plain(root) - plain(node)
    outside_links = weights[id(root)][1] - weights.get(id(node), (0, 0))[1]
    return node if outside_links >= _CHROME_LINK_SHARE * outside_plain else root


def _weigh(node: "Tag", weights: dict[int, tuple[int, int]], in_link: bool = False
           ) -> tuple[int, int]:
    """Characters of text outside and inside links under `node`, for every element."""
    from bs4 import Comment, NavigableString, Tag

    plain = linked = 0
    for child in node.children:
        if isinstance(child, Tag):
            p, l = _weigh(child, weights, in_link or child.name == "a")
            plain, linked = plain + p, linked + l
        elif isinstance(child, NavigableString) and not isinstance(child, Comment):
            size = len(_WS.sub("", str(child)))
            if in_link:
                linked += size
            else:
                plain += size
    weights[id(node)] = (plain, linked)
    return plain, linked


def _class_positions(soup: "Tag") -> dict[str, tuple[str, float]]:
    """pdf2htmlEX position classes from the page's style sheets: class -> (property, px)."""
    rules: dict[str, tuple[str, float]] = {}
    for style in soup.find_all("style"):
        for name, prop, value, unit in _CLASS_RULE.findall(style.get_text()):
            px = float(value) * (_PT_TO_PX if unit.lower() == "pt" else 1.0)
            rules.setdefault(name, (prop.lower(), px))
    return rules


def _position(tag: "Tag", classes: dict[str, tuple[str, float]]) -> tuple[float, float, float] | None:
    """(left, top, font size) in px of an absolutely placed element, from its inline style
    or its pdf2htmlEX classes (which measure from the bottom, so top is minus bottom)."""
    style = str(tag.get("style") or "")
    if _STYLE_ABSOLUTE.search(style):
        left, top = _STYLE_LEFT.search(style), _STYLE_TOP.search(style)
        bottom = _STYLE_BOTTOM.search(style)
        if left and (top or bottom):
            font = _STYLE_FONT.search(style)
            return (_px(left), _px(top) if top else -_px(bottom),  # type: ignore[arg-type]
                    _px(font) if font else _DEFAULT_FONT_PX)
    found = {}
    for name in tag.get("class") or []:
        if name in classes:
            prop, px = classes[name]
            found[prop] = px
    if "left" in found and "bottom" in found:
        size = found.get("font-size") or found.get("height") or _DEFAULT_FONT_PX
        return found["left"], -found["bottom"], size
    return None


def _px(match: re.Match[str]) -> float:
    value = float(match.group(1))
    return value * _PT_TO_PX if (match.group(2) or "").lower() == "pt" else value


class _Walker:
    """Walks the tree once, emitting a line at every block boundary."""

    def __init__(self, out: list[str], classes: dict[str, tuple[str, float]] | None = None
                 ) -> None:
        self.out = out
        self.buffer: list[str] = []
        self.classes = classes or {}

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

        if self.positioned(node):
            return
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

    def positioned(self, node: "Tag") -> bool:
        """Rows rebuilt from positions when the block's children are placed absolutely."""
        from bs4 import Tag

        placed: list[Fragment] = []
        for child in node.children:
            if not isinstance(child, Tag):
                continue
            where = _position(child, self.classes)
            text = clean_text(child.get_text(" "))
            if where is None or not text:
                continue
            left, top, size = where
            width = sum(size if not ch.isascii() else size / 2 for ch in text)
            placed.append(Fragment(text, left, top, left + width, top + size))
        if len(placed) < _MIN_POSITIONED:
            return False
        self.flush()
        self.out.extend(rows_from_fragments(placed))
        return True


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
