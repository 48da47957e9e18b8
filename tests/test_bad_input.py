"""The bad-input corpus: each file fails alone with one line naming it and the cause, or is
read as a plain document; a batch always goes on."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.indexer.pipeline import parse_file
from budgetsearch.web.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SMALL_PDF = CORPUS / "jiangsu-shengwei-bangongting-2019-budget-tables.pdf"
SEED = CORPUS / "zhoukou-xzfwzx-2024-budget.txt"
NOT_A_BUDGET = """关于做好2024年春节期间安全生产工作的通知

各县（市、区）人民政府，市政府各部门：
春节将至，为切实做好节日期间安全生产工作，现将有关事项通知如下。
一、提高思想认识，压实安全责任。
二、深入排查隐患，强化重点管控。
"""


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_page(PdfReader(SMALL_PDF).pages[2])
    writer.encrypt(user_password=user_password, owner_password="owner-secret",
                   algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf() -> bytes:
    """A PDF whose page has no text layer, as a scan without OCR is."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD = {
    # name: (bytes, the cause the one-line message must give)
    "empty.txt": (b"", "empty file"),
    "blank.md": (b" \n\t\r\n", "empty file"),
    "garbage.pdf": (bytes(range(256)) * 40, "not a PDF (no %PDF header)"),
    "garbage-with-header.pdf": (b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
                                "damaged or truncated PDF"),
    "truncated.pdf": (SMALL_PDF.read_bytes()[:60000], "truncated or damaged PDF"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "binary data"),
}


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    root = tmp_path_factory.mktemp("bad")
    files = {}
    for name, (data, cause) in BAD.items():
        (root / name).write_bytes(data)
        files[name] = (root / name, cause)
    (root / "encrypted.pdf").write_bytes(encrypted_pdf("user-secret"))
    files["encrypted.pdf"] = (root / "encrypted.pdf", "encrypted PDF (needs a password to open)")
    (root / "scanned.pdf").write_bytes(blank_pdf())
    files["scanned.pdf"] = (root / "scanned.pdf", "PDF has no text layer")
    files["missing.txt"] = (root / "missing.txt", "no such file")
    (root / "folder.txt").mkdir()
    files["folder.txt"] = (root / "folder.txt", "is a directory")
    return files


@pytest.mark.parametrize("name", [*BAD, "encrypted.pdf", "scanned.pdf", "missing.txt",
                                  "folder.txt"])
def test_bad_file_gets_one_line_naming_file_and_cause(bad_files, name):
    path, cause = bad_files[name]
    with pytest.raises(BudgetSearchError) as err:
        parse_file(path)
    message = str(err.value)
    assert message.startswith(f"{path}: {cause}")
    assert "\n" not in message


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path):
    path = tmp_path / "owner-only.pdf"
    path.write_bytes(encrypted_pdf(""))
    lines = [line.text for line in parse_file(path).source.lines]
    assert lines[:4] == ["支出预算总表", "部门：中共江苏省委办公厅", "单位：万元",
                         "合计\t基本支出\t项目支出\t单位预留机动经费\t结转下年资金"]


def pdf_with_damaged_page() -> bytes:
    """Three pages of a real PDF; the second's content stream uses a filter that does not
    exist, so no reader can decode that page."""
    writer = PdfWriter()
    for page in PdfReader(SMALL_PDF).pages[:3]:
        writer.add_page(page)
    broken = StreamObject()
    broken.set_data(b"\x00damaged\xff" * 50)
    broken[NameObject("/Filter")] = NameObject("/NoSuchDecode")
    writer.pages[1][NameObject("/Contents")] = writer._add_object(broken)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_damaged_page_is_skipped_and_named_the_rest_is_read(tmp_path):
    path = tmp_path / "damaged-page.pdf"
    path.write_bytes(pdf_with_damaged_page())
    doc = parse_file(path)
    note = ("page 2 could not be read (PDFNotImplementedError: Unsupported filter: "
            "/'NoSuchDecode'); its text is missing")
    assert doc.source.notes == [note] and note in doc.facts.notes
    assert doc.source.page_count == 3
    assert sorted({line.page for line in doc.source.lines}) == [1, 3]
    assert doc.source.lines[0].text == "收支预算总表"  # page 1 as printed


