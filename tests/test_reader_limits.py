"""Readers refuse what is not a file, read what a file is rather than what it is named, and
stop at a named budget instead of running out of memory."""
from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from budgetsearch.indexer import pdf as pdf_reader
from budgetsearch.indexer.load import load
from budgetsearch.indexer.models import BudgetSearchError

from pdf_fixtures import text_bomb_pdf  # tests/ is on the path under pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SMALL_PDF = CORPUS / "jiangsu-shengwei-bangongting-2019-budget-tables.pdf"
HTML_PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>部门预算</title></head>"
             "<body><p>2026年部门预算公开</p><table><tr><td>合计</td><td>12.50</td></tr></table>"
             "</body></html>")


def test_character_device_is_refused_before_reading():
    with pytest.raises(BudgetSearchError) as caught:
        load("/dev/zero")
    assert str(caught.value) == ("/dev/zero: not a regular file (a character device); "
                                 "only files are read")


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "budget.pdf"
    os.mkfifo(fifo)
    outcome: list[str] = []

    def read() -> None:
        try:
            load(fifo)
        except BudgetSearchError as exc:
            outcome.append(str(exc))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock the reader so the test process can end
        with open(fifo, "wb"):
            pass
    assert outcome == [f"{fifo}: not a regular file (a FIFO (named pipe)); only files are read"]


def test_html_named_pdf_is_read_as_html(tmp_path):
    path = tmp_path / "预算.pdf"
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = load(path)
    assert doc.format == "html"
    assert [line.text for line in doc.lines] == ["2026年部门预算公开", "合计\t12.50"]


def test_pdf_named_html_is_read_as_pdf(tmp_path):
    path = tmp_path / "预算.html"
    shutil.copy(SMALL_PDF, path)
    doc = load(path)
    assert doc.format == "pdf" and doc.page_count == 12
    assert doc.lines[0].text == "收支预算总表"  # as printed on page 1


def test_pdf_saved_through_a_text_conversion_is_named(tmp_path):
    """A crawler that decodes a PDF as UTF-8 text replaces every invalid byte by U+FFFD:
    the streams are gone, and the message says why rather than 'no text layer'."""
    data = SMALL_PDF.read_bytes().decode("utf-8", errors="replace").encode("utf-8")
    path = tmp_path / "mangled.html"
    path.write_bytes(data)
    with pytest.raises(BudgetSearchError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: damaged PDF (") and "text conversion" in message


def test_page_drawing_too_many_characters_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 50)
    with pytest.raises(BudgetSearchError) as caught:
        load(SMALL_PDF)
    message = str(caught.value)
    assert message.startswith(f"{SMALL_PDF}: page 1 draws ")
    assert message.endswith("characters on one page (at most 50 are read); not read")


def test_page_drawing_too_many_objects_is_named(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_OBJECTS", 10)
    with pytest.raises(BudgetSearchError) as caught:
        load(SMALL_PDF)
    assert str(caught.value) == (f"{SMALL_PDF}: page 1 draws more than 10 drawing objects on "
                                 f"one page; not read")


def test_document_character_budget_is_named(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_DOCUMENT_CHARS", 1000)
    with pytest.raises(BudgetSearchError) as caught:
        load(SMALL_PDF)
    assert str(caught.value) == (f"{SMALL_PDF}: more than 1,000 characters of text (a "
                                 f"generated or pathological PDF); not read")


def test_budgets_leave_real_documents_alone():
    doc = load(SMALL_PDF)
    assert doc.page_count == 12 and not doc.notes
    assert sum(len(line.text) for line in doc.lines) < pdf_reader.MAX_DOCUMENT_CHARS


def test_pdf_with_a_page_pdfium_cannot_draw_falls_back_to_pdfminer(tmp_path):
    """Both readers agree on a sound page: the fallback path gives the same lines."""
    writer = PdfWriter()
    writer.add_page(PdfReader(SMALL_PDF).pages[0])
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "one.pdf"
    path.write_bytes(out.getvalue())
    fast = [line.text for line in load(path).lines]
    reader = pdf_reader._Reader(path, out.getvalue(), None)
    assert reader._from_pdfminer(1, None) == fast and not reader.failed


def test_pdf_drawing_millions_of_characters_is_refused_before_drawing(tmp_path):
    """2 KB of forms drawing forms ten times, six levels deep: a million characters.
    Refused from the streams' sizes before pdfium builds a single object."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(text_bomb_pdf(6, 10))
    assert path.stat().st_size < 4096
    with pytest.raises(BudgetSearchError) as caught:
        load(path)
    assert str(caught.value) == (f"{path}: page 1: its content expands to more than 32 MB "
                                 f"(forms drawn within forms); not read")


def test_small_nesting_of_forms_is_read(tmp_path):
    path = tmp_path / "forms.pdf"
    path.write_bytes(text_bomb_pdf(2, 3))  # nine characters through two levels of forms
    doc = load(path)
    assert [line.text.replace(" ", "") for line in doc.lines] == ["AAA"] * 3


def test_html_with_too_many_tags_is_refused_before_parsing(tmp_path, monkeypatch):
    from budgetsearch.indexer import html

    monkeypatch.setattr(html, "MAX_HTML_TAGS", 100)
    path = tmp_path / "many.html"
    path.write_text("<html><body>" + "<p>行</p>" * 60 + "</body></html>", encoding="utf-8")
    with pytest.raises(BudgetSearchError) as caught:
        load(path)
    assert str(caught.value) == (f"{path}: 124 tags, more than the 100 an HTML page is read "
                                 f"with; not read")


def test_html_nested_beyond_the_stack_is_named(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 20000 + "深" + "</div>" * 20000 + "</body></html>",
                    encoding="utf-8")
    try:
        doc = load(path)
    except BudgetSearchError as exc:
        assert str(exc) == f"{path}: HTML nested too deeply to read"
    else:  # lxml may cap the depth itself; then the text must be there
        assert [line.text for line in doc.lines] == ["深"]


def test_ocr_time_budget_names_the_pages_left(monkeypatch, tmp_path):
    from budgetsearch.indexer import ocr
    from budgetsearch.indexer.layout import Fragment

    calls: list[int] = []

    def engine(image):
        calls.append(1)
        return [Fragment("第一页", 10, 10, 60, 30)]

    monkeypatch.setattr(ocr, "get_engine", lambda: engine)
    monkeypatch.setattr(ocr, "OCR_TIME_BUDGET_S", 0.0)
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    result = ocr.ocr_pdf_pages(tmp_path / "scan.pdf", out.getvalue(), [1, 2, 3])
    assert len(calls) == 1 and result.lines == {1: ["第一页"]}
    assert result.notes[-1] == ("pages 2-3 are scanned images and were not read: OCR stopped "
                                "after 0 s")
