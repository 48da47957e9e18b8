"""Read a PDF disclosure into numbered lines, each carrying the page it was printed on.

pypdfium2 reads each page's characters and drawing (indexer/pdfpage.py); pdfplumber's table
finder (lines strategy) then finds the ruled tables on pages that draw rules and reads their
cells; the text outside the tables is grouped into lines by pdfplumber's own line grouping.
A page's tables and text lines are interleaved top to bottom, so a table's title and unit
line come right before its rows, as printed. Pages with no text layer but images (scans)
are read by OCR (indexer/ocr.py); the document's notes name them.

Tables come out in the shape of the text seeds, because one parser reads all formats: one
line per table row, cells joined by a tab, a cell's own line breaks removed, cells covered
by a row or column span written as empty cells so every row of a table has the same width.

PDF metadata titles are not used as a title hint: in real disclosures they are left over
from whatever file the template was copied from (a budget titled "离婚协议书", another
naming the wrong year).
"""
from __future__ import annotations

import io
import re
from bisect import bisect_left
from pathlib import Path
from typing import Any, Iterator

from budgetsearch.indexer.models import BudgetSearchError, Line, SourceDocument
from budgetsearch.indexer.pdfpage import PageTooLarge, PdfPage, check_content_sizes, read_page

# A file whose last bytes hold no end marker was cut short (an interrupted download).
_EOF_WINDOW = 4096
_CJK_EDGE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
# A blank wider than this many characters separates two fields printed on one line.
_FIELD_GAP = 3
# pdfplumber's default x and y tolerance in its word and line grouping.
_TOLERANCE = 3
_TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
# A table needs at least two rules each way; pages with fewer skip the table finder.
_MIN_RULES = 2
# Reading budgets (issue: a 35 KB PDF can draw millions of characters). Real pages draw a
# few thousand characters and objects; a 328-page disclosure has 0.6 M characters.
MAX_PAGE_CHARS = 100_000
MAX_PAGE_OBJECTS = 200_000
MAX_DOCUMENT_CHARS = 5_000_000
# Binary bytes replaced by U+FFFD (EF BF BD): a PDF saved through a text conversion.
_REPLACEMENT = b"\xef\xbf\xbd"
_REPLACED_SHARE = 0.01


def load_pdf(path: Path, data: bytes) -> SourceDocument:
    """Read a PDF's text and tables; raise BudgetSearchError naming the file on bad input."""
    import pypdfium2 as pdfium

    _check_bytes(path, data)
    try:
        check_content_sizes(data)
    except PageTooLarge as exc:
        raise BudgetSearchError(f"{path}: page {exc}; not read") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise BudgetSearchError(f"{path}: {_describe_pdfium(exc)}") from None
    try:
        page_count = len(pdf)
        if page_count == 0:
            raise BudgetSearchError(f"{path}: damaged PDF (no pages found)")
        reader = _Reader(path, data, pdf)
        pages = [reader.page(n) for n in range(1, page_count + 1)]
    finally:
        pdf.close()
    failed = reader.failed
    if len(failed) == page_count:
        raise BudgetSearchError(f"{path}: no page could be read ({failed[0][1]})")
    if reader.scanned:
        from budgetsearch.indexer.ocr import ocr_pdf_pages

        ocr = ocr_pdf_pages(path, data, reader.scanned)
        for page_no, texts in ocr.lines.items():
            pages[page_no - 1] = texts
        notes = ocr.notes
    else:
        notes = []
    if not any(pages):
        raise BudgetSearchError(
            f"{path}: PDF has no text layer (scanned images?) and OCR read nothing"
            if reader.scanned else f"{path}: PDF has no text layer and no images to OCR")
    lines: list[Line] = []
    for page_no, texts in enumerate(pages, start=1):
        for text in texts:
            lines.append(Line(no=len(lines) + 1, text=text, page=page_no))
    notes = [f"page {page_no} could not be read ({cause}); its text is missing"
             for page_no, cause in failed] + notes
    return SourceDocument(path=str(path), format="pdf", encoding=None, lines=lines,
                          page_count=page_count, notes=notes)


def _check_bytes(path: Path, data: bytes) -> None:
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise BudgetSearchError(f"{path}: truncated or damaged PDF (no end-of-file marker)")
    replaced = data.count(_REPLACEMENT)
    if replaced > _REPLACED_SHARE * len(data) / len(_REPLACEMENT):
        # Saved as text by a crawler: every byte that was not valid UTF-8 became U+FFFD,
        # so the compressed streams are gone. No reader can recover them.
        raise BudgetSearchError(
            f"{path}: damaged PDF ({replaced:,} bytes replaced by U+FFFD: the file went through "
            f"a text conversion; download it again as binary)")


