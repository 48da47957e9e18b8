"""Record the answers of search() over the whole bundled corpus to a set of queries (every
hit's identity, the totals, tab counts, facet counts and amount sums), for
tests/test_engine_answers.py to compare the engine against.

    python tests/record_search_answers.py OUT.json

The stored file tests/data/search_answers.json was recorded with the whoosh-based index
this engine replaced (the corpus facts themselves are held by the golden tests); it uses
only the public search() API, so it runs against any engine.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (query, extra request fields): phrases, boolean operators, field filters, ranges,
# synonyms, facet filters (OR within, AND across), each record type and the sorts.
CASES: list[tuple[str, dict]] = [
    ("12345热线", {}), ("市长热线", {}), ("便民热线", {}), ('"便民热线"', {}),
    ('"政务服务"', {}), ('"12345政务服务便民热线"', {}), ("物业管理费 OR 电梯维修", {}),
    ("热线 NOT 12345", {}), ("热线 AND 补助", {}), ("(热线 OR 物业) AND 经费", {}),
    ("NOT 热线", {"type": "document"}), ("city:周口市", {}), ("year:2024 热线", {}),
    ("amount:>=100", {}), ("amount:[10 TO 50]", {}), ("type:其他运转类", {}),
    ('class:"201 一般公共服务支出"', {}), ("department:周口市行政服务中心", {}),
    ("三公经费 OR 公务接待费", {}), ("三公经费", {"type": "passage"}), ("政务热线", {}),
    ("电子政务", {"type": "document"}), ("机关运行经费", {"type": "passage"}),
    ("项目", {"filters": {"city": ["周口市", "济源市"]}}),
    ("经费", {"filters": {"city": ["周口市"], "project_type": ["业务类"]}}),
    ("经费", {"years": [2020]}), ("经费", {"min_amount": 20, "max_amount": 300}),
    ("12345热线", {"min_amount": 100, "sort": "-amount"}), ("*", {}), ("*", {"type": "document"}),
    ("*", {"type": "passage", "filters": {"kind": ["预算"]}}), ("培训", {"sort": "year"}),
    ("信息化 OR 网络", {"filters": {"amount_band": ["10-50", "100-500"]}}),
    ("title:预算", {"type": "document"}), ("name:热线", {}), ("heading:收支", {"type": "passage"}),
    ("doc_id:zhoukou-xzfwzx-2024-budget 经费", {}), ("不存在的词语组合", {}),
]


def hit_key(hit: dict) -> list:
    return [hit["type"], hit["doc_id"], hit["name"], hit["source"]["line"]]


def answers(index_dir: Path) -> list[dict]:
    from budgetsearch.search.engine import SearchRequest, search

    out = []
    for query, extra in CASES:
        request = SearchRequest(query=query, limit=200, **extra)
        result = search(index_dir, request)
        # The recorded sums add up every matching project; search() now sums the name
        # matches and the mention-only projects apart (命中位置, a facet recorded after).
        amount_sum = result["amount_sum"]
        if amount_sum is not None and "amount_sum_mentions" in result:
            amount_sum = round(amount_sum + result["amount_sum_mentions"], 2)
        facets = {k: v for k, v in result["facets"].items() if k != "match"}
        out.append({"query": query, "request": extra, "total": result["total"],
                    "counts": result["counts"], "amount_sum": amount_sum,
                    "facets": facets,
                    "hits": sorted(hit_key(h) for h in result["hits"])})
    return out


def main() -> None:
    from budgetsearch.indexer.index import update_index

    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        summary = update_index([ROOT / "corpus"], index_dir, progress=False)
        assert not summary.errors, summary.errors
        data = {"about": __doc__.strip().splitlines()[0], "cases": answers(index_dir)}
    Path(sys.argv[1]).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")


if __name__ == "__main__":
    main()
