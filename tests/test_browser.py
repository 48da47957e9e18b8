"""The search page in a real browser (Chromium via Playwright) over an index of corpus/.

What a user does first: search 12345热线, narrow by city, set a minimum amount, open the
source of a project, download the CSV. Screenshots go to test-output/ for a human to look at.
"""
from __future__ import annotations

import csv
import io
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OUT = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (.ci/run does)",
                    pytrace=False)
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} "
                "(apt-get install chromium fonts-wqy-zenhei)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

HOTLINE_CITIES = {"周口市", "洛阳市", "济源市"}


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[str]:
    from waitress import create_server

    from budgetsearch.indexer.index import update_index
    from budgetsearch.web.app import create_app

    index_dir = tmp_path_factory.mktemp("browser") / "index"
    update_index([corpus_dir], index_dir, progress=False)
    server = create_server(create_app(index_dir, corpus_dir), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page: Any, name: str, full_page: bool = False) -> None:
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)


def table_rows(page: Any) -> list[dict[str, str]]:
    """The project table as the user reads it: name, amount, region of every row."""
    return page.eval_on_selector_all("#results tbody tr.hit", """rows => rows.map(r => ({
        name: r.querySelector('td.name .name-text').innerText.trim(),
        matched: r.dataset.matched,
        amount: r.querySelector('td.amount').innerText.trim(),
        region: r.querySelector('td.region').innerText.trim()}))""")


def amount(text: str) -> float:
    return float(text.replace(",", ""))


def search_hotline(page: Any, base_url: str) -> list[dict[str, str]]:
    page.goto(base_url + "/")
    page.fill("input[name=q]", "12345热线")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results tbody tr.hit")
    return table_rows(page)


def test_hotline_search_lists_projects_of_three_cities(page: Any, base_url: str) -> None:
    rows = search_hotline(page, base_url)
    shot(page, "search")
    cities = {city for row in rows for city in HOTLINE_CITIES if city in row["region"]}
    assert cities == HOTLINE_CITIES, rows
    assert all("热线" in row["name"] for row in rows[:3])
    assert parse_qs(urlsplit(page.url).query)["q"] == ["12345热线"]


def test_city_facet_narrows_the_table_and_the_url_and_back_restores(page: Any,
                                                                     base_url: str) -> None:
    before = search_hotline(page, base_url)
    page.click("a.facet[data-facet=city][data-value='周口市']")
    page.wait_for_url(re.compile(r"city="))
    after = table_rows(page)
    shot(page, "search-city")
    assert parse_qs(urlsplit(page.url).query)["city"] == ["周口市"]
    assert 0 < len(after) < len(before)
    assert all("周口市" in row["region"] for row in after)
    page.go_back()
    page.wait_for_url(lambda url: "city=" not in url)
    assert table_rows(page) == before


def test_min_amount_leaves_only_projects_of_at_least_100(page: Any, base_url: str) -> None:
    before = search_hotline(page, base_url)
    assert any(amount(r["amount"]) < 100 for r in before)  # the filter has work to do
    page.fill("input[name=min_amount]", "100")
    page.press("input[name=min_amount]", "Enter")
    page.wait_for_url(re.compile(r"min_amount=100"))
    after = table_rows(page)
    shot(page, "search-min-amount")
    assert after and all(amount(r["amount"]) >= 100 for r in after)
    assert len(after) == sum(1 for r in before if amount(r["amount"]) >= 100)


def test_source_link_opens_the_viewer_at_the_highlighted_line(page: Any, base_url: str) -> None:
    rows = search_hotline(page, base_url)
    name = rows[0]["name"]
    page.click("#results tbody tr.hit >> nth=0 >> a.source-link")
    page.wait_for_url(re.compile(r"/doc/[^?#]+\?q=.*#L\d+$"))
    anchor = urlsplit(page.url).fragment
    target = page.locator(f"#{anchor}")
    target.wait_for()
    shot(page, "viewer")
    assert "target" in (target.get_attribute("class") or "")
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")
    line_text = re.sub(r"\s+", "", target.inner_text())
    assert re.sub(r"\s+", "", name) in line_text
    box = target.bounding_box()
    assert box and 0 <= box["y"] <= 900 - box["height"]  # scrolled into view
    assert target.locator("mark").count() >= 1  # query terms marked


def test_csv_download_has_the_rows_of_the_table(page: Any, base_url: str) -> None:
    rows = search_hotline(page, base_url)
    total = int(page.inner_text("#total"))
    assert total == len(rows)  # the whole result is on this page, so the CSV must match it
    with page.expect_download() as info:
        page.click("#csv-link")
    data = Path(info.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode("utf-8"))
    records = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["name"], float(r["amount"]), r["matched_in"]) for r in records] == \
        [(row["name"], amount(row["amount"]), row["matched"]) for row in rows]