class _Reader:
    """Reads pages one by one, keeping the budget and what could not be read."""

    def __init__(self, path: Path, data: bytes, pdf: Any) -> None:
        self.path, self.data, self.pdf = path, data, pdf
        self.chars = 0
        self.failed: list[tuple[int, str]] = []
        self.scanned: list[int] = []
        self._plumber: Any = None

    def page(self, page_no: int) -> list[str]:
        try:
            page = self.pdf[page_no - 1]
        except Exception as exc:  # pdfium could not load the page's dictionary
            return self._from_pdfminer(page_no, exc)
        try:
            model = read_page(page, MAX_PAGE_OBJECTS, MAX_PAGE_CHARS)
        except PageTooLarge as exc:
            raise BudgetSearchError(f"{self.path}: page {page_no} draws {exc}; not read") from None
        finally:
            page.close()
        self._count(len(model.chars))
        if model.chars:
            return page_lines(model)
        if model.images:
            self.scanned.append(page_no)
            return []
        if model.objects == 0:
            # pdfium draws nothing where a content stream is damaged and says nothing;
            # pdfminer then either reads what is there or names what is wrong.
            return self._from_pdfminer(page_no, None)
        return []

    def _count(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_DOCUMENT_CHARS:
            raise BudgetSearchError(
                f"{self.path}: more than {MAX_DOCUMENT_CHARS:,} characters of text (a generated "
                f"or pathological PDF); not read")

    def _from_pdfminer(self, page_no: int, cause: Exception | None) -> list[str]:
        try:
            if self._plumber is None:
                import pdfplumber

                self._plumber = pdfplumber.open(io.BytesIO(self.data))
            page = self._plumber.pages[page_no - 1]
            try:
                model = PdfPage(width=float(page.width), height=float(page.height),
                                chars=list(page.chars), edges=page.filter(_visible).edges)
            finally:
                page.close()
        except Exception as exc:  # pdfminer raises many unrelated types on a damaged page
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
            self.failed.append((page_no, f"{type(inner).__name__}: {inner}"))
            return []
        if not model.chars and cause is not None:
            self.failed.append((page_no, f"{type(cause).__name__}: {cause}"))
        self._count(len(model.chars))
        return page_lines(model) if model.chars else []


def _describe_pdfium(exc: Exception) -> str:
    """Name the cause pdfium found, in the words a user acts on."""
    import pypdfium2.raw as pdfium_c

    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return "encrypted PDF (needs a password to open)"
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return f"encrypted PDF that cannot be decrypted ({exc})"
    return f"damaged or truncated PDF ({exc})"


def page_lines(page: PdfPage) -> list[str]:
    """One page as printed lines: text lines and table rows in top-to-bottom order."""
    from pdfplumber.utils import chars_to_textmap

    tables = _find_tables(page) if _has_rules(page) else []
    bboxes = [t.bbox for t in tables]
    items: list[tuple[float, int, list[str]]] = []
    for i, table in enumerate(tables):
        items.append((table.bbox[1], i, list(table_rows(table, page.chars))))
    outside = _outside(page.chars, bboxes) if bboxes else page.chars
    order = len(tables)
    textmap = chars_to_textmap(outside, layout_bbox=page.bbox, layout_width=page.width,
                               layout_height=page.height)
    for line in textmap.extract_text_lines(strip=True, return_chars=True):
        for text in split_at_gaps(line):
            items.append((line["top"], order, [text]))
            order += 1
    items.sort(key=lambda item: (item[0], item[1]))
    return [text for _, _, texts in items for text in texts]


def _has_rules(page: PdfPage) -> bool:
    """Cheap test before the table finder: rules drawn both ways."""
    kinds = [e["orientation"] for e in page.edges]
    return kinds.count("h") >= _MIN_RULES and kinds.count("v") >= _MIN_RULES


def _find_tables(page: PdfPage) -> list[Any]:
    from pdfplumber.table import TableFinder, TableSettings

    settings = dict(_TABLE_SETTINGS, explicit_horizontal_lines=_closing_rules(page))
    finder = TableFinder(page, TableSettings.resolve(settings))  # type: ignore[arg-type]
    return [t for t in finder.tables if _is_real_table(t)]


def split_at_gaps(line: dict[str, Any]) -> list[str]:
    """A printed line holding fields far apart (`部门名称：某某院` left, `单位：万元` right)
    as one line per field: glued together, the department would read `某某院单位:万元`."""
    chars = sorted((c for c in line["chars"] if c["text"].strip()), key=lambda c: c["x0"])
    if not chars:
        return [line["text"]]
    pieces: list[list[dict[str, Any]]] = [[chars[0]]]
    for prev, char in zip(chars, chars[1:]):
        wide = char["x0"] - prev["x1"] > _FIELD_GAP * max(prev["size"], char["size"])
        # A label (`部门：`) keeps the value printed far to its right.
        if wide and prev["text"] not in "：:":
            pieces.append([char])
        else:
            pieces[-1].append(char)
    if len(pieces) == 1:
        return [line["text"]]
    return [_chars_text(piece) for piece in pieces]


def _chars_text(chars: list[dict[str, Any]]) -> str:
    # The same spacing rule as pdfplumber's own lines: a gap over 3 pt is a space.
    out = chars[0]["text"]
    for prev, char in zip(chars, chars[1:]):
        out += (" " if char["x0"] - prev["x1"] > 3 else "") + char["text"]
    return out


def table_rows(table: Any, chars: list[dict[str, Any]]) -> Iterator[str]:
    """Rows of one table as tab-joined lines; spanned positions become empty cells."""
    for row in extract_cells(table, chars):
        cells = [join_cell_lines(cell) if cell else "" for cell in row]
        if any(cells):
            yield "\t".join(cells)


def extract_cells(table: Any, chars: list[dict[str, Any]]) -> list[list[str | None]]:
    """pdfplumber's Table.extract, the same cells and text, without testing every character
    of the page against every row (28 M tests on a 328-page document): characters are
    sorted by their vertical middle once and each row takes its slice."""
    from pdfplumber.utils import extract_text

    placed = sorted((((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, i)
                     for i, c in enumerate(chars)))
    middles = [p[0] for p in placed]
    out: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        in_row = [(v, h, i) for v, h, i in
                  placed[bisect_left(middles, top):bisect_left(middles, bottom)]
                  if x0 <= h < x1]
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            # Page order, as pdfplumber passes them: ties in its line grouping keep it.
            picked = sorted(i for v, h, i in in_row if cx0 <= h < cx1 and ctop <= v < cbottom)
            cells.append(cell_text([chars[i] for i in picked]) if picked else "")
        out.append(cells)
    return out


def cell_text(chars: list[dict[str, Any]]) -> str:
    """pdfplumber's extract_text for a cell; the usual cell, one upright line, is joined
    here directly (the same words and spaces, a tenth of the time)."""
    from pdfplumber.utils import extract_text
    from pdfplumber.utils.text import LIGATURES

    tops = [c["top"] for c in chars]
    if max(tops) - min(tops) > _TOLERANCE or not all(c["upright"] for c in chars) or any(
            c["text"] in LIGATURES for c in chars):
        return extract_text(chars)
    words: list[str] = []
    word = ""
    prev_x1 = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        if char["text"].isspace():
            if word:
                words.append(word)
            word, prev_x1 = "", None
            continue
        if word and prev_x1 is not None and char["x0"] > prev_x1 + _TOLERANCE:
            words.append(word)
            word = ""
        word += char["text"]
        prev_x1 = char["x1"]
    if word:
        words.append(word)
    return " ".join(words)


def join_cell_lines(cell: str) -> str:
    """Undo the line breaks of a wrapped cell: CJK text runs on, other text gets a space."""
    parts = [p.strip() for p in cell.replace("\t", " ").split("\n")]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        joiner = "" if _CJK_EDGE.match(out[-1]) and _CJK_EDGE.match(part[0]) else " "
        out += joiner + part
    return out


def _visible(obj: dict[str, Any]) -> bool:
    """Drop white, unstroked rectangles: invisible to a reader, but Word and Excel exports
    paint one behind every cell (and one behind the whole page), and their edges would
    split each real column into three and swallow the title into the table."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return not _is_white(obj.get("non_stroking_color"))


def _is_white(color: Any) -> bool:
    if isinstance(color, (int, float)):
        return color >= 0.99
    if isinstance(color, (tuple, list)) and color and all(
            isinstance(v, (int, float)) for v in color):
        if len(color) == 4:  # CMYK: white is no ink
            return max(color) <= 0.01
        return min(color) >= 0.99
    return False


def _closing_rules(page: Any) -> list[dict[str, Any]]:
    """Rules closing a table cut by a page break.

    A table continued from the previous page starts with a row whose column rules are
    drawn but whose top rule is not (and a table continued on the next page ends the same
    way); without a closing rule that row would be lost to the text lines. The rule is
    drawn where the outermost vertical rules start (end) when no horizontal rule is there.
    """
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["height"] > 2]
    horizontals = [e for e in page.edges if e["orientation"] == "h"]
    if not verticals:
        return []
    rules = []
    for y, key in ((min(e["top"] for e in verticals), "top"),
                   (max(e["bottom"] for e in verticals), "bottom")):
        xs = [e["x0"] for e in verticals if abs(e[key] - y) <= 1]
        x0, x1 = min(xs), max(xs)
        if x1 - x0 < 1 or any(abs(h["top"] - y) <= 2 and h["x0"] <= x0 + 2 and h["x1"] >= x1 - 2
                              for h in horizontals):
            continue
        rules.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
                      "width": x1 - x0, "height": 0})
    return rules


def _is_real_table(table: Any) -> bool:
    """A ruled box with one column (a cover page frame, a boxed note) is text, not a table."""
    rows = table.rows
    return bool(rows) and max(len(row.cells) for row in rows) >= 2


def _outside(chars: list[dict[str, Any]], bboxes: list[tuple[float, float, float, float]]
             ) -> list[dict[str, Any]]:
    """The characters whose middle lies in none of the boxes (the tables' text is read
    from their cells)."""
    out = []
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        for x0, top, x1, bottom in bboxes:
            if x0 <= x <= x1 and top <= y <= bottom:
                break
        else:
            out.append(char)
    return out
