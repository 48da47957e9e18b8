"""View logic of the web front end, without a server: URLs, escaping, amounts, charts, CSV."""
from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest

from budgetsearch.web.chart import bar_chart, compare_rows, nice_step
from budgetsearch.web.export import BOM, csv_lines
from budgetsearch.web.pages import check_rows, note_rows, project_rows, total_rows, viewer_lines
from budgetsearch.web.views import (
    ParamError, active_filters, clean_params, facet_values, format_amount, mark_segments,
    pagination, parse_line_range, query_string, query_terms, region_parents, region_tree,
    snippet_html, snippet_text, source_url, toggle_query,
)


def hit(name: str, amount: float | None, city: str, year: int = 2024, county: str | None = None,
        line: int = 10) -> dict:
    return {"type": "project", "name": name, "amount": amount, "department": f"{city}行政服务中心",
            "region": {"province": "河南省", "city": city, "county": county}, "year": year,
            "kind": "预算", "doc_id": f"doc-{city}", "snippet": name,
            "source": {"path": f"corpus/{city}.txt", "line": line, "lines": [line, line]}}


# --- parameters and URLs -------------------------------------------------------------------

def test_clean_params_keeps_known_keys_and_drops_empty_values() -> None:
    params = clean_params({"q": ["热线"], "city": ["周口市", ""], "evil": ["x"], "year": [" "]})
    assert params == {"q": ["热线"], "city": ["周口市"]}


@pytest.mark.parametrize("args", [
    {"q": ["热" * 201]}, {"type": ["file"]}, {"page": ["0"]}, {"page": ["abc"]},
    {"per_page": ["1000"]}, {"min_amount": ["lots"]}, {"max_amount": ["nan"]},
    {"city": [str(i) for i in range(51)]},
])
def test_clean_params_refuses_unbounded_or_malformed_values(args: dict) -> None:
    with pytest.raises(ParamError):
        clean_params(args)


def test_toggle_query_adds_then_removes_a_value_and_resets_the_page() -> None:
    params = {"q": ["热线"], "city": ["周口市"], "page": ["3"]}
    added = parse_qs(toggle_query(params, "city", "洛阳市"))
    assert added == {"q": ["热线"], "city": ["周口市", "洛阳市"]}
    removed = parse_qs(toggle_query(params, "city", "周口市"))
    assert removed == {"q": ["热线"]}


def test_query_string_orders_keys_and_drops_none() -> None:
    qs = query_string({"city": ["周口市"], "q": ["a b"]}, page=2, city=None)
    assert qs == "q=a+b&page=2"


def test_active_filters_each_remove_only_themselves() -> None:
    params = {"q": ["热线"], "city": ["周口市"], "min_amount": ["100"]}
    chips = {c.label: parse_qs(c.query) for c in active_filters(params)}
    assert chips["市：周口市"] == {"q": ["热线"], "min_amount": ["100"]}
    assert chips["金额 ≥ 100 万元"] == {"q": ["热线"], "city": ["周口市"]}


def test_pagination_window_and_neighbours() -> None:
    links = pagination({"q": ["x"]}, total=200, page=5, per_page=20)
    labels = [link.label for link in links]
    assert labels == ["上一页", "1", "…", "3", "4", "5", "6", "7", "…", "10", "下一页"]
    current = [link for link in links if link.current]
    assert [c.label for c in current] == ["5"] and current[0].query is None
    assert parse_qs(links[-1].query) == {"q": ["x"], "page": ["6"]}
    assert pagination({"q": ["x"]}, total=20, page=1, per_page=20) == []


def test_source_url_points_at_the_line_and_keeps_the_query() -> None:
    h = hit("热线", 1.0, "周口市", line=488)
    assert source_url(h, "12345热线") == "/doc/doc-%E5%91%A8%E5%8F%A3%E5%B8%82?q=12345%E7%83%AD%E7%BA%BF#L488"
    h["source"]["lines"] = [488, 491]
    assert source_url(h, "", "http://x") == "http://x/doc/doc-%E5%91%A8%E5%8F%A3%E5%B8%82?lines=488-491#L488"
    assert source_url({"source": {}}, "q") is None


@pytest.mark.parametrize("raw,count,expected", [
    ("488", 1000, (488, 488)), ("491-488", 1000, (488, 491)), ("5-99999", 10, (5, 10)),
    ("x", 10, None), ("", 10, None), ("20-30", 10, None),
])
def test_parse_line_range(raw: str, count: int, expected: tuple | None) -> None:
    assert parse_line_range(raw, count) == expected