def test_search_basics_work_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400,
                                                                       "height": 900})
    page = context.new_page()
    try:
        before = search_hotline(page, base_url)
        page.click("a.facet[data-facet=city][data-value='洛阳市']")
        page.wait_for_url(re.compile(r"city="))
        assert all("洛阳市" in row["region"] for row in table_rows(page))
        page.go_back()
        page.wait_for_url(lambda url: "city=" not in url)
        page.select_option("select[name=sort]", "-amount")
        page.click("button:has-text('应用')")
        page.wait_for_url(re.compile(r"sort=-amount"))
        amounts = [amount(row["amount"]) for row in table_rows(page)]
        assert amounts == sorted(amounts, reverse=True) and len(amounts) == len(before)
    finally:
        context.close()


def test_compare_page_draws_bars_for_each_city(page: Any, base_url: str) -> None:
    page.goto(base_url + "/compare?q=12345热线")
    page.wait_for_selector("figure.chart svg rect")
    shot(page, "compare", full_page=True)
    labels = page.inner_text("figcaption.legend")
    for region in ("周口市", "洛龙区", "济源市"):  # a bar is named by its most specific part
        assert region in labels
    assert page.locator("figure.chart > svg a rect").count() >= 3


DOCS = ROOT / "docs"
PHONE = {"width": 390, "height": 844}


def doc_shot(page: Any, name: str, full_page: bool = False) -> None:
    """A screenshot kept with the README (docs/), looked at when the page changes. A plain
    test run writes it to test-output/ so the tracked pictures change only when asked for
    (BUDGETSEARCH_DOC_SHOTS=1)."""
    folder = DOCS if os.environ.get("BUDGETSEARCH_DOC_SHOTS") == "1" else OUT
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


@pytest.fixture()
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def page_width(page: Any) -> int:
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, "
                         "document.body.scrollWidth)")


@pytest.mark.parametrize("path", [
    "/", "/search?q=12345热线", "/search?q=12345热线&type=passage",
    "/doc/zhoukou-xzfwzx-2024-budget?q=12345热线&lines=488-570#L488",
    "/compare?q=12345热线", "/batch?terms=12345热线%0A免费刻章",
])
def test_pages_fit_a_phone_without_horizontal_scrolling(phone: Any, base_url: str,
                                                        path: str) -> None:
    phone.goto(base_url + path)
    phone.wait_for_load_state("load")
    assert page_width(phone) <= PHONE["width"], path


def test_phone_search_folds_facets_behind_a_button_and_shows_cards(phone: Any,
                                                                   base_url: str) -> None:
    phone.goto(base_url + "/search?q=12345热线")
    button = phone.locator("summary.facets-button")
    assert button.is_visible()
    assert not phone.locator("aside.facets").is_visible()  # folded
    rows = phone.locator("#results tbody tr.hit")
    assert rows.count() >= 5
    first = rows.nth(0)
    assert first.evaluate("el => getComputedStyle(el).display") == "block"  # a card
    box = first.bounding_box()
    assert box and box["width"] <= PHONE["width"]
    doc_shot(phone, "phone-search")
    button.click()
    assert phone.locator("aside.facets").is_visible()
    phone.click("a.facet[data-facet=city][data-value='周口市']")
    phone.wait_for_url(re.compile(r"city="))
    assert all("周口市" in r["region"] for r in table_rows(phone))
    phone.goto(base_url + "/")
    doc_shot(phone, "phone-home")


def test_desktop_search_shows_facets_without_a_button(page: Any, base_url: str) -> None:
    search_hotline(page, base_url)
    assert not page.locator("summary.facets-button").is_visible()
    assert page.locator("aside.facets").is_visible()
    assert page.locator("#results tbody tr.hit").nth(0).evaluate(
        "el => getComputedStyle(el).display") == "table-row"
    doc_shot(page, "search")


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, PHONE])
def test_project_link_marks_its_row_and_lighter_its_performance_entry(
        browser: Any, base_url: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base_url + "/search?q=12345热线&city=周口市&sort=-amount")
        page.click("#results tbody tr.hit >> nth=0 >> a.source-link")
        page.wait_for_url(re.compile(r"#L488$"))
        # 周口 prints the project's 项目支出表 row at L488 and its 绩效目标表 entry at L568-570
        marked = page.eval_on_selector_all(".line.hl", "els => els.map(e => e.id)")
        lighter = page.eval_on_selector_all(".line.hl2", "els => els.map(e => e.id)")
        assert marked == ["L488"]
        assert lighter == ["L568", "L569", "L570"]
        strong = page.eval_on_selector("#L488", "el => getComputedStyle(el).backgroundColor")
        light = page.eval_on_selector("#L568", "el => getComputedStyle(el).backgroundColor")
        assert strong != light
        box = page.locator("#L488").bounding_box()
        assert box and 0 <= box["y"] <= viewport["height"] - box["height"]
        doc_shot(page, "viewer" if viewport["width"] > 900 else "phone-viewer")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, PHONE])
