"""search() over the five seed documents: the issue-3 contract, filters, sorting, the query
language, and the same queries failing on the naive whoosh + jieba setup."""
from __future__ import annotations

import logging
import re

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, TEXT, Schema
from whoosh.qparser import MultifieldParser

from budgetsearch.indexer.index import update_index
from budgetsearch.indexer.models import BudgetSearchError
from budgetsearch.indexer.pipeline import parse_file
from budgetsearch.search.engine import QueryError, SearchRequest, get_document, list_documents, search
from budgetsearch.search.render import format_hits

SEEDS = ["zhoukou-xzfwzx-2024-budget.txt", "luolong-zwfwzx-2024-budget.md",
         "anyang-zwfwzx-2024-budget.md", "pingdingshan-gxq-xzfwzx-2024-budget.txt",
         "jiyuan-xzfwzx-2020-budget.txt"]
HOTLINE = {"12345政务服务便民热线接线员工资": 426.24, "市长热线电话受理平台升级维护和安全测评费": 30.00,
           "12345便民热线办公经费": 5.00, "12345便民热线值班带班补助": 15.92,
           "电子政务专项-12345市长热线和数字城管运维费": 344.40}
# Jiyuan 2020 projects that name neither 12345 nor 热线: only their 项目概况 / 绩效目标 mention
# the 12345 市长热线 (jiyuan-xzfwzx-2020-budget.txt, 项目本年度金额 lines 544 and 597).
HOTLINE_MENTIONS = {"电子政务专项-电子政务平台建设及运维费用1": 331.50,
                    "电子政务专项-济源市智慧城市指挥中心扩建项目": 24.00}


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, corpus_dir):
    index_dir = tmp_path_factory.mktemp("seeds") / "index"
    summary = update_index([corpus_dir / name for name in SEEDS], index_dir, progress=False)
    assert not summary.errors
    return index_dir


@pytest.fixture(scope="session")
def naive_index(tmp_path_factory, corpus_dir):
    """The same projects in a plain whoosh index analysed by jieba's stock analyzer."""
    jieba = pytest.importorskip("jieba")
    from jieba.analyse import ChineseAnalyzer

    jieba.setLogLevel(logging.WARNING)
    folder = tmp_path_factory.mktemp("naive")
    schema = Schema(name=TEXT(analyzer=ChineseAnalyzer(), stored=True),
                    city=ID(stored=True), amount=NUMERIC(float, stored=True))
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for name in SEEDS:
            facts = parse_file(corpus_dir / name).facts
            for project in facts.projects:
                writer.add_document(name=project.name, city=facts.region.city or "",
                                    amount=project.amount or 0.0)
    return ix


def naive_names(ix, text: str) -> set[str]:
    with ix.searcher() as searcher:
        q = MultifieldParser(["name"], ix.schema).parse(text)
        return {re.sub(r"\s+", "", hit["name"]) for hit in searcher.search(q, limit=None)}


def names(result: dict) -> list[str]:
    return [re.sub(r"\s+", "", hit["name"]) for hit in result["hits"]]


def run(index_dir, query: str, **options) -> dict:
    return search(index_dir, SearchRequest(query=query, **options))


def test_hotline_projects_with_amounts_and_city_facet(seed_index):
    result = run(seed_index, "12345热线")
    found = {name: hit["amount"] for name, hit in zip(names(result), result["hits"])}
    for name, amount in HOTLINE.items():
        assert found.get(name) == pytest.approx(amount), name
    assert result["facets"]["city"]["周口市"] == 2
    assert result["facets"]["city"]["洛阳市"] == 2
    assert result["facets"]["city"]["济源市"] >= 1
    assert result["total"] == len(result["hits"]) == sum(result["facets"]["city"].values())
    snippets = {name: hit["snippet"] for name, hit in zip(names(result), result["hits"])}
    # Synonyms are marked as whole phrases: 政务热线 (a member) does not mark 政务.
    assert snippets["12345政务服务便民热线接线员工资"] == (
        "<mark>12345</mark>政务服务<mark>便民热线</mark>接线员工资")


