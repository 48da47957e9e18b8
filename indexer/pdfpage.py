"""One PDF page as pdfplumber's table finder sees it, read with pypdfium2.

pdfplumber reads a page through pdfminer, which interprets every content stream in Python:
about 0.15 s for a page of a budget table, 25 s or more for a 170-page disclosure. pdfium
reads the same page in C in a few milliseconds. This module turns what pdfium reads into
the objects pdfplumber's table finder and text-line grouping work on (characters with
their boxes, ruling edges, the page box), in pdfplumber's coordinates: points from the top
left of the page as displayed, after its /Rotate. The table finder, the cell reading and
the line grouping stay pdfplumber's own, so tables come out as they did.
"""
from __future__ import annotations

import ctypes
import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Characters whose angle on the displayed page is within this of 0 are upright.
_UPRIGHT_TOLERANCE_RAD = 0.05
# Form XObjects nest; deeper than this is a pathological file, not a layout.
_MAX_FORM_DEPTH = 8
# Some fonts map ideographs to the look-alike Kangxi radicals (U+2F00-U+2FD5: ⼒ for 力,
# ⽣ for 生); pdfium reports them as mapped, pdfminer reads the ideograph. Searches type the
# ideograph, so the radicals are read as the ideographs they stand for.
_RADICALS = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class PageTooLarge(Exception):
    """A page draws more objects than a reader's budget allows."""


@dataclass
class PdfPage:
    """What the table finder and the line grouping need of a page."""

    width: float
    height: float
    chars: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    images: int = 0  # image objects drawn: a page with images and no text is a scan
    objects: int = 0  # every object pdfium found, text and forms included

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)


def read_page(page: pdfium.PdfPage, max_objects: int, max_chars: int) -> PdfPage:
    """Characters, visible ruling edges and image count of one page; PageTooLarge when
    the page draws more objects or characters than the budget (checked before they are
    turned into Python objects, which take about a kilobyte each)."""
    left, bottom, right, top = page.get_mediabox()
    rotation = page.get_rotation() % 360
    to_top = _Displayed(left, bottom, right, top, rotation)
    width, height = (top - bottom, right - left) if rotation in (90, 270) else (
        right - left, top - bottom)
    out = PdfPage(width=width, height=height)
    _read_objects(out, to_top, _top_objects(page), _IDENTITY, 0, max_objects)
    _read_chars(out, page, to_top, rotation, max_chars)
    return out


class _Displayed:
    """PDF user space -> (x, top) on the displayed page, the way pdfminer rotates."""

    def __init__(self, x0: float, y0: float, x1: float, y1: float, rotation: int) -> None:
        self.box = (x0, y0, x1, y1)
        self.rotation = rotation

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        if self.rotation == 90:
            return y - y0, x - x0
        if self.rotation == 180:
            return x1 - x, y - y0
        if self.rotation == 270:
            return y1 - y, x1 - x
        return x - x0, y1 - y


def _top_objects(page: pdfium.PdfPage) -> list[Any]:
    count = pdfium_c.FPDFPage_CountObjects(page.raw)
    return [pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(count)]


def _form_objects(form: Any) -> list[Any]:
    count = pdfium_c.FPDFFormObj_CountObjects(form)
    return [pdfium_c.FPDFFormObj_GetObject(form, i) for i in range(count)]


def _matrix(obj: Any) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner` first, then `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _read_objects(out: PdfPage, to_top: _Displayed, objects: list[Any], parent: Matrix,
                  depth: int, max_objects: int) -> None:
    for obj in objects:
        out.objects += 1
        if out.objects > max_objects:
            raise PageTooLarge(f"more than {max_objects:,} drawing objects on one page")
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            out.images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
            # A form's own matrix maps its objects' space into the space of whatever
            # contains it, so the objects inside get inner (their own), then this one.
            _read_objects(out, to_top, _form_objects(obj), _compose(_matrix(obj), parent),
                          depth + 1, max_objects)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            out.edges.extend(_path_edges(obj, to_top, parent))


