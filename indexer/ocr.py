"""OCR of scanned PDF pages (pages with images and no text layer), offline.

The engine is RapidOCR (PyPI rapidocr-onnxruntime: PaddleOCR's PP-OCRv4 Chinese models,
shipped inside the wheel, run by onnxruntime). Against Debian's tesseract-ocr with
chi_sim on scanned pages of the cities corpus it misread far fewer characters (numbers
and Chinese alike) at about twice the time per page: `python bench/bench_ocr.py`.

Each page is rendered by pdfium, recognised as text boxes, and the boxes are put back into
rows (indexer/layout.py), so a scanned table comes out as tab-separated rows like a PDF
table. Lines keep their page; the document's notes say, page by page, that its text was
read by OCR and may hold recognition errors.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from budgetsearch.indexer.layout import Fragment, rows_from_fragments
from budgetsearch.indexer.models import BudgetSearchError

# Rendering: 200 dpi keeps 5-point print legible; the detector scales pages to about 2000
# pixels anyway. A page larger than MAX_RENDER_PIXELS (a poster, a map) is rendered smaller.
OCR_DPI = 200
MAX_RENDER_PIXELS = 4000 * 4000
# Boxes recognised with less confidence than this are noise (stamps, signatures, specks).
MIN_CONFIDENCE = 0.5
# A budget per document: more scanned pages than this are a book, not a disclosure, and
# would take an hour to read. The pages beyond it are named in the notes, not read.
MAX_OCR_PAGES = 200
# A time budget per document: pages not reached by then are named, not read, so one long
# scan cannot hold an index run (the pipeline gives a whole file 300 s).
OCR_TIME_BUDGET_S = 180.0
# Show a progress bar from this many pages on (a page takes a few seconds).
PROGRESS_FROM_PAGES = 3
# onnxruntime threads per process. Index runs read files in one worker per core already;
# more threads per worker spin against each other (measured: one thread used 16% less CPU
# for the same page, and 100 MB less memory).
OCR_THREADS = 1

Engine = Callable[[Any], list[Fragment]]
_engine: Engine | None = None
_missing = "not installed"  # why the engine could not be loaded, for the notes


@dataclass
class OcrResult:
    lines: dict[int, list[str]] = field(default_factory=dict)  # page number -> lines
    notes: list[str] = field(default_factory=list)


def ocr_pdf_pages(path: Path, data: bytes, pages: list[int]) -> OcrResult:
    """Read the given 1-based pages of a PDF by OCR; a page that fails is named in notes."""
    import pypdfium2 as pdfium

    result = OcrResult()
    engine = get_engine()
    if engine is None:
        result.notes = [f"page {n} is a scanned image and was not read: the OCR engine "
                        f"cannot be loaded ({_missing}; pip install rapidocr-onnxruntime, "
                        f"apt-get install libgl1 libglib2.0-0)" for n in pages]
        return result
    todo, skipped = pages[:MAX_OCR_PAGES], pages[MAX_OCR_PAGES:]
    pdf = pdfium.PdfDocument(data)
    started = time.monotonic()
    try:
        for index, page_no in enumerate(_progress(todo, path)):
            if index and time.monotonic() - started > OCR_TIME_BUDGET_S:
                late = todo[index:]
                result.notes.append(
                    f"pages {_span(late)} are scanned images and were not read: OCR stopped "
                    f"after {OCR_TIME_BUDGET_S:g} s")
                break
            try:
                image = render(pdf[page_no - 1])
                result.lines[page_no] = rows_from_fragments(engine(image))
            except BudgetSearchError:
                raise
            except Exception as exc:  # the engine's errors are many and undocumented
                result.notes.append(f"page {page_no} could not be read by OCR "
                                    f"({type(exc).__name__}: {exc}); its text is missing")
                continue
            result.notes.append(f"page {page_no} was read by OCR (a scanned image): its text "
                                f"may hold recognition errors")
    finally:
        pdf.close()
    if skipped:
        result.notes.append(
            f"pages {_span(skipped)} are scanned images and were not read: OCR reads "
            f"at most {MAX_OCR_PAGES} pages of a document")
    return result


def _span(pages: list[int]) -> str:
    return f"{pages[0]}-{pages[-1]}" if len(pages) > 1 else str(pages[0])


def render(page: Any, dpi: int = OCR_DPI) -> Any:
    """The page as an RGB numpy array at `dpi`, smaller if it would exceed the budget."""
    width, height = page.get_size()
    scale = dpi / 72
    pixels = width * height * scale * scale
    if pixels > MAX_RENDER_PIXELS:
        scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
    return page.render(scale=scale).to_numpy()[:, :, :3]


def get_engine() -> Engine | None:
    """The OCR engine, loaded once per process; None when it is not installed."""
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            # Not installed, or installed without the system libraries opencv links to.
            global _missing
            _missing = str(exc)
            return None
        _engine = _RapidEngine(RapidOCR(intra_op_num_threads=OCR_THREADS,
                                        inter_op_num_threads=OCR_THREADS))
    return _engine


class _RapidEngine:
    def __init__(self, reader: Any) -> None:
        self.reader = reader

    def __call__(self, image: Any) -> list[Fragment]:
        found, _ = self.reader(image)
        fragments = []
        for box, text, score in found or []:
            if float(score) < MIN_CONFIDENCE or not text.strip():
                continue
            xs = [p[0] for p in box]
            ys = [p[1] for p in box]
            fragments.append(Fragment(text, min(xs), min(ys), max(xs), max(ys)))
        return fragments


def _progress(pages: list[int], path: Path) -> Any:
    """A progress bar on long runs, only where someone watches a terminal."""
    if len(pages) < PROGRESS_FROM_PAGES or not sys.stderr.isatty():
        return pages
    from tqdm import tqdm

    return tqdm(pages, desc=f"OCR {path.name}", unit="page", leave=False)
