"""Rows from positioned fragments: text pieces known only by where they are drawn.

An OCR engine returns boxes of text; a PDF converted to HTML positions every table cell as
its own absolutely placed element. Both lose the table's structure, which is rebuilt from
positions: fragments whose vertical middles fall within half a line of each other form one
row, ordered left to right; a gap wider than a character starts a new cell, written with a
tab as the PDF reader writes table cells.
"""
from __future__ import annotations

from dataclasses import dataclass

# Two fragments share a row when their vertical middles are closer than this share of the
# smaller one's height (a slightly skewed scan still reads as one row).
ROW_OVERLAP = 0.5
# A horizontal gap wider than this many times the median character width ends a cell.
CELL_GAP_CHARS = 1.5
# Within a cell, Latin words further apart than this share of a character get a space.
WORD_GAP_CHARS = 0.25


@dataclass(frozen=True)
class Fragment:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)

    @property
    def char_width(self) -> float:
        return (self.x1 - self.x0) / max(len(self.text), 1)


def rows_from_fragments(fragments: list[Fragment]) -> list[str]:
    """One line per row of fragments, top to bottom; cells separated by a tab."""
    rows: list[list[Fragment]] = []
    for frag in sorted((f for f in fragments if f.text.strip()), key=lambda f: f.middle):
        if rows:
            last = rows[-1]
            reference = sum(f.middle for f in last) / len(last)
            height = min(min(f.height for f in last), frag.height)
            if abs(frag.middle - reference) <= ROW_OVERLAP * height:
                last.append(frag)
                continue
        rows.append([frag])
    return [_row_text(sorted(row, key=lambda f: f.x0)) for row in rows]


def _row_text(row: list[Fragment]) -> str:
    widths = sorted(f.char_width for f in row)
    char = widths[len(widths) // 2] or 1.0
    out = row[0].text.strip()
    for prev, frag in zip(row, row[1:]):
        gap = frag.x0 - prev.x1
        text = frag.text.strip()
        if gap > CELL_GAP_CHARS * char:
            out += "\t"
        elif gap > WORD_GAP_CHARS * char and out[-1:].isascii() and text[:1].isascii():
            out += " "  # Latin words keep their space; CJK runs on
        out += text
    return out