def test_hotline_sum_adds_name_matches_and_marks_mentions(seed_index):
    result = run(seed_index, "12345热线")
    where = {name: (hit["matched_in"], hit["amount"])
             for name, hit in zip(names(result), result["hits"])}
    assert where == {**{n: ("名称", a) for n, a in HOTLINE.items()},
                     **{n: ("仅描述", a) for n, a in HOTLINE_MENTIONS.items()}}
    assert result["facets"]["match"] == {"名称": 5, "仅描述": 2}
    assert result["amount_sum"] == pytest.approx(sum(HOTLINE.values()))
    assert result["amount_sum_mentions"] == pytest.approx(sum(HOTLINE_MENTIONS.values()))


def test_match_facet_keeps_name_matches_or_mentions_only(seed_index):
    named = run(seed_index, "12345热线", filters={"match": ["名称"]})
    assert set(names(named)) == set(HOTLINE)
    assert named["total"] == 5 and named["amount_sum_mentions"] == 0.0
    assert named["facets"]["match"] == {"名称": 5, "仅描述": 2}  # its own filter not applied
    mentions = run(seed_index, "12345热线", filters={"match": ["仅描述"]})
    assert set(names(mentions)) == set(HOTLINE_MENTIONS)
    assert mentions["facets"]["city"] == {"济源市": 2}
    with pytest.raises(QueryError, match="命中位置"):
        run(seed_index, "12345热线", filters={"match": ["标题"]})


def test_min_amount_keeps_only_large_projects(seed_index):
    result = run(seed_index, "12345热线", min_amount=100)
    assert result["hits"] and all(hit["amount"] >= 100 for hit in result["hits"])
    assert {"12345政务服务便民热线接线员工资", "电子政务专项-12345市长热线和数字城管运维费"} <= set(names(result))
    assert "12345便民热线办公经费" not in names(result)


def test_sort_by_amount_descending(seed_index):
    amounts = [hit["amount"] for hit in run(seed_index, "12345热线", sort="-amount")["hits"]]
    assert len(amounts) >= 5 and amounts == sorted(amounts, reverse=True)


def test_hits_carry_evidence_and_escaped_snippets(seed_index, corpus_dir):
    hit = run(seed_index, "接线员工资")["hits"][0]
    assert hit["name"] == "12345政务服务便民热线接线员工资"
    assert hit["region"] == {"province": "河南省", "city": "周口市", "county": None}
    assert hit["year"] == 2024 and hit["kind"] == "预算"
    source = hit["source"]
    line = (corpus_dir / SEEDS[0]).read_text(encoding="utf-8").splitlines()[source["line"] - 1]
    assert "接线员工资" in line.replace(" ", "")
    assert "<mark>" in hit["snippet"]
    passage = run(seed_index, "热线", type="passage")["hits"][0]
    assert re.sub(r"</?mark>", "", passage["snippet"]).count("<") == 0
    assert passage["source"]["lines"][0] <= passage["source"]["line"] <= passage["source"]["lines"][1]


def test_counts_per_type_and_document_hits(seed_index):
    result = run(seed_index, "三公经费", type="document")
    assert result["counts"]["document"] == result["total"] == 5
    assert result["counts"]["passage"] > 5
    assert all(hit["doc_id"] and hit["source"]["line"] for hit in result["hits"])


def test_phrase_query(seed_index, naive_index):
    result = run(seed_index, '"便民热线"')
    assert "12345便民热线办公经费" in names(result)
    assert "市长热线电话受理平台升级维护和安全测评费" not in names(result)
    assert naive_names(naive_index, '"便民热线"') == set()


def test_boolean_query(seed_index, naive_index):
    result = run(seed_index, "热线 NOT 12345")
    assert "市长热线电话受理平台升级维护和安全测评费" in names(result)
    assert not any("12345" in name for name in names(result))
    either = set(names(run(seed_index, "物业管理费 OR 电梯维修")))
    assert {"物业管理费", "机关电梯维修维保费"} <= either
    # Boolean operators over phrases: the stock analyzer's positions make the operands empty.
    combined = names(run(seed_index, '"便民热线" NOT 值班'))
    assert "12345便民热线办公经费" in combined and "12345便民热线值班带班补助" not in combined
    assert naive_names(naive_index, '"便民热线" NOT 值班') == set()
    alternatives = set(names(run(seed_index, '"市长热线" OR "便民热线"')))
    assert {"市长热线电话受理平台升级维护和安全测评费", "12345便民热线办公经费"} <= alternatives
    assert naive_names(naive_index, '"市长热线" OR "便民热线"') == set()