def test_file_that_keeps_the_reader_busy_is_given_up(tmp_path, stuck_file):
    """A pathological file (simulated: a loader that never returns) is abandoned after
    the time limit with an error naming it; the next file is read normally."""
    slow = tmp_path / "slow.txt"
    slow.write_text("x", encoding="utf-8")
    stuck_file("slow.txt", 0.3)
    with pytest.raises(BudgetSearchError) as caught:
        parse_file(slow)
    assert str(caught.value) == f"{slow}: still not read after 0.3 s (a pathological file?); skipped"
    assert parse_file(SEED).facts.department == "周口市行政服务中心"


def test_truncated_pdf_keeping_its_end_marker_fails_cleanly(tmp_path):
    # Cut out the middle but keep the tail: the end marker is there, the objects are not.
    data = SMALL_PDF.read_bytes()
    path = tmp_path / "holed.pdf"
    path.write_bytes(data[:20000] + data[-3000:])
    try:
        doc = parse_file(path)
    except BudgetSearchError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
    else:  # pdfminer may rebuild what is left; then it must be a readable document
        assert doc.source.page_count and doc.source.lines


def test_malformed_html_is_read_as_a_document(tmp_path):
    path = tmp_path / "unclosed.html"
    path.write_bytes("<html><body><p>收入总计 1056.07 万元<table><tr><td>项目<td>金额"
                     "<tr><td>热线<td>3.56<p>尾".encode("gb18030"))
    doc = parse_file(path)
    # lxml recovers as browsers do: the unclosed last cell takes the paragraph after it.
    assert [line.text for line in doc.source.lines] == [
        "收入总计 1056.07 万元", "项目\t金额", "热线\t3.56 尾"]


def test_document_that_is_not_a_budget_is_read_as_a_plain_document(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes(NOT_A_BUDGET.encode("gb18030"))
    doc = parse_file(path)
    assert doc.source.lines[0].text == "关于做好2024年春节期间安全生产工作的通知"
    assert doc.facts.is_budget is False
    assert doc.facts.projects == []


def test_50mb_text_file_is_refused_cleanly_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.txt"
    line = "2024年收入总计1,056.07万元，基本支出444.11万元\t项目支出\t611.96\n".encode()
    with path.open("wb") as fh:
        for _ in range(50 * 2**20 // (len(line) * 1000) + 1):
            fh.write(line * 1000)
    assert path.stat().st_size >= 50 * 2**20
    # A fresh interpreter, so its peak resident memory is this load's alone. VmHWM, not
    # ru_maxrss: Linux carries ru_maxrss across exec, so it would count the forking parent.
    probe = ("import sys\n"
             "from budgetsearch.indexer.models import BudgetSearchError\n"
             "from budgetsearch.indexer.pipeline import parse_file\n"
             "try:\n    parse_file(sys.argv[1]); print('loaded')\n"
             "except BudgetSearchError as exc:\n    print(exc)\n"
             "status = open('/proc/self/status').read()\n"
             "print(next(l.split()[1] for l in status.splitlines() if l.startswith('VmHWM')))\n")
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True,
                         text=True, timeout=120, check=True).stdout.splitlines()
    assert out[0].startswith(f"{path}: too large (50.")
    assert int(out[1]) < 200 * 1024  # KiB: the interpreter and libraries, not the file


def test_cli_batch_goes_on_past_bad_files(bad_files, capsys, tmp_path):
    bad = [str(bad_files[name][0]) for name in ("empty.txt", "garbage.pdf", "truncated.pdf",
                                                "encrypted.pdf", "scanned.pdf")]
    plain = tmp_path / "notice.txt"
    plain.write_text(NOT_A_BUDGET, encoding="utf-8")
    code = main(["extract", "--json", bad[0], str(SEED), *bad[1:], str(plain)])
    captured = capsys.readouterr()
    assert code == 1
    results = json.loads(captured.out)
    assert [r["source"] for r in results] == [str(SEED), str(plain)]
    errors = captured.err.splitlines()
    assert len(errors) == len(bad)
    for line, path in zip(errors, bad):
        assert line.startswith(f"budgetsearch: {path}: ")
    assert "Traceback" not in captured.err