# --- what a user sees ----------------------------------------------------------------------

@pytest.mark.parametrize("value,shown", [
    (426.24, "426.24"), (1056.07, "1,056.07"), (5, "5.00"), (0, "0.00"), (None, "—"),
    (1234567.891, "1,234,567.89"),
])
def test_format_amount(value: float | None, shown: str) -> None:
    assert format_amount(value) == shown


def test_snippet_lets_only_mark_through() -> None:
    raw = '<mark>12345</mark>热线<script>alert(1)</script><img src=x onerror=alert(1)>'
    shown = str(snippet_html(raw))
    assert shown.startswith("<mark>12345</mark>热线&lt;script&gt;alert(1)&lt;/script&gt;")
    assert "<script" not in shown and "<img" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown


def test_snippet_already_escaped_is_not_escaped_twice_and_marks_are_balanced() -> None:
    shown = str(snippet_html("a &lt;b&gt; &amp; <mark>c"))
    assert shown == "a &lt;b&gt; &amp; <mark>c</mark>"
    assert str(snippet_html("</mark>x")) == "x"
    assert snippet_text("<mark>12345</mark>热线 &amp; 平台") == "12345热线 & 平台"


def test_query_terms_drop_operators_and_filters_and_add_segments() -> None:
    def segment(text: str) -> list[str]:
        return ["12345", "热线"] if text == "12345热线" else [text]

    terms = query_terms('12345热线 AND "政务 服务" city:周口市 NOT 物业 -刻章', segment)
    assert terms == ["12345热线", "12345", "政务 服务", "热线"]


def test_mark_segments_marks_every_match_case_insensitively() -> None:
    assert mark_segments("12345 热线 and OA系统", ["热线", "oa"]) == [
        ("12345 ", False), ("热线", True), (" and ", False), ("OA", True), ("系统", False)]
    assert mark_segments("<p>x</p>", []) == [("<p>x</p>", False)]


# --- facets --------------------------------------------------------------------------------

def test_facet_values_keep_a_selected_value_the_index_no_longer_counts() -> None:
    values = facet_values({"city": ["济源市"]}, "city", {"周口市": 2, "洛阳市": 3})
    assert [(v.value, v.count, v.selected) for v in values] == [
        ("济源市", 0, True), ("洛阳市", 3, False), ("周口市", 2, False)]


def test_year_facet_is_newest_first() -> None:
    values = facet_values({}, "year", {"2020": 9, "2024": 1, "2022": 5})
    assert [v.value for v in values] == ["2024", "2022", "2020"]


def test_amount_bands_are_in_amount_order() -> None:
    values = facet_values({}, "amount_band", {"10-50": 3, "100-500": 3, "<10": 1, ">=1000": 2})
    assert [v.value for v in values] == ["<10", "10-50", "100-500", ">=1000"]


def test_region_tree_nests_cities_and_counties_under_their_parents() -> None:
    docs = [{"region": {"province": "河南省", "city": "洛阳市", "county": "洛龙区"}},
            {"region": {"province": "河南省", "city": "周口市", "county": None}}]
    parents = region_parents(docs)
    facets = {"province": {"河南省": 5}, "city": {"洛阳市": 2, "周口市": 3, "苏州市": 1},
              "county": {"洛龙区": 2}}
    roots = region_tree({}, facets, parents)
    assert [r.value for r in roots] == ["河南省", "苏州市"]  # an unknown parent stays on top
    henan = roots[0]
    assert [c.value for c in henan.children] == ["周口市", "洛阳市"]
    assert [c.value for c in henan.children[1].children] == ["洛龙区"]
    assert parse_qs(henan.children[1].children[0].query) == {"county": ["洛龙区"]}


# --- viewer --------------------------------------------------------------------------------

def test_viewer_lines_mark_terms_highlight_a_range_and_start_pdf_pages() -> None:
    lines = [SimpleNamespace(no=i, text=t, page=p) for i, t, p in
             [(1, "<p>12345热线</p>", 1), (2, "其他", 1), (3, "热线", 2)]]
    rows = viewer_lines(lines, ["热线"], (2, 3))
    assert rows[0].pieces == [("<p>12345", False), ("热线", True), ("</p>", False)]
    assert [r.highlighted for r in rows] == [False, True, True]
    assert [r.page_break for r in rows] == [True, False, True]