def test_field_filters_inside_the_query(seed_index, naive_index):
    result = run(seed_index, "热线 city:周口市 amount:>=100")
    assert names(result) == ["12345政务服务便民热线接线员工资"]
    assert all(hit["year"] == 2020 for hit in run(seed_index, "热线 year:2020")["hits"])
    assert naive_names(naive_index, "热线 city:周口市 amount:>=100") != {"12345政务服务便民热线接线员工资"}


def test_synonyms_expand_at_query_time(seed_index, naive_index):
    found = set(names(run(seed_index, "市长热线")))
    assert "12345便民热线办公经费" in found  # 便民热线 is a synonym of 市长热线
    assert "12345便民热线办公经费" not in naive_names(naive_index, "市长热线")


def test_user_synonyms_file_extends_the_shipped_one(seed_index, tmp_path, monkeypatch):
    assert run(seed_index, "物业费")["total"] > 0  # shipped: 物业费 / 物业管理费
    assert run(seed_index, "升降梯")["total"] == 0
    extra = tmp_path / "mine.txt"
    extra.write_text("升降梯 / 电梯维修\n", encoding="utf-8")
    monkeypatch.setenv("BUDGETSEARCH_SYNONYMS", str(extra))
    assert "机关电梯维修维保费" in names(run(seed_index, "升降梯"))


def test_facet_filters_or_within_and_across(seed_index):
    """OR within a facet, AND across facets; a facet is counted with the other facets'
    filters only, so the values a user did not pick keep their counts."""
    both = run(seed_index, "热线", filters={"city": ["周口市", "济源市"]})
    assert both["total"] == 5
    assert both["facets"]["city"] == {"济源市": 3, "周口市": 2, "洛阳市": 2}
    assert both["facets"]["year"] == {"2024": 2, "2020": 3}
    one = run(seed_index, "热线", filters={"city": ["周口市", "济源市"]}, years=[2024])
    assert one["total"] == 2 and {h["region"]["city"] for h in one["hits"]} == {"周口市"}
    assert one["facets"]["city"] == {"周口市": 2, "洛阳市": 2}
    assert one["facets"]["year"] == {"2024": 2, "2020": 3}


def test_no_match_and_bad_queries(seed_index):
    assert run(seed_index, "不存在的词汇组合甲乙丙")["total"] == 0
    for bad in ['"unclosed', "(热线", "foo:bar", "amount:>=abc", "x" * 501]:
        with pytest.raises(QueryError):
            run(seed_index, bad)
    with pytest.raises(QueryError):
        SearchRequest.from_mapping({"q": ["热线"], "per_page": ["500"]})
    with pytest.raises(QueryError):
        SearchRequest.from_mapping({"q": ["热线"], "year": ["二〇二四"]})


def test_from_mapping_reads_web_parameters(seed_index):
    request = SearchRequest.from_mapping({"q": ["热线"], "city": ["周口市"], "page": ["1"],
                                          "per_page": ["1"], "sort": ["-amount"]})
    result = search(seed_index, request)
    assert result["total"] == 2 and names(result) == ["12345政务服务便民热线接线员工资"]


def test_missing_index_says_run_index(tmp_path):
    with pytest.raises(BudgetSearchError, match="budgetsearch index"):
        run(tmp_path / "nothing", "热线")


def test_documents_listed_and_read_back(seed_index):
    docs = list_documents(seed_index)
    assert {d["id"] for d in docs} == {name.rsplit(".", 1)[0] for name in SEEDS}
    facts = get_document(seed_index, "zhoukou-xzfwzx-2024-budget")
    assert facts["path"].endswith(SEEDS[0]) and facts["id"] == "zhoukou-xzfwzx-2024-budget"
    assert facts["totals"]["project"] == pytest.approx(611.96)
    assert get_document(seed_index, "no-such-doc") is None


def test_cli_rendering(seed_index):
    text = format_hits(run(seed_index, "12345热线", sort="-amount"))
    first = text.splitlines()[0]
    assert "426.24" in first and "12345政务服务便民热线接线员工资" in first
    assert "zhoukou-xzfwzx-2024-budget.txt:488" in text
    assert "city:" in text


