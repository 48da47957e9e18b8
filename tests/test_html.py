"""HTML disclosures: charset, chrome dropped, blocks to lines, tables to tab-separated rows."""
from __future__ import annotations

import codecs

import pytest

from budgetsearch.indexer.load import load

PAGE = """<!DOCTYPE html>
<html><head>{meta}<title> 周口市行政服务中心 2024年部门预算 </title>
<style>p {{ color: red }}</style><script>var total = "9999.99";</script></head>
<body><nav>首页 | 政务公开</nav><header>网站头部</header>
<h1>周口市行政服务中心2024年度部门预算</h1>
<p>2024年收入总计<b>1056.07</b>万元，<span>基本支出444.11万元</span><br>项目支出611.96万元</p>
<div>十、项目支出表</div>
<div>单位：万元</div>
<table>
<thead><tr><th rowspan="2">项目名称</th><th colspan="2">金额</th></tr>
<tr><th>本年</th><th>上年</th></tr></thead>
<tbody><tr><td>大厅标准化<br>配置</td><td>1,0 56.07</td><td></td></tr>
<tr><td>12345 热线</td><td>3.56</td><td>2.00</td></tr></tbody>
</table>
<ul><li>第一条</li><li>第二条</li></ul>
<footer>版权所有 联系我们</footer>
</body></html>
"""
EXPECTED = [
    "周口市行政服务中心2024年度部门预算",
    "2024年收入总计1056.07万元，基本支出444.11万元",
    "项目支出611.96万元",
    "十、项目支出表",
    "单位：万元",
    "项目名称\t金额\t",
    "\t本年\t上年",
    "大厅标准化配置\t1,0 56.07\t",
    "12345 热线\t3.56\t2.00",
    "第一条",
    "第二条",
]


def write(tmp_path, name: str, data: bytes):
    target = tmp_path / name
    target.write_bytes(data)
    return target