def test_fact_rows_link_totals_projects_and_put_failed_checks_first() -> None:
    facts = {
        "totals": {"income_total": 1056.07, "project": 611.96, "basic": None},
        "evidence": [{"field": "income_total", "value": 1056.07, "line": 120, "page": None}],
        "projects": [{"name": "热线", "amount": 426.24, "lines": [[488, 488], [569, 569]],
                      "performance_name": "12345热线", "performance_amount": 426.24}],
        "checks": [{"rule": "收入=支出", "ok": True, "expected": 1.0, "found": 1.0, "lines": [5]},
                   {"rule": "项目合计", "ok": False, "expected": 611.96, "found": 600.0,
                    "lines": [488, 491], "detail": "差 11.96"}],
    }
    totals = total_rows(facts)
    assert [(t.label, t.value, t.line) for t in totals] == [
        ("收入总计", "1,056.07", 120), ("项目支出", "611.96", None)]
    (project,) = project_rows(facts)
    assert (project.line, project.extra, project.failed) == (488, ["L569"], True)
    assert "12345热线" in project.note
    checks = check_rows(facts)
    assert [c.failed for c in checks] == [True, False]
    assert checks[0].value == "应为 611.96，实为 600.00" and checks[0].extra == ["L491"]


# --- compare chart -------------------------------------------------------------------------

def test_compare_rows_sum_by_region_and_year() -> None:
    rows = compare_rows([hit("a", 426.24, "周口市"), hit("b", 30.0, "周口市"),
                         hit("c", 5.0, "洛阳市", county="洛龙区"), hit("d", None, "济源市", 2020)])
    assert [(r.year, r.region, r.count, round(r.amount, 2), r.unknown_amounts) for r in rows] == [
        (2020, "济源市", 1, 0.0, 1), (2024, "周口市", 2, 456.24, 0), (2024, "洛龙区", 1, 5.0, 0)]
    assert rows[2].region_key == "county"


def test_bar_chart_heights_are_proportional_and_grouped_by_year() -> None:
    rows = compare_rows([hit("a", 400.0, "周口市"), hit("b", 100.0, "洛阳市"),
                         hit("c", 200.0, "周口市", 2023)])
    chart = bar_chart(rows)
    assert chart is not None
    by_key = {(b.row.region, b.row.year): b for b in chart.bars}
    assert by_key[("周口市", 2024)].height == pytest.approx(4 * by_key[("洛阳市", 2024)].height,
                                                            abs=0.2)
    assert [label for _, label in chart.groups] == ["2023年", "2024年"]
    assert by_key[("周口市", 2023)].x < by_key[("周口市", 2024)].x
    assert by_key[("周口市", 2024)].color == by_key[("周口市", 2023)].color
    assert chart.ticks[-1].y <= by_key[("周口市", 2024)].y + 0.1  # top gridline covers the max
    assert bar_chart([]) is None


@pytest.mark.parametrize("maximum,step", [(426.24, 100), (9.5, 2), (0, 1), (1000, 200)])
def test_nice_step(maximum: float, step: float) -> None:
    assert nice_step(maximum) == step


# --- CSV -----------------------------------------------------------------------------------

def test_csv_has_bom_header_all_rows_and_neutralised_formulas() -> None:
    hits = [hit("=HYPERLINK(\"x\")", 426.24, "周口市", line=488), hit("负数", -5.0, "洛阳市")]
    text = "".join(csv_lines(hits, "project", "热线", "http://h"))
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[len(BOM):])))
    assert [r["name"] for r in rows] == ["'=HYPERLINK(\"x\")", "负数"]
    assert [r["amount"] for r in rows] == ["426.24", "-5.00"]
    assert rows[0]["url"] == "http://h/doc/doc-%E5%91%A8%E5%8F%A3%E5%B8%82?q=%E7%83%AD%E7%BA%BF#L488"
    assert rows[0]["city"] == "周口市" and rows[0]["line"] == "488"


def test_known_extractor_notes_are_shown_in_chinese_others_as_written() -> None:
    doc = {"notes": [
        "2024年项目支出预算表 (L395) prints no unit; read as 万元, the unit of the document's "
        "other tables",
        "page 2 could not be read (PDFNotImplementedError: Unsupported filter: /'X'); "
        "its text is missing",
        "a note nobody translated (L7)",
    ]}
    assert note_rows(doc) == [
        ("2024年项目支出预算表未印金额单位，按本文件其他表的单位（万元）读取", 395),
        ("第 2 页无法读取（PDFNotImplementedError: Unsupported filter: /'X'），该页文字缺失", None),
        ("a note nobody translated (L7)", 7),
    ]