def _path_edges(obj: Any, to_top: _Displayed, parent: Matrix) -> list[dict[str, Any]]:
    """Edges of a painted path: each axis-aligned rectangle as its four sides (a thin
    filled rectangle is how most exports draw a rule), each straight segment as itself.
    Paths painted neither by fill nor by stroke (clipping paths) draw nothing."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not (fill.value or stroke.value):
        return []
    stroked = bool(stroke.value)
    if not stroked and _is_white(_color(obj, pdfium_c.FPDFPageObj_GetFillColor)):
        # White unstroked boxes are invisible: Word and Excel paint one behind every cell
        # (and the page), and their sides would split each column and swallow the title.
        return []
    matrix = _compose(_matrix(obj), parent)
    edges: list[dict[str, Any]] = []
    for points in _subpaths(obj, matrix, to_top):
        rect = _as_rectangle(points)
        if rect is not None:
            edges.extend(_rect_edges(*rect))
            continue
        for (xa, ya), (xb, yb) in zip(points, points[1:]):
            edge = _segment_edge(xa, ya, xb, yb)
            if edge is not None:
                edges.append(edge)
    return edges


def _subpaths(obj: Any, matrix: Matrix, to_top: _Displayed) -> list[list[tuple[float, float]]]:
    """Each subpath's points in displayed coordinates; a closed subpath repeats its start.
    Bezier control points are kept as corners: curves are not table rules, and the
    edges they make are neither horizontal nor vertical, so the table finder drops them."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    paths: list[list[tuple[float, float]]] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = to_top(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO or not paths:
            paths.append([point])
        else:
            paths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and paths[-1][0] != point:
            paths[-1].append(paths[-1][0])
    return paths


def _as_rectangle(points: list[tuple[float, float]]) -> tuple[float, float, float, float] | None:
    """(x0, top, x1, bottom) when the points trace an axis-aligned rectangle."""
    if len(points) not in (4, 5) or (len(points) == 5 and points[0] != points[-1]):
        return None
    corners = points[:4]
    for (xa, ya), (xb, yb) in zip(corners, corners[1:] + corners[:1]):
        if abs(xa - xb) > 1e-3 and abs(ya - yb) > 1e-3:
            return None
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _rect_edges(x0: float, top: float, x1: float, bottom: float) -> list[dict[str, Any]]:
    return [_edge(x0, top, x1, top, "h"), _edge(x0, bottom, x1, bottom, "h"),
            _edge(x0, top, x0, bottom, "v"), _edge(x1, top, x1, bottom, "v")]


def _segment_edge(xa: float, ya: float, xb: float, yb: float) -> dict[str, Any] | None:
    if abs(ya - yb) < 1e-3:
        return _edge(min(xa, xb), ya, max(xa, xb), ya, "h")
    if abs(xa - xb) < 1e-3:
        return _edge(xa, min(ya, yb), xa, max(ya, yb), "v")
    return None


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, Any]:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": top, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation}


def _color(obj: Any, getter: Any) -> tuple[float, float, float] | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


def _is_white(color: tuple[float, float, float] | None) -> bool:
    return color is not None and min(color) >= 0.99


