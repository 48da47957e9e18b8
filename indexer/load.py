"""Stage 1: read a file's bytes and turn them into numbered lines.

Formats are told apart by their bytes first and their suffix second, so a PDF renamed
`.txt` or garbage named `.pdf` gets the right reader or a clear error.
"""
from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from budgetsearch.indexer.models import BudgetSearchError, Line, SourceDocument

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES

# Size limits, checked before a byte is read. The largest real disclosure is well under
# 1 MB as text and under 30 MB as PDF; a bigger file is a dump or a concatenation, and
# reading it would take memory several times its size (measured by bench/bench_memory.py)
# and minutes of extraction. It is refused with a clear message instead.
MAX_TEXT_BYTES = 16 * 1024 * 1024
MAX_PDF_BYTES = 128 * 1024 * 1024
_HEAD_BYTES = 4096


def load(path: str | Path) -> SourceDocument:
    """Read one file into a SourceDocument, or raise BudgetSearchError naming it."""
    path = Path(path)
    data, kind = _read(path)
    if kind == "pdf":
        from budgetsearch.indexer.pdf import load_pdf

        return load_pdf(path, data)
    if kind == "html":
        from budgetsearch.indexer.html import load_html

        return load_html(path, data)
    text, encoding = decode_text(path, data)
    fmt = "markdown" if path.suffix.lower() in {".md", ".markdown"} else "text"
    return SourceDocument(path=str(path), format=fmt, encoding=encoding, lines=split_lines(text))


def _read(path: Path) -> tuple[bytes, str]:
    """The file's bytes and format, refusing empty and oversized files before reading."""
    _refuse_special(path)
    try:
        # O_NONBLOCK: a FIFO swapped in after the check must not block the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise BudgetSearchError(f"{path}: not a regular file")
            size = os.fstat(fh.fileno()).st_size
            head = fh.read(_HEAD_BYTES)
            if not head.strip() and size <= len(head):
                raise BudgetSearchError(f"{path}: empty file")
            kind = sniff_format(path, head)
            limit = MAX_PDF_BYTES if kind == "pdf" else MAX_TEXT_BYTES
            if size > limit:
                raise BudgetSearchError(
                    f"{path}: too large ({size / 2**20:.1f} MB; {kind} documents are read "
                    f"up to {limit // 2**20} MB)")
            data = head + fh.read()
    except FileNotFoundError:
        raise BudgetSearchError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BudgetSearchError(f"{path}: is a directory") from None
    except OSError as exc:
        raise BudgetSearchError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if data.isspace():
        raise BudgetSearchError(f"{path}: empty file")
    return data, kind


def _refuse_special(path: Path) -> None:
    """Devices, FIFOs and sockets are not documents: /dev/zero never ends, a FIFO blocks
    until someone writes to it. Refused by what the path is, before it is opened."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise BudgetSearchError(f"{path}: no such file") from None
    except OSError as exc:
        raise BudgetSearchError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise BudgetSearchError(f"{path}: is a directory")
    if not stat.S_ISREG(mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else
                "a character device" if stat.S_ISCHR(mode) else
                "a block device" if stat.S_ISBLK(mode) else
                "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise BudgetSearchError(f"{path}: not a regular file ({kind}); only files are read")


_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body")


def sniff_format(path: Path, data: bytes) -> str:
    """What the bytes are, whatever the name says: portals serve PDFs under .html names
    and error or viewer pages under .pdf names."""
    # Readers accept a PDF header anywhere in the first kilobyte (some servers prepend junk).
    if b"%PDF-" in data[:1024]:
        return "pdf"
    head = data[:2048].removeprefix(codecs.BOM_UTF8).lstrip()
    lowered = head[:512].lower()
    looks_html = lowered.startswith(_HTML_STARTS) or (
        lowered.startswith(b"<") and b"<html" in data[:4096].lower())
    if looks_html:
        return "html"
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        raise BudgetSearchError(f"{path}: not a PDF (no %PDF header)")
    if suffix in HTML_SUFFIXES:
        return "html"
    return "text"


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding: BOMs first, then UTF-8, then detection."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name), name
    if b"\x00" in data[:4096]:
        # Text has no zero bytes except as the high half of UTF-16 ASCII or U+4E00.
        guess = _cjk_encoding(data, ("utf-16-le", "utf-16-be"))
        if guess:
            return guess
        raise BudgetSearchError(f"{path}: binary data, not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = _cjk_encoding(data)
    if guess:
        return guess
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or not _looks_like_text(str(best)):
        raise BudgetSearchError(f"{path}: unknown text encoding or binary data")
    return data.decode(best.encoding, errors="replace"), best.encoding


def _cjk_encoding(data: bytes, names: tuple[str, ...] = ("gb18030", "utf-16-le", "utf-16-be")
                  ) -> tuple[str, str] | None:
    """GB18030 or BOM-less UTF-16, whichever reads as more plausible Chinese text.

    GB18030 (a superset of GBK and GB2312, the usual encodings of Chinese sites) decodes
    almost any byte string, and UTF-16 of pure CJK text has no zero bytes to give it away,
    so both are tried on a sample and scored; ties go to GB18030.
    """
    sample = data[:65536]
    scored = []
    for rank, name in enumerate(names):
        if name.startswith("utf-16") and len(data) % 2:
            continue
        scored.append((_plausibility(sample.decode(name, errors="replace")), -rank, name))
    for score, _, name in sorted(scored, reverse=True):
        if score < 0.95:
            break
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, name
    return None


def _plausibility(text: str) -> float:
    """Share of characters a Chinese document is made of: ASCII, common CJK, punctuation."""
    sample = text[:20000]
    if not sample:
        return 0.0
    good = sum(1 for ch in sample if ("\x20" <= ch < "\x7f") or ch in "\t\r\n\f"
               or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
               or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f"
               or "\u2460" <= ch <= "\u24ff" or ch in "·×÷≥≤±°")
    return good / len(sample)


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
