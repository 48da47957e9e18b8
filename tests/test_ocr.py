"""Scanned pages (images, no text layer) are read by OCR: lines keep their page, tables come
back as tab-separated rows, and the notes name every page that was OCR'd."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from budgetsearch.indexer import ocr
from budgetsearch.indexer.layout import Fragment, rows_from_fragments
from budgetsearch.indexer.load import load

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SMALL_PDF = CORPUS / "jiangsu-shengwei-bangongting-2019-budget-tables.pdf"
# What the generated scan prints: a title, a unit line and a two-column table.
PRINTED = [("收支预算总表", 200, 150), ("单位：万元", 1000, 260),
           ("项目", 200, 380), ("金额", 900, 380),
           ("一般公共服务支出", 200, 480), ("1,234.56", 900, 480),
           ("教育支出", 200, 580), ("78.90", 900, 580)]


def _font_path() -> str:
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", "WenQuanYi Zen Hei:lang=zh"],
                               capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        found = ""
    if not found.endswith((".ttc", ".ttf", ".otf")):
        pytest.skip("no CJK font to draw the scanned page with (apt-get install fonts-wqy-zenhei)")
    return found


def scanned_pdf() -> bytes:
    """A one-page PDF holding only an image of printed text, as a scanner makes it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(_font_path(), 48)
    image = Image.new("RGB", (1654, 2339), "white")  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    for text, x, y in PRINTED:
        draw.text((x, y), text, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200)
    return out.getvalue()


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    if ocr.get_engine() is None:
        pytest.fail("the OCR engine (rapidocr-onnxruntime) is a dependency and must be installed")
    path = tmp_path_factory.mktemp("ocr") / "scan.pdf"
    path.write_bytes(scanned_pdf())
    return path


def test_scanned_page_is_read_as_rows_with_its_page(scan):
    doc = load(scan)
    assert doc.page_count == 1
    assert [line.text for line in doc.lines] == [
        "收支预算总表", "单位：万元", "项目\t金额", "一般公共服务支出\t1,234.56", "教育支出\t78.90"]
    assert {line.page for line in doc.lines} == {1}
    assert doc.notes == ["page 1 was read by OCR (a scanned image): its text may hold "
                         "recognition errors"]


def test_only_pages_without_text_are_ocrd(scan):
    writer = PdfWriter()
    writer.add_page(PdfReader(SMALL_PDF).pages[0])
    writer.add_page(PdfReader(scan).pages[0])
    out = io.BytesIO()
    writer.write(out)
    path = scan.with_name("mixed.pdf")
    path.write_bytes(out.getvalue())
    doc = load(path)
    assert doc.lines[0].text == "收支预算总表" and doc.lines[0].page == 1
    assert [line.text for line in doc.lines if line.page == 2][-1] == "教育支出\t78.90"
    assert [n for n in doc.notes if "OCR" in n] == [
        "page 2 was read by OCR (a scanned image): its text may hold recognition errors"]


def test_pages_over_the_budget_are_named_not_read(scan, monkeypatch):
    writer = PdfWriter()
    for _ in range(3):
        writer.add_page(PdfReader(scan).pages[0])
    out = io.BytesIO()
    writer.write(out)
    path = scan.with_name("three.pdf")
    path.write_bytes(out.getvalue())
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 1)
    doc = load(path)
    assert {line.page for line in doc.lines} == {1}
    assert doc.notes[-1] == ("pages 2-3 are scanned images and were not read: OCR reads at "
                             "most 1 pages of a document")


def test_without_an_engine_scanned_pages_are_named(scan, monkeypatch):
    writer = PdfWriter()
    writer.add_page(PdfReader(SMALL_PDF).pages[0])
    writer.add_page(PdfReader(scan).pages[0])
    out = io.BytesIO()
    writer.write(out)
    path = scan.with_name("mixed-no-engine.pdf")
    path.write_bytes(out.getvalue())
    monkeypatch.setattr(ocr, "get_engine", lambda: None)
    monkeypatch.setattr(ocr, "_missing", "libGL.so.1: cannot open shared object file")
    doc = load(path)
    assert {line.page for line in doc.lines} == {1}
    assert doc.notes == ["page 2 is a scanned image and was not read: the OCR engine cannot be "
                         "loaded (libGL.so.1: cannot open shared object file; pip install "
                         "rapidocr-onnxruntime, apt-get install libgl1 libglib2.0-0)"]


def test_rows_from_fragments_orders_by_position():
    frags = [Fragment("金额", 300, 10, 340, 30), Fragment("项目", 10, 12, 50, 32),
             Fragment("合计", 10, 50, 50, 70), Fragment("12.50", 300, 49, 350, 69),
             Fragment("一般公共", 10, 90, 90, 110), Fragment("服务", 92, 90, 132, 110)]
    assert rows_from_fragments(frags) == ["项目\t金额", "合计\t12.50", "一般公共服务"]
