import pytest

from budgetsearch.indexer.normalize import normalize_text, parse_amount


@pytest.mark.parametrize("raw, expected", [
    ("827. 29", "827.29"),
    ("72. 4 1", "72.41"),
    ("<b>5.</b> 00", "5.00"),
    ("1,056.07", "1056.07"),
    ("安 阳 市 政 务 服 务 中 心", "安阳市政务服务中心"),
    ("单位：万元", "单位:万元"),
    ("（一）因公出国(境)费", "(一)因公出国(境)费"),
    ("基本 支出 283.17 万元", "基本支出 283.17 万元"),
    ("⼀般公共预算", "一般公共预算"),
    ("<p>严格按照</p>", "严格按照"),
    ("| 项目 | 1,0 56.07 |", "项目\t1056.07"),
    ("|---|---|", ""),
    ("其他运转类\t12345 便民 运转类\t3. 5 6", "其他运转类\t12345 便民运转类\t3.56"),
    ("### 一、主要职责", "一、主要职责"),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize("cell, value", [
    ("827.29", 827.29), ("", None), ("-", None), ("0", 0.0), ("≥95%", None), ("1056.07", 1056.07),
])
def test_parse_amount(cell, value):
    assert parse_amount(cell) == value
