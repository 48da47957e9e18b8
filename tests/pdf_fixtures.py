"""PDFs built byte by byte for the reader-limit tests and bench/bench_memory.py."""
from __future__ import annotations


def text_bomb_pdf(depth: int = 6, fanout: int = 10) -> bytes:
    """A tiny PDF whose page draws fanout**depth characters through nested forms."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               None,  # the page, once the forms are numbered
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    font = 4
    previous = None
    for level in range(depth + 1):
        if previous is None:
            body = b"BT /F1 8 Tf 10 10 Td (A) Tj ET"
            res = b"/Font << /F1 %d 0 R >>" % font
        else:
            # Level 1 spreads its copies along x, level 2 along y, so none overlap.
            step = (b"10 0", b"0 20")[level - 1] if level <= 2 else b"0 0"
            body = b" ".join([b"q 1 0 0 1 %s cm /X Do Q" % b" ".join(
                str(int(v) * j).encode() for v in step.split()) for j in range(fanout)])
            res = b"/XObject << /X %d 0 R >>" % previous
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << %s >> /Length %d >>\nstream\n%s\nendstream" % (res, len(body), body))
        previous = len(objects)
    content = b"/X Do"
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents %d 0 R "
                  b"/Resources << /XObject << /X %d 0 R >> >> >>" % (len(objects), previous))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