def test_batch_search_page_gives_one_row_per_term(browser: Any, base_url: str,
                                                  viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(base_url + "/")
        page.click("text=批量搜索")
        page.fill("textarea[name=terms]", "12345热线\n免费刻章\n\"引号")
        page.click("button:has-text('批量搜索')")
        page.wait_for_selector("#batch-results")
        terms = page.eval_on_selector_all("tr.batch-row td.term", "els => els.map(e => e.innerText)")
        assert terms == ["12345热线", "免费刻章", "\"引号"]
        assert "查询中的引号不成对" in page.inner_text("tr.batch-row >> nth=2")
        hotline = page.locator("tr.batch-row").nth(0)
        count = int(hotline.locator(".projects-count").inner_text())
        assert count >= 5
        assert "周口市" in hotline.locator(".regions").inner_text()
        assert page_width(page) <= viewport["width"]
        doc_shot(page, "batch" if viewport["width"] > 900 else "phone-batch", full_page=True)
        with page.expect_download() as info:
            page.click("#batch-csv")
        records = list(csv.DictReader(io.StringIO(
            Path(info.value.path()).read_bytes().decode("utf-8-sig"))))
        assert [r["term"] for r in records if not r["region"]] == terms
        assert int(records[0]["projects"]) == count
    finally:
        context.close()


@pytest.fixture(scope="module")
def broken_corpus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a corpus of one seed and two files that cannot be indexed, started
    the way `serve` starts it (the index run's failures go to the home page)."""
    import shutil

    from waitress import create_server

    from budgetsearch.web.app import create_app
    from budgetsearch.web.serve import prepare_index

    base = tmp_path_factory.mktemp("broken")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "zhoukou-xzfwzx-2024-budget.txt", corpus)
    (corpus / "empty.txt").write_text("")
    (corpus / "scan.pdf").write_bytes(b"not a pdf at all")
    errors = prepare_index(base / "index", corpus)
    server = create_server(create_app(base / "index", corpus, index_errors=errors),
                           host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, PHONE])
def test_home_page_lists_the_files_that_could_not_be_indexed(
        browser: Any, broken_corpus_url: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(broken_corpus_url + "/")
        box = page.locator("#index-errors")
        assert box.is_visible()
        assert page.inner_text("#index-errors h2") == "2 个文件未能索引"
        items = page.eval_on_selector_all("#index-errors li", "els => els.map(e => e.innerText)")
        assert [Path(i.split(": ", 1)[0]).name for i in items] == ["empty.txt", "scan.pdf"]
        assert all(": " in i and i.split(": ", 1)[1] for i in items)  # each with its cause
        assert page_width(page) <= viewport["width"]
        doc_shot(page, "home-errors" if viewport["width"] > 900 else "phone-home-errors")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, PHONE])
def test_headline_sum_adds_name_matches_and_marks_mentions(browser: Any, base_url: str,
                                                           viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base_url + "/search?q=12345热线&per_page=100")
        rows = table_rows(page)
        mentions = [r for r in rows if r["matched"] == "仅描述"]
        named = [r for r in rows if r["matched"] == "名称"]
        assert mentions and named and len(mentions) + len(named) == len(rows)
        marks = page.locator("tr.mention-only .mention-mark")
        assert marks.count() == len(mentions) and marks.nth(0).is_visible()
        assert amount(page.inner_text("#headline-sum")) == pytest.approx(
            sum(amount(r["amount"]) for r in named))
        assert page.locator("#mention-sum").is_visible()
        assert page_width(page) <= viewport["width"]
        doc_shot(page, "search-mentions" if viewport != PHONE else "phone-search-mentions")
        page.goto(base_url + "/search?q=12345热线&per_page=100&match=名称")
        assert {r["matched"] for r in table_rows(page)} == {"名称"}
        assert len(table_rows(page)) == len(named)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, PHONE])
def test_no_hits_offer_a_suggestion_and_the_tab_with_matches(browser: Any, base_url: str,
                                                             viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base_url + "/search?q=rexian")
        page.click("#suggestions a")
        page.wait_for_url(re.compile(r"q=%E7%83%AD%E7%BA%BF"))
        assert int(page.inner_text("#total")) > 0
        page.goto(base_url + "/search?q=三公经费")
        assert page.locator("#elsewhere").is_visible()
        assert page_width(page) <= viewport["width"]
        doc_shot(page, "no-project-hits" if viewport != PHONE else "phone-no-project-hits")
        page.click("#elsewhere a >> text=段落")
        page.wait_for_url(re.compile(r"type=passage"))
        assert int(page.inner_text("#total")) > 0
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, PHONE])
def test_document_tab_answers_with_the_total_the_query_names(browser: Any, base_url: str,
                                                             viewport: dict[str, int]) -> None:
    """三公经费 on the 文档 tab: each document shows its 三公 figure, and its 来源 link opens
    the viewer at the line that figure was read from (周口: 4.50 万元, L450, tests/golden.py)."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base_url + "/search?q=三公经费&type=document&per_page=50")
        figures = page.locator("#results .figure")
        assert figures.count() == page.locator("#results .hit").count() > 0
        zhoukou = page.locator("#results .hit", has_text="周口市").locator(".figure")
        assert "三公经费：4.50 万元" in zhoukou.inner_text()
        assert page_width(page) <= viewport["width"]
        doc_shot(page, "document-figure" if viewport != PHONE else "phone-document-figure")
        zhoukou.locator("a").click()
        page.wait_for_url(re.compile(r"#L450$"))
        assert "4.50" in page.locator("#L450").inner_text()
    finally:
        context.close()