@pytest.mark.parametrize("query", ["三公经费", "机关运行经费"])
def test_glossary_passages_do_not_outrank_real_content(seed_index, query):
    """第三部分 名词解释 defines these terms in every document; its passages match, but
    the passages about the department's own figures come first."""
    result = run(seed_index, query, type="passage", limit=200)
    glossary = [rank for rank, hit in enumerate(result["hits"]) if hit.get("glossary")]
    assert glossary and min(glossary) >= 10


def test_a_synonym_phrase_is_marked_across_punctuation(seed_index):
    """因公出国(境)费, a member of the 三公经费 group, is marked whole although the text
    prints brackets between its words."""
    snippets = [h["snippet"] for h in run(seed_index, "三公经费", type="passage", limit=50)["hits"]]
    assert any("<mark>因公出国(境)费</mark>" in s or "<mark>因公出国（境）费</mark>" in s
               for s in snippets)


@pytest.mark.parametrize("where, year", [("query", "year:[2020 TO 99999]"),
                                          ("param", "99999999999999999999"),
                                          ("param", "12")])
def test_a_year_out_of_range_is_a_query_error_not_a_crash(seed_index, where, year):
    params = {"q": [year]} if where == "query" else {"q": ["热线"], "year": [year]}
    with pytest.raises(QueryError, match="year must be between 1900 and 2999"):
        search(seed_index, SearchRequest.from_mapping(params))


@pytest.mark.parametrize("query", ["amount:nan", "amount:[1 TO inf]", "amount:1e999"])
def test_an_amount_that_is_not_finite_is_a_query_error(seed_index, query):
    with pytest.raises(QueryError, match="amount needs a number"):
        search(seed_index, SearchRequest.from_mapping({"q": [query]}))


def test_a_quoted_stretch_of_spaces_matches_nothing(seed_index):
    result = search(seed_index, SearchRequest.from_mapping({"q": ['" "']}))
    assert (result["total"], result["hits"]) == (0, [])


def test_repeated_filters_in_the_query_are_or_ed(seed_index):
    both = run(seed_index, "city:周口市 city:济源市")
    assert set(both["facets"]["city"]) == {"周口市", "济源市"}
    assert both["total"] == (run(seed_index, "city:周口市")["total"]
                             + run(seed_index, "city:济源市")["total"])
    years = run(seed_index, "year:2020 year:2024 12345热线")
    assert set(names(years)) == set(HOTLINE) | set(HOTLINE_MENTIONS)
    # Different fields stay AND-ed.
    assert run(seed_index, "city:周口市 year:2020")["total"] == 0
    hotline_2020 = run(seed_index, "year:2020 year:2020 city:济源市 city:周口市 12345热线")
    assert set(names(hotline_2020)) == {"电子政务专项-12345市长热线和数字城管运维费",
                                        *HOTLINE_MENTIONS}


@pytest.mark.parametrize("text", ["12345热线 AND", "AND 12345热线", "(12345热线 OR)",
                                  "12345热线 AND NOT"])
def test_a_dangling_operator_is_dropped_with_a_note(seed_index, text):
    result = run(seed_index, text)
    assert set(names(result)) == set(HOTLINE) | set(HOTLINE_MENTIONS)
    assert result["notes"] and all("ignored the operator" in n for n in result["notes"])
    assert result["notes"][-1].endswith("'12345热线'") or result["notes"][-1].endswith(
        "'(12345热线)'")
    assert run(seed_index, "12345热线")["notes"] == []


@pytest.mark.parametrize("traditional,simplified", [("市長熱線", "市长热线"),
                                                     ("物業管理費", "物业管理费")])
def test_traditional_query_matches_simplified_text(seed_index, traditional, simplified):
    typed = run(seed_index, traditional)
    assert typed["total"] > 0
    assert names(typed) == names(run(seed_index, simplified))