def _read_chars(out: PdfPage, page: pdfium.PdfPage, to_top: _Displayed, rotation: int,
                max_chars: int) -> None:
    """Every printed character with its box; pdfium's generated spaces and line breaks
    are not printed characters and are left out, as pdfminer does."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        rect = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        turn = math.radians(rotation)
        count = pdfium_c.FPDFText_CountChars(raw)
        if count > max_chars:
            raise PageTooLarge(f"{count:,} characters on one page (at most {max_chars:,} are read)")
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        get_matrix, get_size = pdfium_c.FPDFText_GetMatrix, pdfium_c.FPDFText_GetFontSize
        full_turn = 2 * math.pi
        codes = _page_text(raw, count)
        # Unrotated pages (nearly all): the displayed box is the PDF box flipped, inline.
        flip = None if rotation else (to_top.box[0], to_top.box[3])
        for i in range(count):
            code = codes[i]
            if code in (0, 0xFFFE, 0xFFFF):
                continue
            text = _RADICALS.get(code) or chr(code)
            # pdfium inserts spaces and line breaks of its own; only those are generated.
            if text.isspace() and (text in "\r\n" or pdfium_c.FPDFText_IsGenerated(raw, i) == 1):
                continue
            if not get_box(raw, i, rect):
                continue
            if flip is not None:
                x0, x1 = rect.left - flip[0], rect.right - flip[0]
                top, bottom = flip[1] - rect.top, flip[1] - rect.bottom
                if x0 > x1:
                    x0, x1 = x1, x0
                if top > bottom:
                    top, bottom = bottom, top
            else:
                xa, ta = to_top(rect.left, rect.top)
                xb, tb = to_top(rect.right, rect.bottom)
                x0, x1, top, bottom = min(xa, xb), max(xa, xb), min(ta, tb), max(ta, tb)
            size = 0.0
            angle = turn
            if get_matrix(raw, i, matrix):
                # The text matrix gives both the size (font size scaled) and the angle
                # (clockwise, as pdfium counts it), in one call.
                size = get_size(raw, i) * math.hypot(matrix.c, matrix.d)
                angle -= math.atan2(matrix.b, matrix.a)
            angle %= full_turn
            upright = min(angle, full_turn - angle) < _UPRIGHT_TOLERANCE_RAD
            size = size or ((bottom - top) if upright else (x1 - x0))
            if upright:
                # pdfminer's box, which the table finder's tolerances were tuned on: one
                # font size tall from the descent, whatever the font's own ascent (the
                # loose box of a Latin font is shorter than that of a CJK font beside it,
                # and the two would not share a line).
                top = bottom - size
            out.chars.append({
                "object_type": "char", "text": text, "x0": x0, "x1": x1, "top": top,
                "bottom": bottom, "doctop": top, "width": x1 - x0, "height": bottom - top,
                "size": size, "upright": upright, "fontname": "",
            })
    finally:
        textpage.close()



# Decoded content a page may expand to, forms counted as often as they are drawn. A dense
# table page is about 100 KB; a page over this draws millions of objects (a 2 KB file can:
# a form drawing a form ten times, six levels deep), and pdfium would build them all in
# memory before a single one could be counted.
MAX_PAGE_CONTENT_BYTES = 32 * 2**20
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")
_MAX_GUARD_DEPTH = 32


def check_content_sizes(data: bytes, max_bytes: int = MAX_PAGE_CONTENT_BYTES) -> None:
    """Raise PageTooLarge (message starting with the page number) when a page's content,
    forms expanded, exceeds `max_bytes`. Read with pdfminer's parser, which decodes the
    streams without drawing anything; a file it cannot parse is left to pdfium."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        pages = list(PDFPage.create_pages(document))
    except Exception:  # damaged or encrypted: pdfium names the cause
        return
    sizes: dict[int, int] = {}
    for number, page in enumerate(pages, start=1):
        try:
            total = 0
            for stream in page.contents or []:
                total += _expanded(stream, page.resources, sizes, max_bytes, 0)
        except _TooMuch:
            raise PageTooLarge(f"{number}: its content expands to more than "
                               f"{max_bytes // 2**20} MB (forms drawn within forms)") from None
        except Exception:
            continue  # a damaged stream: pdfium or pdfminer will name it when reading


def _page_text(raw: Any, count: int) -> list[int]:
    """Every character's code point in one call; per character where the text cannot be
    aligned with the character indices (characters outside the BMP take two UTF-16 units)."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(
        ctypes.c_ushort)))
    text = buffer.raw[:max(written - 1, 0) * 2].decode("utf-16-le", "surrogatepass")
    if len(text) == count and not any("\ud800" <= ch <= "\udfff" for ch in text):
        return [ord(ch) for ch in text]
    return [pdfium_c.FPDFText_GetUnicode(raw, i) for i in range(count)]


class _TooMuch(Exception):
    pass


def _expanded(stream: Any, resources: Any, sizes: dict[int, int], limit: int, depth: int) -> int:
    from pdfminer.pdftypes import PDFObjRef, resolve1

    key = stream.objid if isinstance(stream, PDFObjRef) else None
    if key is not None and key in sizes:
        return sizes[key]
    if depth > _MAX_GUARD_DEPTH:
        raise _TooMuch
    stream = resolve1(stream)
    data = stream.get_data()
    total = len(data)
    xobjects = resolve1((resolve1(resources) or {}).get("XObject")) or {}
    for name, count in Counter(_DO.findall(data)).items():
        ref = xobjects.get(name.decode("latin-1"))
        target = resolve1(ref)
        if target is None or getattr(target, "attrs", {}).get("Subtype") is None or \
                resolve1(target.attrs["Subtype"]).name != "Form":
            continue
        own = target.attrs.get("Resources") or resources
        total += count * _expanded(ref, own, sizes, limit, depth + 1)
        if total > limit:
            raise _TooMuch
    if key is not None:
        sizes[key] = total
    return total
