"""The Chinese analyzer: sequential positions (phrases work), units, folding, digits."""
from __future__ import annotations

import logging

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from budgetsearch.indexer.analysis import ChineseAnalyzer, analyse, query_units, segment

NAME = "周口市12345政务服务便民热线接线员工资"


def _index(tmp_path, analyzer, texts):
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True),
                                                      body=TEXT(analyzer=analyzer)))
    with ix.writer() as writer:
        for n, text in enumerate(texts):
            writer.add_document(id=str(n), body=text)
    return ix


def _ids(ix, text):
    with ix.searcher() as searcher:
        q = QueryParser("body", ix.schema).parse(text)
        return {hit["id"] for hit in searcher.search(q)}


def test_units_take_sequential_positions_and_compounds_share_the_first():
    postings = segment("12345政务服务便民热线")
    units = [(pos, text) for pos, text in postings if text in query_units("12345政务服务便民热线")]
    assert [pos for pos, _ in units] == list(range(len(units)))
    by_text = dict((text, pos) for pos, text in postings)
    assert by_text["12345"] == 0
    assert by_text["政务服务"] == by_text["政务"]
    assert by_text["便民热线"] == by_text["便民"]


def test_phrase_query_matches_with_our_analyzer(tmp_path):
    ix = _index(tmp_path, ChineseAnalyzer(), [NAME, "便民大厅运行维护费与热线"])
    assert _ids(ix, '"便民热线"') == {"0"}
    assert _ids(ix, '"热线接线员"') == {"0"}


def test_phrase_query_fails_on_jieba_stock_analyzer(tmp_path):
    jieba = pytest.importorskip("jieba")
    from jieba.analyse import ChineseAnalyzer as JiebaAnalyzer

    jieba.setLogLevel(logging.WARNING)
    ix = _index(tmp_path, JiebaAnalyzer(), [NAME])
    # The stock analyzer stores character offsets as positions: phrases never line up.
    assert _ids(ix, '"便民热线"') == set()


def test_digits_are_searchable_alone_and_inside_words(tmp_path):
    ix = _index(tmp_path, ChineseAnalyzer(), ["12345热线", "12345 热线", "市长热线"])
    assert _ids(ix, "12345") == {"0", "1"}
    assert _ids(ix, '"12345热线"') == {"0", "1"}


def test_full_width_and_case_are_folded(tmp_path):
    ix = _index(tmp_path, ChineseAnalyzer(), ["ＰＰＰ项目１２３４５热线"])
    assert _ids(ix, "ppp") == {"0"}
    assert _ids(ix, "12345") == {"0"}


def test_domain_dictionary_words_are_indexed_whole():
    texts = {text for _, text in segment("三公经费和政府采购")}
    assert {"三公经费", "政府采购"} <= texts
    assert query_units("三公经费") == ["三公", "经费"]


def test_punctuation_is_not_indexed():
    assert all(text.strip("，。、:;()（）") for _, text in segment("收入，支出。（一）"))


def test_analyse_gives_the_units_in_order_and_the_longer_words_apart():
    units, words = analyse("12345政务服务便民热线")
    assert units == query_units("12345政务服务便民热线")
    assert units[0] == "12345" and "".join(units) == "12345政务服务便民热线"
    # The words found whole: what a query word earns its whole-word bonus from.
    assert {"12345政务服务便民热线", "政务服务", "便民热线"} <= set(words)
    assert not set(words) & set(units)


def test_traditional_characters_fold_to_simplified():
    assert query_units("市長熱線") == query_units("市长热线")
    assert query_units("物業管理費") == query_units("物业管理费")
    assert analyse("12345政務服務便民熱線") == analyse("12345政务服务便民热线")
