"""HTTP behaviour of the web app (Flask test client): pages, API contract, CSV, errors, safety.

Two set-ups: a small in-memory backend shaped like the search contract (fast, and able to
return hostile snippets the real search layer would never produce), and a real index built
from corpus/ plus a hostile document, in a session-scoped temporary directory.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from budgetsearch.indexer.models import Line
from budgetsearch.web.app import create_app
from budgetsearch.web.backend import DocumentReader, InvalidQuery
from budgetsearch.web.export import BOM

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
README = ROOT / "README.md"

HENAN = "河南省"


def project(name: str, amount: float | None, city: str, doc_id: str, path: str, line: int,
            year: int = 2024, county: str | None = None) -> dict[str, Any]:
    return {"type": "project", "name": name, "amount": amount, "department": f"{city}行政服务中心",
            "region": {"province": HENAN, "city": city, "county": county}, "year": year,
            "kind": "预算", "doc_id": doc_id, "project_type": "其他运转类",
            "snippet": name.replace("热线", "<mark>热线</mark>"),
            "source": {"path": path, "line": line, "lines": [line, line]}}


HOTLINE = [
    project("12345政务服务便民热线接线员工资", 426.24, "周口市", "zhoukou",
            "corpus/zhoukou-xzfwzx-2024-budget.txt", 488),
    project("市长热线电话受理平台升级维护和安全测评费", 30.0, "周口市", "zhoukou",
            "corpus/zhoukou-xzfwzx-2024-budget.txt", 491),
    project("12345便民热线值班带班补助", 15.92, "洛阳市", "luolong",
            "corpus/luolong-zwfwzx-2024-budget.md", 424, county="洛龙区"),
    project("电子政务专项-12345市长热线和数字城管运维费", 300.0, "济源市", "jiyuan",
            "corpus/jiyuan-xzfwzx-2020-budget.txt", 491, year=2020),
    project("<script>alert(1)</script>热线", 1.0, "<img src=x onerror=alert(1)>", "evil",
            "corpus/evil.txt", 1),
]
DOCS = {
    "zhoukou": {"id": "zhoukou", "path": "corpus/zhoukou-xzfwzx-2024-budget.txt",
                "title": "周口市行政服务中心2024年部门预算", "year": 2024, "kind": "预算",
                "region": {"province": HENAN, "city": "周口市", "county": None},
                "department": "周口市行政服务中心", "unit": "万元",
                "totals": {"project": 611.96}, "evidence": [], "format": "text",
                "projects": [{"name": HOTLINE[0]["name"], "amount": 426.24,
                              "lines": [[488, 488]]}],
                "checks": [{"rule": "项目支出合计", "ok": False, "expected": 611.96,
                            "found": 600.0, "lines": [488], "detail": ""}]},
    "outside": {"id": "outside", "path": "/etc/passwd", "title": "x", "region": {}},
    "dotdot": {"id": "dotdot", "path": "corpus/../../../../etc/passwd", "title": "x",
               "region": {}},
}


class FakeBackend:
    """Filters, facets, pagination and amount_sum as the search contract describes them."""

    def search(self, params: dict[str, list[str]]) -> dict[str, Any]:
        q = (params.get("q") or [""])[0]
        if "((" in q:
            raise InvalidQuery("括号不匹配")
        matched = [h for h in HOTLINE if "热线" in q]
        values = {"city": lambda h: h["region"]["city"], "year": lambda h: str(h["year"])}

        def kept(h: dict, leave_out: str | None = None) -> bool:
            if params.get("min_amount") and (h["amount"] or 0) < float(params["min_amount"][0]):
                return False
            return all(values[k](h) in params[k] for k in values
                       if k != leave_out and params.get(k))

        hits = [h for h in matched if kept(h)]
        if (params.get("sort") or [""])[0] == "-amount":
            hits.sort(key=lambda h: -(h["amount"] or 0))
        page = int((params.get("page") or ["1"])[0])
        per_page = int((params.get("per_page") or ["20"])[0])
        # A facet is counted with the other facets' filters only (the engine's contract).
        facets: dict[str, dict[str, int]] = {"province": {}, "city": {}, "county": {}, "year": {}}
        for key in facets:
            for h in (h for h in matched if kept(h, leave_out=key)):
                value = str(h["year"]) if key == "year" else h["region"][key]
                if value:
                    facets[key][value] = facets[key].get(value, 0) + 1
        return {"query": q, "type": (params.get("type") or ["project"])[0], "total": len(hits),
                "facets": facets, "hits": [dict(h, source=dict(h["source"])) for h in
                                           hits[(page - 1) * per_page: page * per_page]],
                "amount_sum": sum(h["amount"] or 0 for h in hits),
                "counts": {"project": len(hits), "document": 3, "passage": 9}}

    def document(self, doc_id: str) -> dict[str, Any] | None:
        return DOCS.get(doc_id)

    def documents(self) -> list[dict[str, Any]]:
        return [d for d in DOCS.values() if d.get("year")]


def plain_parse(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    lines = [Line(i, t) for i, t in enumerate(text.splitlines(), 1)]
    return SimpleNamespace(source=SimpleNamespace(lines=lines))


@pytest.fixture()
def fake_client(tmp_path: Path) -> Any:
    reader = DocumentReader(CORPUS, parse=plain_parse)
    app = create_app(tmp_path / "index", CORPUS, backend=FakeBackend(), reader=reader,
                     segment=lambda s: re.findall(r"\d+|[^\d\s]{2,}", s))
    return app.test_client()


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr class="hit"', html)


# --- pages over the fake backend -----------------------------------------------------------

def test_search_page_shows_projects_with_amounts_sum_and_source_links(fake_client: Any) -> None:
    response = fake_client.get("/search?q=12345热线")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(rows_of(html)) == 5
    assert '<td class="num amount">426.24</td>' in html
    assert 'id="amount-sum">773.16<' in html  # 426.24 + 30 + 15.92 + 300 + 1
    assert 'href="/doc/zhoukou?q=12345%E7%83%AD%E7%BA%BF#L488"' in html
    assert '12345政务服务便民<mark>热线</mark>接线员工资' in html


def test_facet_links_toggle_values_and_nest_cities_under_provinces(fake_client: Any) -> None:
    html = fake_client.get("/search?q=热线").get_data(as_text=True)
    links = re.findall(r'href="/search\?([^"]+)"\s+data-facet="city" data-value="周口市"', html)
    assert len(links) == 1
    assert parse_qs(links[0].replace("&amp;", "&")) == {"q": ["热线"], "city": ["周口市"]}
    narrowed = fake_client.get("/search?q=热线&city=周口市").get_data(as_text=True)
    assert len(rows_of(narrowed)) == 2
    assert 'data-facet="city" data-value="周口市" aria-pressed="true"' in narrowed
    province = narrowed.index('data-value="河南省"')
    assert province < narrowed.index('data-value="周口市"')


def test_a_selected_facet_still_offers_its_other_values_to_or_with(fake_client: Any) -> None:
    html = fake_client.get("/search?q=热线&city=周口市").get_data(as_text=True)
    link = re.search(r'href="/search\?([^"]+)"\s+data-facet="city" data-value="济源市"', html)
    assert link, "济源市 must stay selectable next to the selected 周口市"
    assert parse_qs(link.group(1).replace("&amp;", "&"))["city"] == ["周口市", "济源市"]
    assert re.search(r'data-value="济源市"[^>]*>\s*<span class="box"[^>]*>☐</span>\s*'
                     r'<span class="label">济源市</span>\s*<span class="count">1</span>', html)
    both = fake_client.get("/search?q=热线&city=周口市&city=济源市").get_data(as_text=True)
    assert len(rows_of(both)) == 3


def test_search_without_query_or_filter_goes_home(fake_client: Any) -> None:
    response = fake_client.get("/search")
    assert response.status_code == 302 and urlsplit(response.location).path == "/"


def test_home_page_shows_stats_and_example_queries(fake_client: Any) -> None:
    html = fake_client.get("/").get_data(as_text=True)
    for example in ("12345热线", "免费刻章", "政务服务平台", "物业管理"):
        assert f">{example}</a>" in html
    assert "<strong>1</strong><span>份文档</span>" in html


def test_viewer_shows_every_line_with_anchor_mark_highlight_and_facts(fake_client: Any) -> None:
    html = fake_client.get("/doc/zhoukou?q=12345热线&lines=488-489").get_data(as_text=True)
    source = (CORPUS / "zhoukou-xzfwzx-2024-budget.txt").read_text(encoding="utf-8")
    assert html.count('<div class="line') == len(source.splitlines())
    line = re.search(r'<div class="line hl" id="L488">(.*?)</div>', html)
    assert line and "<mark>12345</mark>政务服务便民<mark>热线</mark>" in line.group(1)
    assert '<div class="line hl" id="L489">' in html and 'id="L490"' in html
    assert "勾稽校验未通过 1 项" in html
    assert '<a href="#L488">12345政务服务便民热线接线员工资</a>' in html


def test_compare_page_draws_one_bar_per_region_and_year(fake_client: Any) -> None:
    html = fake_client.get("/compare?q=热线").get_data(as_text=True)
    assert html.count("<rect x=") == 4  # 周口市, 洛龙区, hostile city (2024); 济源市 (2020)
    assert "2020年" in html and "2024年" in html
    assert "456.24" in html  # 周口市's two projects summed


# --- API contract --------------------------------------------------------------------------

def test_api_search_follows_the_contract_and_adds_source_urls(fake_client: Any) -> None:
    data = fake_client.get("/api/search?q=热线&min_amount=100&sort=-amount").get_json()
    assert data["total"] == 2 and [h["amount"] for h in data["hits"]] == [426.24, 300.0]
    assert set(data) >= {"query", "type", "total", "facets", "hits"}
    url = data["hits"][0]["source"]["url"]
    assert url == "http://localhost/doc/zhoukou?q=%E7%83%AD%E7%BA%BF#L488"


def test_csv_streams_every_matching_row_not_one_page(fake_client: Any) -> None:
    response = fake_client.get("/api/search.csv?q=热线&per_page=1&page=2")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["name"] for r in rows] == [h["name"] for h in HOTLINE]
    assert rows[0]["amount"] == "426.24" and rows[0]["line"] == "488"


def test_api_doc_returns_the_facts_with_id(fake_client: Any) -> None:
    data = fake_client.get("/api/doc/zhoukou").get_json()
    assert data["id"] == "zhoukou" and data["projects"][0]["amount"] == 426.24


# --- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("url,status", [
    ("/doc/nosuchdoc", 404), ("/doc/nosuchdoc/raw", 404), ("/api/doc/nosuchdoc", 404),
    ("/nowhere", 404), ("/search?q=热线&page=0", 400), ("/search?q=热线&per_page=5000", 400),
    ("/search?q=" + "热" * 201, 400), ("/search?q=((热线", 400), ("/api/search?q=((", 400),
    ("/api/search.csv?q=((", 400), ("/search?q=热线&min_amount=abc", 400),
    ("/search?q=热线&type=secret", 400), ("/compare?q=热线&page=-1", 400),
])
def test_bad_requests_get_an_error_page_not_a_traceback(fake_client: Any, url: str,
                                                        status: int) -> None:
    response = fake_client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == status
    assert "Traceback" not in body and "File \"" not in body
    if url.startswith("/api/"):
        assert response.get_json()["status"] == status
    else:
        assert f"<h1>{status}</h1>" in body


def test_post_is_refused(fake_client: Any) -> None:
    assert fake_client.post("/search?q=热线").status_code == 405


# --- safety --------------------------------------------------------------------------------

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


@pytest.mark.parametrize("url", ["/search?q=", "/compare?q=", "/doc/zhoukou?q="])
def test_query_is_escaped_everywhere_it_is_echoed(fake_client: Any, url: str) -> None:
    html = fake_client.get(url + XSS + "热线").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_hit_fields_are_shown_as_text(fake_client: Any) -> None:
    html = fake_client.get("/search?q=热线").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>热线</mark>" in html


def test_security_headers(fake_client: Any) -> None:
    response = fake_client.get("/search?q=热线")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", [
    "/doc/..%2F..%2Fetc%2Fpasswd", "/doc/..%2F..%2Fetc%2Fpasswd/raw", "/doc/../../etc/passwd",
    "/api/doc/..%2Fsecret", "/doc/%2Fetc%2Fpasswd/raw", "/doc/outside", "/doc/outside/raw",
    "/doc/dotdot/raw", "/doc/x%00y/raw", "/static/..%2F..%2Fapp.py",
    "/static/../../../../etc/passwd",
])
def test_paths_outside_the_corpus_are_never_served(fake_client: Any, url: str) -> None:
    response = fake_client.get(url)
    assert response.status_code == 404
    assert "root:" not in response.get_data(as_text=True)


def test_raw_serves_the_original_file_as_a_download(fake_client: Any) -> None:
    response = fake_client.get("/doc/zhoukou/raw")
    path = CORPUS / "zhoukou-xzfwzx-2024-budget.txt"
    assert response.status_code == 200 and response.data == path.read_bytes()
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Security-Policy"] == "sandbox"


# --- documentation -------------------------------------------------------------------------

def test_readme_documents_every_url_parameter_the_app_reads() -> None:
    from budgetsearch.web.views import SEARCH_PARAMS

    text = README.read_text(encoding="utf-8")
    if "## Web interface" not in text:
        pytest.fail("README has no '## Web interface' section")
    section = text.split("## Web interface", 1)[1].split("\n## ", 1)[0]
    missing = [p for p in (*SEARCH_PARAMS, "lines", "download") if f"`{p}" not in section]
    assert not missing, f"README's Web interface section does not mention: {missing}"


# --- a real index: corpus seeds plus a hostile document ------------------------------------

SEEDS = ("zhoukou-xzfwzx-2024-budget.txt", "luolong-zwfwzx-2024-budget.md",
         "jiyuan-xzfwzx-2020-budget.txt", "jiangsu-shengwei-bangongting-2019-budget-tables.pdf")


def hostile_text() -> str:
    """The Zhoukou budget with markup planted in a heading, a project name and the body."""
    lines = (CORPUS / SEEDS[0]).read_text(encoding="utf-8").splitlines()
    lines = [line.replace("互联网专线接入费", "<img src=x onerror=alert(1)>互联网专线接入费")
             for line in lines]
    lines.insert(1, "恶意测试 <script>alert(1)</script> 文本")
    return "\n".join(lines).replace("周口市", "恶意市") + "\n"


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import shutil

    from budgetsearch.indexer.index import update_index

    root = tmp_path_factory.mktemp("web-real")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in SEEDS:
        shutil.copy(CORPUS / name, corpus / name)
    (corpus / "hostile-2024-budget.txt").write_text(hostile_text(), encoding="utf-8")
    update_index([corpus], root / "index", progress=False)
    app = create_app(root / "index", corpus)
    return SimpleNamespace(client=app.test_client(), corpus=corpus)


def doc_ids(real: Any) -> dict[str, str]:
    docs = real.client.get("/api/documents").get_json()
    return {Path(d["path"]).name: d["id"] for d in docs}


def test_real_api_search_hotline_contract(real: Any) -> None:
    data = real.client.get("/api/search?q=12345热线&type=project&per_page=100").get_json()
    cities = {h["region"]["city"] for h in data["hits"]}
    assert {"周口市", "洛阳市", "济源市"} <= cities
    assert set(data["facets"]["city"]) >= {"周口市", "洛阳市", "济源市"}
    zhoukou = [h for h in data["hits"] if h["amount"] == 426.24 and
               h["source"]["path"].endswith(SEEDS[0])]
    assert zhoukou and zhoukou[0]["source"]["line"] == 488
    assert zhoukou[0]["source"]["url"].endswith("#L488")
    assert zhoukou[0]["source"]["url"].startswith("http://localhost/doc/")
    assert data["amount_sum"] == pytest.approx(
        sum(h["amount"] or 0 for h in data["hits"] if h["matched_in"] == "名称"))


def test_real_compare_agrees_with_csv_and_sums_name_matches(real: Any) -> None:
    query = "q=12345热线"
    compare = real.client.get(f"/api/compare?{query}").get_json()
    text = real.client.get(f"/api/search.csv?{query}&type=project").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip(BOM))))
    named = [r for r in rows if r["matched_in"] == "名称"]
    assert {r["matched_in"] for r in rows} == {"名称", "仅描述"}
    assert sum(c["amount"] for c in compare) == pytest.approx(
        sum(float(r["amount"]) for r in named))
    jiyuan = [c for c in compare if c["region"] == "济源市" and c["year"] == 2020]
    # Only 电子政务专项-12345市长热线和数字城管运维费 names the hotline in Jiyuan's 2020 budget.
    assert [c["amount"] for c in jiyuan] == [344.40]
    html = real.client.get(f"/search?{query}").get_data(as_text=True)
    assert "仅描述提到" in html and 'id="mention-sum"' in html and "命中位置" in html
    page = real.client.get(f"/compare?{query}").get_data(as_text=True)
    total = re.search(r'id="compare-sum">([\d,.]+)<', page)
    assert total and float(total.group(1).replace(",", "")) == pytest.approx(
        sum(c["amount"] for c in compare))


def test_real_csv_matches_the_json_hits(real: Any) -> None:
    query = "q=12345热线&type=project"
    hits = real.client.get(f"/api/search?{query}&per_page=100").get_json()["hits"]
    text = real.client.get(f"/api/search.csv?{query}&per_page=1").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip(BOM))))
    assert [(r["name"], r["line"]) for r in rows] == \
        [(h["name"], str(h["source"]["line"])) for h in hits]


def test_real_source_link_lands_on_the_project_line(real: Any) -> None:
    data = real.client.get("/api/search?q=12345热线&city=周口市").get_json()
    hit = next(h for h in data["hits"] if h["amount"] == 426.24 and
               h["source"]["path"].endswith(SEEDS[0]))
    url = urlsplit(hit["source"]["url"])
    html = real.client.get(f"{url.path}?{url.query}").get_data(as_text=True)
    line = re.search(rf'<div class="line[^"]*" id="{url.fragment}">(.*?)</div>', html)
    assert line and "接线员工资" in re.sub(r"<[^>]+>", "", line.group(1))


def test_real_document_text_markup_is_shown_as_text(real: Any) -> None:
    hostile = doc_ids(real)["hostile-2024-budget.txt"]
    pages = [f"/doc/{hostile}", f"/doc/{hostile}?q=alert", "/search?q=alert&type=passage",
             "/search?q=alert&type=document", "/search?q=互联网专线接入费",
             "/search?q=互联网专线接入费&type=passage", "/compare?q=互联网专线接入费", "/"]
    for url in pages:
        response = real.client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "<script>alert" not in html and "<img src=x" not in html, url
    viewer = real.client.get(f"/doc/{hostile}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in viewer
    assert "&lt;img src=x onerror=alert(1)&gt;" in viewer


def test_real_viewer_shows_the_extractors_notes_with_their_lines(real: Any) -> None:
    luolong = doc_ids(real)["luolong-zwfwzx-2024-budget.md"]
    html = real.client.get(f"/doc/{luolong}").get_data(as_text=True)
    notes = re.search(r'<section class="notes">(.*?)</section>', html, re.S)
    assert notes and "提取说明" in notes.group(1)
    items = re.findall(r"<li>(.*?)</li>", notes.group(1), re.S)
    assert len(items) == 7
    assert items[0] == '<a href="#L142">L142</a> 2024年单位收支预算表未印金额单位，按本文件其他表的单位（万元）读取'


def test_real_pdf_lines_link_their_pages_and_raw_opens_inline(real: Any) -> None:
    pdf = doc_ids(real)["jiangsu-shengwei-bangongting-2019-budget-tables.pdf"]
    html = real.client.get(f"/doc/{pdf}").get_data(as_text=True)
    assert f'href="/doc/{pdf}/raw#page=1"' in html and f'href="/doc/{pdf}/raw#page=2"' in html
    raw = real.client.get(f"/doc/{pdf}/raw")
    assert raw.status_code == 200 and raw.headers["Content-Type"] == "application/pdf"
    assert raw.headers["Content-Disposition"].startswith("inline")
    assert raw.data == (real.corpus / SEEDS[3]).read_bytes()


@pytest.mark.parametrize("url", [
    "/doc/..%2F..%2Fetc%2Fpasswd", "/doc/..%2F..%2Fetc%2Fpasswd/raw", "/api/doc/..%2F..",
    "/doc/unknown-id/raw", "/doc/%2E%2E/raw", "/doc/.../raw",
])
def test_real_traversal_probes_get_404(real: Any, url: str) -> None:
    response = real.client.get(url)
    assert response.status_code == 404
    assert "root:" not in response.get_data(as_text=True)


def test_real_home_lists_the_indexed_documents(real: Any) -> None:
    html = real.client.get("/").get_data(as_text=True)
    assert "<strong>5</strong><span>份文档</span>" in html
    for doc_id in doc_ids(real).values():
        assert f'href="/doc/{doc_id}"' in html


# --- serve ---------------------------------------------------------------------------------

def test_prepare_index_builds_once_then_finds_nothing_to_do(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    from budgetsearch.web.serve import prepare_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / SEEDS[0]).write_bytes((CORPUS / SEEDS[0]).read_bytes())
    prepare_index(tmp_path / "index", corpus)
    first_run = capsys.readouterr().err
    prepare_index(tmp_path / "index", corpus)
    second_run = capsys.readouterr().err
    assert "building" in first_run and "1 added" in first_run
    assert "updating" in second_run and "nothing to do" in second_run


def test_serve_refuses_a_missing_corpus(tmp_path: Path) -> None:
    from budgetsearch.indexer.models import BudgetSearchError
    from budgetsearch.web.serve import serve

    with pytest.raises(BudgetSearchError, match="corpus directory not found"):
        serve(tmp_path / "index", tmp_path / "nowhere", port=0)


def test_real_page_says_how_a_dangling_operator_was_read(real: Any) -> None:
    html = real.client.get("/search?q=12345热线 AND").get_data(as_text=True)
    assert "运算符 AND 的右边没有内容，已忽略；按“12345热线”搜索" in html
    data = real.client.get("/api/search?q=12345热线 AND").get_json()
    assert data["total"] == real.client.get("/api/search?q=12345热线").get_json()["total"] > 0


@pytest.mark.parametrize("typed,meant", [("物业管里费", "物业管理费"), ("12345热钱", "12345热线"),
                                         ("rexian", "热线")])
def test_real_no_hits_suggest_a_query_from_the_index(real: Any, typed: str, meant: str) -> None:
    data = real.client.get(f"/api/search?q={typed}").get_json()
    assert data["total"] == 0 and data["suggestions"] == [meant]
    html = real.client.get(f"/search?q={typed}").get_data(as_text=True)
    link = re.search(r'id="suggestions">您是不是要找：<a href="([^"]+)">([^<]+)</a>', html)
    assert link and link.group(2) == meant
    followed = real.client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(r'id="total">[1-9]', followed)
    assert real.client.get(f"/api/search?q={meant}").get_json()["suggestions"] == []


@pytest.mark.parametrize("query", ["三公经费", "公务用车"])
def test_real_no_project_hits_say_where_the_matches_are(real: Any, query: str) -> None:
    data = real.client.get(f"/api/search?q={query}").get_json()
    assert data["total"] == 0 and data["counts"]["passage"] > 0
    html = real.client.get(f"/search?q={query}").get_data(as_text=True)
    note = re.search(r'<p class="elsewhere" id="elsewhere">(.*?)</p>', html)
    assert note, html
    links = dict((label, (href.replace("&amp;", "&"), int(n))) for href, n, label in
                 re.findall(r'<a href="([^"]+)">(\d+) 个(文档|段落)</a>', note.group(1)))
    assert links["段落"][1] == data["counts"]["passage"]
    assert links.get("文档", (None, 0))[1] == data["counts"]["document"]
    passages = real.client.get(links["段落"][0]).get_data(as_text=True)
    assert f'id="total">{data["counts"]["passage"]}<' in passages


def test_real_shortened_city_parameter_resolves_through_the_gazetteer(real: Any) -> None:
    short = real.client.get("/api/search?q=12345热线&city=周口").get_json()
    full = real.client.get("/api/search?q=12345热线&city=周口市").get_json()
    assert short["total"] == full["total"] > 0
    assert [h["name"] for h in short["hits"]] == [h["name"] for h in full["hits"]]
    html = real.client.get("/search?q=12345热线&city=周口").get_data(as_text=True)
    assert "地名“周口”按“周口市”筛选" in html


def test_document_tab_shows_the_total_the_query_names(real: Any) -> None:
    page = real.client.get("/search?q=三公经费&type=document").get_data(as_text=True)
    # 周口 prints its 三公 as 4.50 万元 (golden), its whole spending is 1,056.07.
    assert re.search(r'三公经费：<strong>4\.50</strong> 万元 · <a href="/doc/[^"]+\?lines=450#L450">', page)
    assert "三公经费：" not in real.client.get("/search?q=热线&type=document").get_data(as_text=True)


def test_passage_tab_under_an_amount_range_says_passages_carry_no_amount(real: Any) -> None:
    html = real.client.get("/search?q=12345热线&type=passage&min_amount=100").get_data(
        as_text=True)
    assert "没有匹配的段落" in html and 'id="no-amounts"' in html
    # The other tabs keep their counts under the filter: the projects of 100 万元 or more.
    assert re.search(r"查看 \d+ 个项目结果", html)
    projects = real.client.get("/search?q=12345热线&type=project&min_amount=100").get_data(
        as_text=True)
    assert 'id="no-amounts"' not in projects and rows_of(projects)
