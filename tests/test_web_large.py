"""Large answers and hostile bytes in the web app: every CSV row or a stated cut, a long
document shown in parts, control bytes never written raw, the evidence range of a project,
facets cut with a "更多", errors in Chinese, failed files on the home page, batch search."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from budgetsearch.web import export
from budgetsearch.web.app import create_app
from budgetsearch.web.backend import InvalidQuery

HENAN = {"province": "河南省", "city": "周口市", "county": None}


def row(i: int, amount: float = 1.0, name: str | None = None, city: str = "周口市",
        year: int = 2024) -> dict[str, Any]:
    return {"type": "project", "name": name or f"项目{i}", "amount": amount,
            "region": {**HENAN, "city": city}, "year": year, "doc_id": "d",
            "department": "中心", "kind": "预算", "snippet": name or f"项目{i}",
            "source": {"path": "corpus/d.txt", "line": i + 1, "lines": [i + 1, i + 1]}}


class ManyBackend:
    """`total` synthetic hits, paged as the engine pages them; `vanish_after` hits stop
    coming (an index update removed them mid-export) while the first count stays."""

    def __init__(self, total: int, vanish_after: int | None = None) -> None:
        self.total, self.vanish_after, self.calls = total, vanish_after, 0

    def search(self, params: dict[str, list[str]]) -> dict[str, Any]:
        self.calls += 1
        q = params.get("q", [""])[0]
        if q.count('"') % 2:
            raise InvalidQuery('unbalanced quote in the query: close the "phrase"')
        if params.get("sort", ["relevance"])[0] not in ("relevance", "amount", "-amount",
                                                         "year", "-year"):
            raise InvalidQuery(f"unknown sort '{params['sort'][0]}' (one of: relevance)")
        page, per_page = int(params.get("page", ["1"])[0]), int(params.get("per_page", ["20"])[0])
        available = self.total if self.vanish_after is None else self.vanish_after
        start, end = (page - 1) * per_page, min(page * per_page, available)
        facets = {"department": {f"部门{i}": 20 - i for i in range(12)}}
        return {"query": q, "type": "project", "total": self.total, "hits":
                [row(i) for i in range(start, max(start, end))], "facets": facets,
                "amount_sum": float(self.total), "counts": {"project": self.total}}

    def document(self, doc_id: str) -> dict[str, Any] | None:
        return DOC if doc_id == "d" else None

    def documents(self) -> list[dict[str, Any]]:
        return [DOC]


DOC = {"id": "d", "path": "corpus/d.txt", "title": "周口市行政服务中心2024年部门预算",
       "year": 2024, "kind": "预算", "region": HENAN, "department": "周口市行政服务中心",
       "unit": "万元", "totals": {}, "evidence": [], "format": "text",
       "projects": [{"name": "12345热线", "amount": 426.24, "lines": [[488, 488], [568, 570]]}],
       "checks": [{"rule": "projects_match_performance_table", "ok": True, "expected": 1,
                   "found": 1, "lines": [488]}]}


class Reader:
    def __init__(self, lines: list[Any]) -> None:
        self._lines = lines

    def lines(self, stored_path: str, indexed: str | None = None) -> list[Any]:
        return self._lines

    def resolve(self, stored_path: str, indexed: str | None = None) -> Path:
        return Path(stored_path)


def client(backend: Any, line_count: int = 600, text: str = "第{}行 12345热线",
           **kwargs: Any) -> Any:
    lines = [SimpleNamespace(no=i, text=text.format(i), page=None)
             for i in range(1, line_count + 1)]
    app = create_app(Path("unused"), Path("unused"), backend=backend, reader=Reader(lines),
                     segment=lambda s: [s], **kwargs)
    return app.test_client()


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_csv_streams_every_row_past_100000() -> None:
    backend = ManyBackend(100_005)
    response = client(backend).get("/api/search.csv?q=x")
    rows = csv_rows(response)
    assert response.status_code == 200
    assert len(rows) == 1 + 100_005
    assert rows[-1][0] == "项目100004"
    assert [r[0] for r in rows[1:4]] == ["项目0", "项目1", "项目2"]


def test_csv_cut_by_the_row_limit_says_so_in_its_last_line(monkeypatch: Any) -> None:
    from budgetsearch.web import app as app_module

    monkeypatch.setattr(app_module, "CSV_MAX_ROWS", 50)
    rows = csv_rows(client(ManyBackend(120)).get("/api/search.csv?q=x"))
    assert len(rows) == 1 + 50 + 1
    assert rows[-1][0] == ("# 已截断：只取前 50 行，共 120 行"
                           "（单次上限 50 行；请加筛选条件分批查看）")
    assert export.CSV_MAX_ROWS >= 1_000_000


def test_csv_cut_by_an_index_update_says_so() -> None:
    rows = csv_rows(client(ManyBackend(500, vanish_after=230)).get("/api/search.csv?q=x"))
    assert len(rows) == 1 + 230 + 1
    assert rows[-1][0] == "# 已截断：取到 230 行，开始时共 500 行（期间索引有更新，请重试）"


def test_complete_csv_has_no_cut_line() -> None:
    rows = csv_rows(client(ManyBackend(7)).get("/api/search.csv?q=x"))
    assert [r[0] for r in rows] == ["name"] + [f"项目{i}" for i in range(7)]


def test_long_document_is_shown_in_parts_of_2000_lines() -> None:
    c = client(ManyBackend(1), line_count=4500)
    first = c.get("/doc/d").get_data(as_text=True)
    assert first.count('<div class="line') == 2000
    assert 'id="L2000"' in first and 'id="L2001"' not in first
    assert 'href="?part=3">第 4001–4500 行</a>' in first
    third = c.get("/doc/d?part=3").get_data(as_text=True)
    assert third.count('<div class="line') == 500 and 'id="L4001"' in third
    # a link to a marked line opens the part that holds it
    marked = c.get("/doc/d?q=%E7%83%AD%E7%BA%BF&lines=2500-2501").get_data(as_text=True)
    assert 'id="L2500"' in marked and 'id="L1"' not in marked
    assert marked.count('class="line hl"') == 2


def test_short_document_has_no_parts() -> None:
    html = client(ManyBackend(1), line_count=600).get("/doc/d").get_data(as_text=True)
    assert html.count('<div class="line') == 600 and 'class="parts"' not in html


def test_sidebar_links_to_a_line_in_another_part_carry_the_part() -> None:
    c = client(ManyBackend(1), line_count=4500)
    html = c.get("/doc/d?part=2").get_data(as_text=True)
    assert 'href="?part=1#L488">12345热线</a>' in html


def test_project_link_marks_its_row_and_its_performance_entry_lighter() -> None:
    html = client(ManyBackend(1)).get("/doc/d?lines=488-570#L488").get_data(as_text=True)
    assert html.count('class="line hl"') == 1
    assert 'class="line hl" id="L488"' in html
    assert [f'id="L{n}"' for n in (568, 569, 570)] == \
        [f'id="L{n}"' for n in (568, 569, 570) if f'class="line hl2" id="L{n}"' in html]
    assert html.count('class="line hl2"') == 3


def test_other_ranges_are_marked_as_asked() -> None:
    html = client(ManyBackend(1)).get("/doc/d?lines=10-12").get_data(as_text=True)
    assert html.count('class="line hl"') == 3 and "hl2" not in html.replace(".hl2", "")


@pytest.mark.parametrize("raw", ["\x00", "\x1b[31m", "\x07", "\x9b", "\x7f"])
def test_control_bytes_of_a_document_never_reach_the_page(raw: str) -> None:
    c = client(ManyBackend(1), line_count=3, text="热线" + raw + "尾{}")
    html = c.get("/doc/d?q=热线").get_data(as_text=True)
    assert raw not in html
    assert f"\\u{ord(raw[0]):04x}" in html


def test_control_bytes_in_hits_never_reach_the_search_page() -> None:
    class Hostile(ManyBackend):
        def search(self, params: dict[str, list[str]]) -> dict[str, Any]:
            result = super().search(params)
            result["hits"] = [row(0, name="热线\x1b]0;pwned\x07\x00")]
            return result

    html = client(Hostile(1)).get("/search?q=热线").get_data(as_text=True)
    assert "\x1b" not in html and "\x00" not in html and "\x07" not in html
    assert "热线\\u001b]0;pwned\\u0007\\u0000" in html


def test_facets_past_eight_values_fold_behind_more() -> None:
    html = client(ManyBackend(3)).get("/search?q=x").get_data(as_text=True)
    group = html[html.index('data-group="department"'):]
    group = group[:group.index("</section>")]
    shown, more = group.split('class="facet-more"')
    assert shown.count('data-facet="department"') == 8
    assert "更多（另有 4 项）" in more and more.count('data-facet="department"') == 4


@pytest.mark.parametrize("url,message", [
    ('/search?q=%22abc', "查询中的引号不成对"),
    ("/search?q=x&sort=bogus", "未知的排序方式“bogus”"),
])
def test_errors_on_the_page_are_in_chinese(url: str, message: str) -> None:
    response = client(ManyBackend(1)).get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert "unbalanced" not in html and "unknown sort" not in html


def test_check_names_are_shown_in_chinese() -> None:
    html = client(ManyBackend(1)).get("/doc/d").get_data(as_text=True)
    assert "项目支出表与绩效目标表一致" in html
    assert "projects_match_performance_table" not in html


def test_home_page_names_the_files_that_could_not_be_indexed() -> None:
    errors = ["corpus/broken.pdf: not a PDF (no %PDF header)", "corpus/empty.txt: empty file"]
    html = client(ManyBackend(1), index_errors=errors).get("/").get_data(as_text=True)
    assert "2 个文件未能索引" in html
    assert "<li>corpus/broken.pdf: not a PDF (no %PDF header)</li>" in html
    assert "<li>corpus/empty.txt: empty file</li>" in html
    assert "未能索引" not in client(ManyBackend(1)).get("/").get_data(as_text=True)


def test_a_page_past_the_last_says_so_and_links_to_the_last() -> None:
    html = client(ManyBackend(45)).get("/search?q=x&page=9").get_data(as_text=True)
    assert "没有找到结果" not in html and "没有匹配的" not in html
    assert "第 9 页已超出结果范围：共 45 条，3 页。" in html
    assert 'href="/search?q=x&amp;page=3">转到最后一页</a>' in html


class Recording(ManyBackend):
    def __init__(self) -> None:
        super().__init__(3)
        self.seen: list[dict[str, list[str]]] = []

    def search(self, params: dict[str, list[str]]) -> dict[str, Any]:
        self.seen.append(params)
        return super().search(params)


def test_batch_upload_keeps_the_form_filters_and_gives_a_row_per_term() -> None:
    backend = Recording()
    c = client(backend)
    data = {"city": "周口市", "file": (io.BytesIO("热线\r\n刻章\n\n热线\n".encode("gb18030")),
                                          "terms.txt")}
    html = c.post("/batch", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert html.count('<tr class="batch-row">') == 2
    assert {p["q"][0] for p in backend.seen} == {"热线", "刻章"}
    assert all(p["city"] == ["周口市"] and p["type"] == ["project"] for p in backend.seen)
    assert "按地区和年度" in html and "周口市 2024：3 个，3.00" in html


def test_batch_refuses_too_many_terms_in_chinese() -> None:
    terms = "\n".join(f"词{i}" for i in range(101))
    response = client(ManyBackend(1)).post("/batch", data={"terms": terms})
    assert "词太多（101 个，最多 100 个）" in response.get_data(as_text=True)
    api = client(ManyBackend(1)).get("/api/batch.csv", query_string={"terms": terms})
    assert api.status_code == 400 and "词太多" in api.get_json()["error"]


def test_compare_page_cut_by_its_row_limit_says_so(monkeypatch: Any) -> None:
    from budgetsearch.web import app as app_module

    monkeypatch.setattr(app_module, "COMPARE_MAX_ROWS", 10)
    html = client(ManyBackend(25)).get("/compare?q=x").get_data(as_text=True)
    assert "10 个项目" in html
    assert "已截断：只取前 10 行，共 25 行（单次上限 10 行；请加筛选条件分批查看）" in html
