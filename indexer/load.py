"""Stage 1: read a file's bytes and turn them into numbered lines.

Formats are told apart by their bytes first and their suffix second, so a PDF renamed
`.txt` or garbage named `.pdf` gets the right reader or a clear error.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from indexer.models import BudgetSearchError, Line, SourceDocument

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

# Larger text files are read but not decoded whole into one string more than once.
MAX_TEXT_BYTES = 64 * 1024 * 1024


def load(path: str | Path) -> SourceDocument:
    """Read one file into a SourceDocument, or raise BudgetSearchError naming it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BudgetSearchError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BudgetSearchError(f"{path}: is a directory") from None
    except OSError as exc:
        raise BudgetSearchError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise BudgetSearchError(f"{path}: empty file")
    kind = sniff_format(path, data)
    if kind == "pdf":
        from indexer.pdf import load_pdf

        return load_pdf(path, data)
    if kind == "html":
        from indexer.html import load_html

        return load_html(path, data)
    text, encoding = decode_text(path, data)
    fmt = "markdown" if path.suffix.lower() in {".md", ".markdown"} else "text"
    return SourceDocument(path=str(path), format=fmt, encoding=encoding, lines=split_lines(text))


def sniff_format(path: Path, data: bytes) -> str:
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        raise BudgetSearchError(f"{path}: not a PDF (no %PDF header)")
    lowered = head[:512].lower()
    if suffix in HTML_SUFFIXES or lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding: BOMs first, then UTF-8, then detection."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name), name
    if b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data)
        if guess:
            return guess
        raise BudgetSearchError(f"{path}: binary data, not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, the usual encodings of Chinese sites.
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or not _looks_like_text(str(best)):
        raise BudgetSearchError(f"{path}: unknown text encoding or binary data")
    return data.decode(best.encoding, errors="replace"), best.encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    sample = data[:4096]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    name = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    return (text, name) if _looks_like_text(text) else None


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    return bad / len(sample) < 0.01


def split_lines(text: str, page: int | None = None, start: int = 1) -> list[Line]:
    """Number lines from `start`; \\r\\n, \\r and form feeds all end a line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [Line(no=start + i, text=t, page=page) for i, t in enumerate(text.split("\n"))]
