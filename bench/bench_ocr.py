"""OCR engines on scanned pages of the cities corpus: Debian's tesseract-ocr (chi_sim) against
RapidOCR (rapidocr-onnxruntime, PP-OCRv4 models inside the wheel), at two resolutions.

For each page, phrases and numbers read off the printed page by a person (below) are looked
up in each engine's text, whitespace removed and full-width forms folded (NFKC): found
exactly or not. Prints per engine: phrases found, numbers found, seconds per page.

    python bench/bench_ocr.py [DIR]     (DIR defaults to ../shared/realdocs/cities)

Needs `apt-get install tesseract-ocr tesseract-ocr-chi-sim` for the tesseract rows.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium

from budgetsearch.indexer.layout import rows_from_fragments
from budgetsearch.indexer.ocr import _RapidEngine, render

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "cities"
# (file, page, what the page prints): read from the page images, not from any OCR output.
SAMPLES = [
    ("江门/退役军人事务局_2026年部门预算.pdf", 4, [
        "按规定报销医疗费后个人自付医疗费较重的给予补助", "符合医疗目录范围内的个人自付费用补助比例为",
        "100%", "补助比例不低于50%", "补助比例不低于30%", "烈士老年子女", "孤老复员军人",
        "加大医疗优先优惠力度", "其他对象体检优惠幅度不低于", "20%", "并免除普通门诊挂号费",
        "推行优抚对象"]),
    ("保定/发展和改革局_2026年部门预算.pdf", 2, [
        "2023年第二批新认定保定市企业技术中心名单", "2023年11月30日", "保定市科学技术局",
        "国家税务总局保定市税务局", "增强企业核心竞争力", "引进培育创新", "经济高质量"]),
    ("榆林/信访局_2026年部门预算.pdf", 1, [
        "政府网站工作年度报表", "2024年度", "榆林市信访局", "6108000010", "19002454",
        "61080202000239", "15791", "21168", "115", "独立用户访问总量", "网站总访问量",
        "政府门户网站"]),
]
_NUMBER = re.compile(r"^[\d.,%]+$")


def fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def tesseract(image, tmp: Path) -> str:
    from PIL import Image

    png = tmp / "page.png"
    Image.fromarray(image).save(png)
    return subprocess.run(["tesseract", str(png), "-", "-l", "chi_sim"], capture_output=True,
                          text=True, check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin"}
                          ).stdout


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else DEFAULT_DIR
    from rapidocr_onnxruntime import RapidOCR

    rapid = _RapidEngine(RapidOCR())
    engines = {}
    if shutil.which("tesseract"):
        for dpi in (200, 300):
            engines[f"tesseract chi_sim {dpi} dpi"] = (dpi, "tess")
    for dpi in (150, 200, 300):
        engines[f"RapidOCR PP-OCRv4 {dpi} dpi"] = (dpi, "rapid")
    print(f"{'engine':28} {'phrases':>8} {'numbers':>8} {'s/page':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (dpi, kind) in engines.items():
            found = numbers = n_phrases = n_numbers = 0
            seconds = 0.0
            misses = []
            for rel, page_no, phrases in SAMPLES:
                pdf = pdfium.PdfDocument(str(root / rel))
                image = render(pdf[page_no - 1], dpi)
                start = time.perf_counter()
                if kind == "tess":
                    text = tesseract(image, Path(tmp))
                else:
                    text = "\n".join(rows_from_fragments(rapid(image)))
                seconds += time.perf_counter() - start
                pdf.close()
                flat = fold(text)
                for phrase in phrases:
                    hit = fold(phrase) in flat
                    if _NUMBER.match(phrase):
                        n_numbers += 1
                        numbers += hit
                    else:
                        n_phrases += 1
                        found += hit
                    if not hit:
                        misses.append(phrase)
            print(f"{name:28} {found:>3}/{n_phrases:<4} {numbers:>3}/{n_numbers:<4} "
                  f"{seconds / len(SAMPLES):7.2f}  missed: {', '.join(misses) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