@pytest.mark.parametrize("meta, encoding, expected", [
    ('<meta charset="utf-8">', "utf-8", "utf-8"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030", "gb18030"),
    ('<meta charset="GBK">', "gb18030", "gb18030"),
    ("", "gb18030", "gb18030"),  # undeclared: detected
    ("", "utf-8", "utf-8"),
    ('<meta charset="utf-8">', "gb18030", "gb18030"),  # declared wrongly: detected
])
def test_charset_blocks_and_tables(tmp_path, meta, encoding, expected):
    doc = load(write(tmp_path, "page.html", PAGE.format(meta=meta).encode(encoding)))
    assert doc.format == "html"
    assert doc.encoding == expected
    assert doc.title_hint == "周口市行政服务中心 2024年部门预算"
    assert [line.text for line in doc.lines] == EXPECTED
    assert [line.no for line in doc.lines] == list(range(1, len(EXPECTED) + 1))
    assert all(line.page is None for line in doc.lines)


def test_gb2312_declared_page_with_gb18030_only_character(tmp_path):
    # 㑇 is outside GB2312/GBK; sites declaring gb2312 still emit such characters.
    html = '<html><head><meta charset="gb2312"></head><body><p>㑇项目 5.00</p></body></html>'
    doc = load(write(tmp_path, "p.htm", html.encode("gb18030")))
    assert [line.text for line in doc.lines] == ["㑇项目 5.00"]


def test_utf16_page_with_bom(tmp_path):
    doc = load(write(tmp_path, "p.html", codecs.BOM_UTF16_LE + PAGE.format(meta="").encode(
        "utf-16-le")))
    assert [line.text for line in doc.lines] == EXPECTED


def test_html_without_suffix_is_sniffed(tmp_path):
    doc = load(write(tmp_path, "page", PAGE.format(meta="").encode("utf-8")))
    assert doc.format == "html" and doc.lines[0].text == EXPECTED[0]


def test_malformed_html_is_read_leniently(tmp_path):
    html = ("<html><body><p>收入总计 1056.07<div>单位：万元<table><tr><td>项目<td>金额"
            "<tr><td>热线<td>3.56</table><p>未闭合 <b>粗体")
    doc = load(write(tmp_path, "bad.html", html.encode("utf-8")))
    assert [line.text for line in doc.lines] == [
        "收入总计 1056.07", "单位：万元", "项目\t金额", "热线\t3.56", "未闭合 粗体"]


def test_nested_table_is_flattened_into_its_cell(tmp_path):
    html = ("<table><tr><td>外层</td><td><table><tr><td>内</td><td>层</td></tr></table></td>"
            "</tr></table>")
    doc = load(write(tmp_path, "n.html", html.encode("utf-8")))
    assert [line.text for line in doc.lines] == ["外层\t内 层"]


def test_absurd_colspan_is_capped(tmp_path):
    html = '<table><tr><td colspan="99999999">合计</td><td>1</td></tr></table>'
    doc = load(write(tmp_path, "c.html", html.encode("utf-8")))
    assert doc.lines[0].text.count("\t") == 1000


PORTAL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某局2026年部门预算</title></head>
<body><div class="top"><a href="/">首页</a><a href="/a">政务公开</a><a href="/b">互动交流</a>
<a href="/c">办事服务</a><a href="/d">市人民政府办公室</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/a">政务公开</a></div>
<div class="main"><h2>某某局2026年部门预算公开</h2><div class="info">发布日期：2026-02-28</div>
<div class="text"><p>一、部门职责：负责全市某某工作，保障某某事业的正常运转。</p>
<p>二、2026年收入预算1,234.56万元，支出预算1,234.56万元，其中基本支出1,000.00万元。</p>
<p>三、项目支出234.56万元，主要用于某某平台运行维护和某某专项工作经费。</p></div></div>
<div class="links"><a href="/x">中国政府网</a><a href="/y">省人民政府</a></div>
<div class="foot">主办单位：某某市人民政府办公室</div></body></html>"""


def test_portal_chrome_comes_after_the_content(tmp_path):
    doc = load(write(tmp_path, "portal.html", PORTAL.encode("utf-8")))
    texts = [line.text for line in doc.lines]
    assert texts[:5] == [
        "某某局2026年部门预算公开", "发布日期：2026-02-28",
        "一、部门职责：负责全市某某工作，保障某某事业的正常运转。",
        "二、2026年收入预算1,234.56万元，支出预算1,234.56万元，其中基本支出1,000.00万元。",
        "三、项目支出234.56万元，主要用于某某平台运行维护和某某专项工作经费。"]
    assert texts[5] == "首页政务公开互动交流 办事服务市人民政府办公室"  # the menu, after
    assert not any(t.startswith("当前位置") for t in texts)  # breadcrumbs dropped


@pytest.mark.parametrize("crumb", ["当前位置：首页 > 政务公开", "您现在的位置： 首页 > 财政信息",
                                   "您当前的位置：首页", "您的位置:首页>信息公开"])
def test_breadcrumb_variants_are_dropped(tmp_path, crumb):
    html = f"<html><body><div>{crumb}</div><p>位置：某某路1号</p><p>收入总计 12.00 万元</p></body></html>"
    doc = load(write(tmp_path, "crumb.html", html.encode("utf-8")))
    assert [line.text for line in doc.lines] == ["位置：某某路1号", "收入总计 12.00 万元"]


def test_page_without_chrome_keeps_its_order(tmp_path):
    html = ("<html><body><p>二〇二六年预算说明</p><div><p>收入总计 12.00 万元，全部为财政拨款。"
            "</p><p>支出总计 12.00 万元，全部为基本支出。</p></div></body></html>")
    doc = load(write(tmp_path, "plain.html", html.encode("utf-8")))
    assert [line.text for line in doc.lines] == [
        "二〇二六年预算说明", "收入总计 12.00 万元，全部为财政拨款。", "支出总计 12.00 万元，全部为基本支出。"]


CONVERTED = """<html><body><div class="page">
<p style="position:absolute;top:40px;left:200px;font-size:16px">收支预算总表</p>
<p style="position:absolute;top:70px;left:500px;font-size:12px">单位：万元</p>
<p style="position:absolute;top:100px;left:60px;font-size:12px">收入</p>
<p style="position:absolute;top:100px;left:300px;font-size:12px">支出</p>
<p style="position:absolute;top:130px;left:300px;font-size:12px">一般公共服务支出</p>
<p style="position:absolute;top:131px;left:60px;font-size:12px">一、财政拨款</p>
<p style="position:absolute;top:130px;left:200px;font-size:12px">1,234.56</p>
<p style="position:absolute;top:130px;left:450px;font-size:12px">1,234.56</p>
</div></body></html>"""
PDF2HTMLEX = """<html><head><style>.x0{left:60px;}.x1{left:200px;}.x2{left:300px;}
.y0{bottom:700px;}.y1{bottom:670px;}.fs0{font-size:12px;}</style></head><body>
<div class="pf"><div class="pc">
<div class="t m0 x0 y0 fs0">收入</div><div class="t m0 x2 y0 fs0">支出</div>
<div class="t m0 x0 y1 fs0">一、财政拨款</div><div class="t m0 x1 y1 fs0">1,234.56</div>
<div class="t m0 x2 y1 fs0">一般公共服务支出</div></div></div></body></html>"""


def test_absolutely_positioned_fragments_become_rows(tmp_path):
    doc = load(write(tmp_path, "converted.html", CONVERTED.encode("utf-8")))
    assert [line.text for line in doc.lines] == [
        "收支预算总表", "单位：万元", "收入\t支出", "一、财政拨款\t1,234.56\t一般公共服务支出\t1,234.56"]


def test_pdf2htmlex_position_classes_become_rows(tmp_path):
    doc = load(write(tmp_path, "pdf2htmlex.html", PDF2HTMLEX.encode("utf-8")))
    assert [line.text for line in doc.lines] == [
        "收入\t支出", "一、财政拨款\t1,234.56\t一般公共服务支出"]
