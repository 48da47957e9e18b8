"""Text documents in the encodings archives use: detected from the bytes, never assumed."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from budgetsearch.indexer.load import MAX_TEXT_BYTES, decode_text, load, sniff_format, split_lines
from budgetsearch.indexer.models import BudgetSearchError

SEEDS = sorted(p for p in (Path(__file__).resolve().parent.parent / "corpus").iterdir()
               if p.suffix in {".txt", ".md"})

# (label, how to encode, encodings load() may report for it)
VARIANTS = [
    ("utf8", lambda t: t.encode("utf-8"), {"utf-8"}),
    ("utf8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), {"utf-8-sig"}),
    ("gb18030", lambda t: t.encode("gb18030"), {"gb18030"}),
    ("utf16le-bom", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), {"utf-16"}),
    ("utf16be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), {"utf-16"}),
    ("utf16le", lambda t: t.encode("utf-16-le"), {"utf-16-le"}),
    ("utf16be", lambda t: t.encode("utf-16-be"), {"utf-16-be"}),
]


def test_seeds_are_present():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("label, encode, names", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_seed_reencoded_loads_to_the_same_lines(tmp_path, seed, label, encode, names):
    original = load(seed)
    text = seed.read_text(encoding="utf-8")
    target = tmp_path / f"{seed.stem}-{label}{seed.suffix}"
    target.write_bytes(encode(text))
    doc = load(target)
    assert doc.encoding in names
    assert doc.format == original.format
    assert [line.text for line in doc.lines] == [line.text for line in original.lines]
    assert [line.no for line in doc.lines] == list(range(1, len(doc.lines) + 1))


def test_gbk_page_is_read_as_gb18030(tmp_path):
    target = tmp_path / "gbk.txt"
    target.write_bytes("单位：万元\n收入总计\t1,056.07\n".encode("gbk"))
    doc = load(target)
    assert doc.encoding == "gb18030"
    assert [line.text for line in doc.lines[:2]] == ["单位：万元", "收入总计\t1,056.07"]


@pytest.mark.parametrize("name", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_and_without_ascii(tmp_path, name):
    # Pure CJK text has no zero bytes in UTF-16, and GB18030 decodes those bytes into
    # plausible-looking garbage: the scoring must still pick UTF-16.
    target = tmp_path / "cjk16.txt"
    target.write_bytes("部门预算公开项目支出表一般公共预算".encode(name))
    doc = load(target)
    assert (doc.encoding, doc.lines[0].text) == (name, "部门预算公开项目支出表一般公共预算")


def test_line_endings_and_numbering():
    lines = split_lines("a\r\nb\rc\fd\n", page=3, start=10)
    assert [(l.no, l.text, l.page) for l in lines] == [
        (10, "a", 3), (11, "b", 3), (12, "c", 3), (13, "d", 3), (14, "", 3)]


def test_markdown_suffix_gives_markdown_format(tmp_path):
    target = tmp_path / "a.md"
    target.write_text("# 标题\n正文\n", encoding="utf-8")
    assert load(target).format == "markdown"


@pytest.mark.parametrize("head, name, kind", [
    (b"%PDF-1.7\n", "a.txt", "pdf"),          # a PDF renamed .txt is still a PDF
    (b"junk\n%PDF-1.4\n", "a.pdf", "pdf"),    # junk before the header is tolerated
    (b"<!DOCTYPE html><html>", "a.txt", "html"),
    (codecs.BOM_UTF8 + b"<html><body>", "page", "html"),
    (b"<p>x</p>", "a.htm", "html"),
    ("单位：万元".encode(), "a.txt", "text"),
])
def test_sniff_format(head, name, kind):
    assert sniff_format(Path(name), head) == kind


def test_decode_text_rejects_binary():
    with pytest.raises(BudgetSearchError, match=r"^x\.txt: "):
        decode_text(Path("x.txt"), bytes(range(256)) * 64)


def test_oversized_text_is_refused_before_reading(tmp_path):
    target = tmp_path / "huge.txt"
    with target.open("wb") as fh:  # sparse: no disk or memory spent on the test itself
        fh.write("单位：万元\n".encode())
        fh.truncate(MAX_TEXT_BYTES + 1)
    with pytest.raises(BudgetSearchError) as err:
        load(target)
    assert str(err.value).startswith(f"{target}: too large (")
