"""PDF extraction per page: the loader (pdfium's characters and rules, pdfplumber's table
finder) against pypdfium2 alone (text plus a gap-based table reading, no rules), on the
Jiangsu PDFs of corpus/.

Prints, per PDF, seconds per page for each library and their ratio (pypdfium2 is the
baseline, measured in the same run), and how many of a set of hand-checked table rows each
reproduces exactly (cells, empty cells and their order). Run: python bench/bench_pdf.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetsearch.indexer.pdf import load_pdf  # noqa: E402

# Rows read off the printed pages; empty cells matter (an amount under the wrong column is a
# wrong fact), so they are part of each row.
GOLDEN = {
    "jiangsu-gaojirenminfayuan-2019-budget.pdf": [
        "一、财政拨款\t37,188.34\t一、一般公共服务支出\t\t一、基本支出\t21,968.00",
        "二、财政专户管理资金\t\t四、公共安全支出\t27,488.23\t\t",
        "\t\t七、文化旅游体育与传媒支出\t\t\t",
        "37,188.34\t21,968.00\t10,208.94\t5,011.40\t",
        "2040505\t案件执行\t775.00",
        "合计\t\t37,188.34",
        "2,382.02\t513.75\t160.00\t266.80\t\t266.80\t86.95\t271.02\t1,597.25",
        "\t\t会议费\t\t\t110.05",
    ],
    "jiangsu-renminjianchayuan-2018-budget.pdf": [
        "一、财政拨款\t21,940.96\t一、一般公共服务支出\t\t一、基本支出\t13,994.31",
        "2.政府性基金预算\t\t三、国防支出\t\t三、单位预留机动经费\t2,388.04",
        "三、其他资金\t14.39\t五、教育支出\t\t\t",
        "1,384.74\t484.30\t100.00\t267.80\t\t267.80\t116.50\t200.44\t700.00",
        "30215\t会议费\t200.44",
        "\t\t\t交换设备\t分散自行组织\t20.00",
    ],
    "jiangsu-shengwei-bangongting-2019-budget-tables.pdf": [
        "一、财政拨款\t27,664.22\t一、一般公共服务支出\t22,395.50\t一、基本支出\t11,700.63",
        "\t\t八、社会保障和就业支出\t1,374.63\t\t",
        "27,664.22\t11,700.63\t13,025.38\t2,938.21\t",
        "2013102\t一般行政管理事务\t13,025.38",
        "1,471.70\t508.20\t70.00\t411.20\t\t411.20\t27.00\t933.50\t30.00",
        "\t省委办公厅承办的会议费\t会议费\t\t\t872.10",
    ],
    # The 2017 政协 PDF prints no tables: timed only.
    "jiangsu-zhengxie-bangongting-2017-budget.pdf": [],
}
RUNS = 3


def pdfium_lines(data: bytes) -> list[str]:
    """Text lines from pdfium's loose character boxes (one height for a whole line); a
    horizontal gap wider than a character starts a new cell: what a table reader can do
    without reading the rules."""
    lines: list[str] = []
    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            chars = []
            for i in range(textpage.count_chars()):
                ch = textpage.get_text_range(i, 1)
                if not ch.strip():
                    continue
                left, bottom, right, top = textpage.get_charbox(i, loose=True)
                chars.append((-(top + bottom) / 2, left, right, top - bottom, ch))
            lines.extend(_rows(chars))
    finally:
        pdf.close()
    return lines


def _rows(chars: list[tuple[float, float, float, float, str]]) -> list[str]:
    chars.sort()
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for c in chars:
        if rows and abs(c[0] - rows[-1][0][0]) <= max(c[3], 1) * 0.5:
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        width = statistics.median(c[2] - c[1] for c in row) or 1
        cells, cell, last_right = [], "", None
        for _, left, right, _, ch in row:
            if last_right is not None and left - last_right > width:
                cells.append(cell)
                cell = ""
            cell += ch
            last_right = right
        cells.append(cell)
        out.append("\t".join(cells))
    return out


def plumber_lines(path: Path, data: bytes) -> list[str]:
    return [line.text for line in load_pdf(path, data).lines]


def timed(fn, *args) -> tuple[float, list[str]]:
    best, result = float("inf"), []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    print(f"{'PDF':52} {'pages':>5} {'pdfium s/p':>10} {'loader s/p':>11} {'ratio':>6} "
          f"{'rows pdfium':>11} {'rows loader':>12}")
    totals = [0.0, 0.0, 0, 0, 0, 0]
    for name, golden in GOLDEN.items():
        path = ROOT / "corpus" / name
        data = path.read_bytes()
        with pdfium.PdfDocument(data) as pdf:
            pages = len(pdf)
        t_base, base = timed(pdfium_lines, data)
        t_plumb, plumb = timed(plumber_lines, path, data)
        hit_base = sum(row in base for row in golden)
        hit_plumb = sum(row in plumb for row in golden)
        print(f"{name:52} {pages:5} {t_base / pages:10.4f} {t_plumb / pages:11.4f} "
              f"{t_plumb / t_base:5.1f}x {hit_base:>5}/{len(golden):<5} {hit_plumb:>6}/{len(golden)}")
        for i, v in enumerate((t_base, t_plumb, pages, hit_base, hit_plumb, len(golden))):
            totals[i] += v
    t_base, t_plumb, pages, hit_base, hit_plumb, n = totals
    print(f"{'all':52} {pages:5} {t_base / pages:10.4f} {t_plumb / pages:11.4f} "
          f"{t_plumb / t_base:5.1f}x {hit_base:>5}/{n:<5} {hit_plumb:>6}/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
