"""The four Jiangsu PDFs: table rows in the shape of the text seeds, every line on its page."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from budgetsearch.indexer.load import load
from budgetsearch.indexer.models import SourceDocument
from budgetsearch.indexer.pdf import join_cell_lines

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FAYUAN = "jiangsu-gaojirenminfayuan-2019-budget.pdf"
JIANCHA = "jiangsu-renminjianchayuan-2018-budget.pdf"
ZHENGXIE = "jiangsu-zhengxie-bangongting-2017-budget.pdf"
SHENGWEI = "jiangsu-shengwei-bangongting-2019-budget-tables.pdf"
PAGES = {FAYUAN: 26, JIANCHA: 31, ZHENGXIE: 20, SHENGWEI: 12}


@lru_cache(maxsize=None)
def doc(name: str) -> SourceDocument:
    return load(CORPUS / name)


def find(name: str, text: str) -> list[tuple[int, int | None]]:
    """(line number, page) of every line exactly equal to `text`."""
    return [(line.no, line.page) for line in doc(name).lines if line.text == text]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_line_is_numbered_and_on_a_page(name):
    d = doc(name)
    assert d.format == "pdf" and d.page_count == PAGES[name]
    assert [line.no for line in d.lines] == list(range(1, len(d.lines) + 1))
    pages = [line.page for line in d.lines]
    assert pages == sorted(pages)  # reading order never goes back a page
    assert set(pages) == set(range(1, PAGES[name] + 1))  # no page lost


@pytest.mark.parametrize("name, phrase, page", [
    (FAYUAN, "财政拨款支出预算表（功能科目）", 10),
    (FAYUAN, "政府采购支出预算表", 16),
    (JIANCHA, "公开 12 表：政府采购支出预算表", 20),
    (JIANCHA, "2018 年本部门共 5 个项目实行绩效目标管理，涉及财", 30),
    (ZHENGXIE, "（7）维修（护）费（款）支出 100 万元。用于单位日常开支", 18),
    (SHENGWEI, "2019年政府采购预算表", 12),
])
def test_phrase_comes_out_on_the_page_it_is_printed_on(name, phrase, page):
    # The page is read independently with pdfium, so a numbering slip cannot hide.
    with pdfium.PdfDocument(CORPUS / name) as pdf:
        printed = pdf[page - 1].get_textpage().get_text_range()
    assert phrase.replace(" ", "") in printed.replace(" ", "").replace("\r\n", "")
    assert [p for _, p in find(name, phrase)] == [page]


def test_table_rows_are_tab_separated_cells():
    lines = [line.text for line in doc(FAYUAN).lines]
    start = lines.index("财政拨款支出预算表（功能科目）")
    # Department (left) and unit (right) share a printed line: one line each, unit last.
    assert lines[start + 1:start + 3] == ["部门名称：江苏省高级人民法院", "单位：万元"]
    assert lines[start + 3] == "功能科目编码\t功能科目名称\t金 额"
    assert lines[start + 4] == "合计\t\t37,188.34"  # empty cell kept between tabs
    assert "2040505\t案件执行\t775.00" in lines[start:start + 25]


def test_label_keeps_its_far_value():
    assert len(find(JIANCHA, "部门： 江苏省人民检察院")) == 12
    assert len(find(JIANCHA, "单位：万元")) >= 12


def test_spanned_header_cells_keep_the_row_width():
    rows = [line.text for line in doc(SHENGWEI).lines if line.page == 1 and "\t" in line.text]
    assert rows[0] == "收入\t\t支出\t\t\t"
    assert rows[1] == "项目名称\t金额\t功能分类\t\t支出用途\t"
    assert {row.count("\t") for row in rows} == {5}
    assert "一、财政拨款\t27,664.22\t一、一般公共服务支出\t22,395.50\t一、基本支出\t11,700.63" in rows


def test_wrapped_cells_are_joined():
    assert find(FAYUAN, "\t\t七、文化旅游体育与传媒支出\t\t\t")
    assert find(FAYUAN, "\t\t\t台式计算机（20 万以上）\t政府集中采购\t99.00")
    assert find(JIANCHA, "2.政府性基金预算\t\t三、国防支出\t\t三、单位预留机动经费\t2,388.04")


def test_white_cell_backgrounds_do_not_split_columns():
    # Word paints a white box behind each cell: read as rules they made 18 columns of 6.
    row = "一、财政拨款\t37,188.34\t一、一般公共服务支出\t\t一、基本支出\t21,968.00"
    assert find(FAYUAN, row) == [(find(FAYUAN, row)[0][0], 8)]


def test_page_background_does_not_swallow_the_title():
    lines = [line.text for line in doc(SHENGWEI).lines if line.page == 2]
    assert lines[:4] == ["收入预算总表", "部门：中共江苏省委办公厅", "单位：万元", "项目名称\t\t金额"]


def test_row_continued_from_previous_page_is_kept_as_a_row():
    # Page 17 starts mid-table: that first row has column rules but no top rule.
    first = next(line for line in doc(FAYUAN).lines if line.page == 17)
    assert first.text == "\t\t会议费\t\t\t110.05"


def test_one_column_frame_is_text():
    cover = [line.text for line in doc(JIANCHA).lines if line.page == 1]
    assert cover == ["江苏省人民检察院", "2018年部门预算"]


def test_tables_only_document_and_narrative_only_document():
    assert sum("\t" in line.text for line in doc(SHENGWEI).lines) > 200
    # The 2017 政协 PDF lists its tables in the contents but prints none.
    assert not any("\t" in line.text for line in doc(ZHENGXIE).lines)


@pytest.mark.parametrize("cell, joined", [
    ("七、文化旅游体育与传媒支\n出", "七、文化旅游体育与传媒支出"),
    ("便携式计算机（20\n万以上）", "便携式计算机（20 万以上）"),
    ("PC\nserver", "PC server"),
    ("  \n", ""),
    ("a\tb", "a b"),
])
def test_join_cell_lines(cell, joined):
    assert join_cell_lines(cell) == joined
