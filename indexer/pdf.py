"""Read a PDF disclosure into numbered lines, each carrying the page it was printed on.

pdfplumber finds the ruled tables (lines strategy) and reads their cells; the text outside
the tables is read line by line. A page's tables and text lines are then interleaved top to
bottom, so a table's title and unit line come right before its rows, as printed.

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
from pathlib import Path
from typing import Any, Iterator

from budgetsearch.indexer.models import BudgetSearchError, Line, SourceDocument

# A file whose last bytes hold no end marker was cut short (an interrupted download).
_EOF_WINDOW = 4096
_CJK_EDGE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
# A blank wider than this many characters separates two fields printed on one line.
_FIELD_GAP = 3
_TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def load_pdf(path: Path, data: bytes) -> SourceDocument:
    """Read a PDF's text and tables; raise BudgetSearchError naming the file on bad input."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise BudgetSearchError(f"{path}: truncated or damaged PDF (no end-of-file marker)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise BudgetSearchError(f"{path}: {_describe(exc)}") from None
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise BudgetSearchError(f"{path}: unreadable PDF ({type(exc).__name__}: {exc})") from None
    with pdf:
        try:
            page_count = len(pdf.pages)
            lines, chars, failed = _read_pages(pdf)
        except PdfminerException as exc:
            raise BudgetSearchError(f"{path}: {_describe(exc)}") from None
        except Exception as exc:
            raise BudgetSearchError(
                f"{path}: unreadable PDF ({type(exc).__name__}: {exc})") from None
    if page_count == 0:
        raise BudgetSearchError(f"{path}: damaged PDF (no pages found)")
    if len(failed) == page_count:
        raise BudgetSearchError(f"{path}: no page could be read ({failed[0][1]})")
    if chars == 0:
        raise BudgetSearchError(f"{path}: PDF has no text layer (scanned images?); OCR it first")
    notes = [f"page {page_no} could not be read ({cause}); its text is missing"
             for page_no, cause in failed]
    return SourceDocument(path=str(path), format="pdf", encoding=None, lines=lines,
                          page_count=page_count, notes=notes)


def _describe(exc: Exception) -> str:
    """Name the cause pdfminer found, in the words a user acts on."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(inner).__name__
    if name == "PDFPasswordIncorrect":
        return "encrypted PDF (needs a password to open)"
    if name in {"PSEOF", "PDFSyntaxError", "PSSyntaxError"}:
        return f"damaged or truncated PDF ({name}: {inner})"
    if name == "PDFEncryptionError" or "crypt" in name.lower():
        return f"encrypted PDF that cannot be decrypted ({name}: {inner})"
    return f"unreadable PDF ({name}: {inner})"


def _read_pages(pdf: Any) -> tuple[list[Line], int, list[tuple[int, str]]]:
    """Lines of every readable page, the count of text characters, and the pages that
    could not be read with the cause: one damaged page does not cost the document."""
    lines: list[Line] = []
    chars = 0
    failed: list[tuple[int, str]] = []
    for page_no, page in enumerate(pdf.pages, start=1):
        try:
            page_text = page_lines(page)
            chars += len(page.chars)
        except Exception as exc:  # pdfminer raises many unrelated types on a damaged page
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
            failed.append((page_no, f"{type(inner).__name__}: {inner}"))
            continue
        finally:
            # pdfplumber keeps every parsed object of a page; drop them once read so a
            # long document does not hold all its pages in memory at once.
            page.close()
        for text in page_text:
            lines.append(Line(no=len(lines) + 1, text=text, page=page_no))
    return lines, chars, failed


def page_lines(page: Any) -> list[str]:
    """One page as printed lines: text lines and table rows in top-to-bottom order."""
    page = page.filter(_visible)
    settings = dict(_TABLE_SETTINGS, explicit_horizontal_lines=_closing_rules(page))
    tables = [t for t in page.find_tables(settings) if _is_real_table(t)]
    bboxes = [t.bbox for t in tables]
    items: list[tuple[float, int, list[str]]] = []
    for i, table in enumerate(tables):
        items.append((table.bbox[1], i, list(table_rows(table))))
    outside = page.filter(lambda obj: not _inside_any(obj, bboxes)) if bboxes else page
    order = len(tables)
    for line in outside.extract_text_lines(return_chars=True):
        for text in split_at_gaps(line):
            items.append((line["top"], order, [text]))
            order += 1
    items.sort(key=lambda item: (item[0], item[1]))
    return [text for _, _, texts in items for text in texts]


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


def table_rows(table: Any) -> Iterator[str]:
    """Rows of one table as tab-joined lines; spanned positions become empty cells."""
    for row in table.extract():
        cells = [join_cell_lines(cell) if cell else "" for cell in row]
        if any(cells):
            yield "\t".join(cells)


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
    rows = table.extract()
    return bool(rows) and max(len(row) for row in rows) >= 2


def _inside_any(obj: dict[str, Any], bboxes: list[tuple[float, float, float, float]]) -> bool:
    if obj.get("object_type") != "char":
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in bboxes)