def test_a_disclosure_in_traditional_characters_is_found_in_simplified(tmp_path, corpus_dir):
    import opencc

    text = (corpus_dir / SEEDS[0]).read_text(encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "zhoukou-traditional-2024-budget.txt").write_text(
        opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    update_index([corpus], tmp_path / "index", progress=False)
    found = run(tmp_path / "index", '"12345政务服务便民热线接线员工资"', type="passage")
    # zhoukou-xzfwzx-2024-budget.txt L488 (项目支出表) and L569 (绩效目标表) name the project.
    assert sorted(h["source"]["line"] for h in found["hits"]) == [488, 569]
    marked = [re.sub(r"\s+", "", re.search(r"<mark>(.*?)</mark>", h["snippet"]).group(1))
              for h in found["hits"]]
    assert marked == ["12345政務服務便民熱線接線員工資"] * 2


@pytest.mark.parametrize("typed,meant", [("物业管里费", "物业管理费"), ("12345热钱", "12345热线"),
                                         ("rexian", "热线"), ("三公经废", "三公经费"),
                                         ("物业 rexian", "物业 热线")])
def test_no_hits_suggest_corrections_from_the_index(seed_index, typed, meant):
    result = run(seed_index, typed)
    assert result["total"] == 0 and result["suggestions"] == [meant]


def test_no_suggestion_for_a_query_with_hits_or_nothing_close(seed_index):
    assert run(seed_index, "物业管理费")["suggestions"] == []
    assert run(seed_index, "不存在的词语组合")["suggestions"] == []


@pytest.mark.parametrize("key,short,full", [("city", "周口", "周口市"), ("province", "河南", "河南省"),
                                            ("county", "洛龙", "洛龙区"), ("city", "济源", "济源市")])
def test_a_shortened_place_name_resolves_to_the_full_name(seed_index, key, short, full):
    typed = run(seed_index, "12345热线", filters={key: [short]})
    assert typed["total"] > 0
    assert names(typed) == names(run(seed_index, "12345热线", filters={key: [full]}))
    assert typed["notes"] == [f"{key} '{short}' read as {full}"]
    assert run(seed_index, "12345热线", filters={key: [full]})["notes"] == []


def test_a_shortened_place_in_the_query_resolves_too(seed_index):
    typed = run(seed_index, "12345热线 city:周口 city:济源")
    assert typed["notes"] == ["city '周口' read as 周口市", "city '济源' read as 济源市"]
    assert set(typed["facets"]["city"]) == {"周口市", "济源市"}
    assert names(typed) == names(run(seed_index, "12345热线 city:周口市 city:济源市"))


def test_a_query_asked_again_gives_the_same_answer_and_notes_once(seed_index):
    """Parsed queries are kept between searches: the second asking must neither lose the
    note nor repeat it, and a place note added after parsing must not stick to the query."""
    first = run(seed_index, "12345热线 AND")
    again = run(seed_index, "12345热线 AND")
    assert again["notes"] == first["notes"] and len(first["notes"]) == 1
    assert names(again) == names(first)
    with_place = search(seed_index, SearchRequest.from_mapping(
        {"q": ["12345热线 AND"], "city": ["周口"]}))
    assert len(with_place["notes"]) == 2
    assert run(seed_index, "12345热线 AND")["notes"] == first["notes"]


def test_a_changed_synonyms_file_is_read_again(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    update_index([corpus_dir / "zhoukou-xzfwzx-2024-budget.txt"], index_dir, progress=False)
    before = search(index_dir, SearchRequest(query="接听员", type="project"))
    (tmp_path / "synonyms.txt").write_text("接听员 / 接线员\n", encoding="utf-8")
    after = search(index_dir, SearchRequest(query="接听员", type="project"))
    assert before["total"] == 0
    assert "12345政务服务便民热线接线员工资" in names(after)


def test_a_missing_synonyms_file_is_said_in_the_notes(seed_index, tmp_path, monkeypatch):
    missing = tmp_path / "my-synonyms.txt"
    monkeypatch.setenv("BUDGETSEARCH_SYNONYMS", str(missing))
    result = run(seed_index, "12345热线")
    assert result["notes"] == [f"the synonyms file {missing} named by BUDGETSEARCH_SYNONYMS "
                               "was not found: only the shipped synonyms are used"]
    missing.write_text("接听员 / 接线员\n", encoding="utf-8")
    assert run(seed_index, "12345热线")["notes"] == []


def test_a_query_naming_a_total_shows_that_total_on_document_hits(seed_index):
    """三公经费 on the document tab: each document answers with its 三公 figure (read from
    the seeds: tests/golden.py) and the line it was read from, not its whole spending."""
    import sys
    from pathlib import Path as P
    sys.path.insert(0, str(P(__file__).resolve().parent))
    from golden import GOLDEN

    result = search(seed_index, SearchRequest(query="三公经费", type="document", limit=50))
    figures = {P(h["source"]["path"]).name: h["figure"] for h in result["hits"]}
    for name, golden in GOLDEN.items():
        if name in figures:
            assert figures[name]["label"] == "三公经费"
            assert figures[name]["value"] == pytest.approx(golden["totals"]["sangong"])
            assert figures[name]["line"] == golden["totals_lines"]["sangong"]
    assert len(set(figures) & set(GOLDEN)) >= 4
    plain = search(seed_index, SearchRequest(query="热线", type="document"))
    assert all("figure" not in h for h in plain["hits"])


def test_an_amount_filter_on_the_passage_tab_still_counts_the_other_tabs(seed_index):
    # Passages carry no amount: under min_amount the 段落 tab is empty, and its page still
    # says what the 项目 and 文档 tabs hold (the projects read from the seeds: HOTLINE and
    # HOTLINE_MENTIONS at 100 万元 or more).
    large = {name for name, amount in {**HOTLINE, **HOTLINE_MENTIONS}.items() if amount >= 100}
    on_projects = run(seed_index, "12345热线", min_amount=100, limit=50)
    assert set(names(on_projects)) == large
    on_passages = run(seed_index, "12345热线", min_amount=100, type="passage")
    assert on_passages["total"] == 0 and on_passages["hits"] == []
    assert on_passages["counts"] == on_projects["counts"]
    assert on_passages["counts"]["project"] == len(large) and on_passages["counts"]["passage"] == 0
    assert on_passages["amount_sum"] == round(sum(
        amount for amount in {**HOTLINE, **HOTLINE_MENTIONS}.values() if amount >= 100), 2)
    assert not any(on_passages["facets"].values())


def seed_records(corpus_dir) -> list[dict]:
    from budgetsearch.indexer.records import build_records

    records = []
    for name in SEEDS:
        parsed = parse_file(corpus_dir / name)
        records += build_records(parsed.facts, parsed.lines, name, str(corpus_dir / name), name)
    return records


def test_only_the_record_types_said_to_carry_an_amount_have_one(corpus_dir):
    # The engine leaves every other type out of an amount range (schema.AMOUNT_TYPES).
    from budgetsearch.indexer.schema import AMOUNT_TYPES

    carrying = {r["rtype"] for r in seed_records(corpus_dir) if r.get("amount") is not None}
    assert carrying == set(AMOUNT_TYPES)


def test_each_record_type_has_only_the_text_fields_said_for_it(corpus_dir):
    # A query on one tab is compiled to its type's text fields (schema.TEXT_FIELDS_OF):
    # a field outside them would silently stop matching on that tab.
    from budgetsearch.indexer.schema import (
        GLOSSARY_FIELD, TEXT_FIELDS, TEXT_FIELDS_OF, WORD_FIELDS,
    )

    text_fields = {*TEXT_FIELDS, *WORD_FIELDS.values()}
    found: dict[str, set[str]] = {}
    for record in seed_records(corpus_dir):
        fields = {"body" if f == GLOSSARY_FIELD else f for f in record if record[f]}
        found.setdefault(record["rtype"], set()).update(fields & text_fields)
    assert found == {rtype: set(fields) for rtype, fields in TEXT_FIELDS_OF.items()}


@pytest.mark.parametrize("text", ["12345热线", '"便民热线"', "绩效目标", "热线 NOT 12345",
                                  "title:预算", "name:热线", "heading:收支", "物业管理费 OR 电梯维修"])
def test_a_query_compiled_for_one_record_type_ranks_its_records_as_the_whole_query(
        seed_index, text):
    # The page of a tab runs the query in that type's text fields only: the same records
    # with the same scores, in the same order.
    from budgetsearch.search.engine import _compiled, _snapshot
    from budgetsearch.search.query import make_parser, synonyms_for

    snap, synonyms = _snapshot(seed_index), synonyms_for(seed_index)
    compiled = _compiled(make_parser(synonyms), synonyms, text)
    for rtype in ("project", "document", "passage"):
        whole = snap.search(compiled.query, {}, rtype, limit=200, facets=False)
        typed = snap.search(compiled.query, {}, rtype, limit=200, facets=False,
                            page_query=compiled.of_type(rtype))
        assert typed.total == whole.total
        assert [(round(s, 5), a.segment_ord, a.doc) for s, a in typed.hits] == \
            [(round(s, 5), a.segment_ord, a.doc) for s, a in whole.hits]
    assert any(snap.search(compiled.query, {}, t, facets=False).total
               for t in ("project", "document", "passage"))
