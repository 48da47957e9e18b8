"""The index schema and the facet vocabulary, shared by the writer (indexer.index) and the
reader (search.engine) so both agree on field names, bands and class labels."""
from __future__ import annotations

from collections import defaultdict
from struct import pack

import numpy as np

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_uint
from whoosh.util.numeric import to_sortable

from budgetsearch.indexer.analysis import Analysed, ChineseAnalyzer

RECORD_TYPES = ("project", "document", "passage")

# Field weights for BM25F: a match in a project name or a document title says more about
# the record than one in its body text.
TEXT_FIELDS = {"name": 4.0, "title": 3.0, "heading": 1.5, "body": 1.0}

# Facets stored on every record, in the order the CLI and the web page show them.
FACET_FIELDS = ("province", "city", "county", "department", "year", "kind", "project_type",
                "func_class", "amount_band", "checks")

# Fields whose posting lists are also written flat (indexer.postings) for search.matching:
# the text fields and every ID field that is counted or filtered on.
FLAT_POSTINGS_FIELDS = (*TEXT_FIELDS, *(f for f in FACET_FIELDS if f != "year"), "rtype",
                        "doc_id")

# Lower bounds (万元) and labels of the amount bands.
AMOUNT_BANDS = ((1000.0, ">=1000"), (500.0, "500-1000"), (100.0, "100-500"),
                (50.0, "50-100"), (10.0, "10-50"), (float("-inf"), "<10"))

# 类 of the government expenditure functional classification (支出功能分类科目).
FUNCTION_CLASSES = {
    "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出",
    "205": "教育支出", "206": "科学技术支出", "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出", "209": "社会保险基金支出", "210": "卫生健康支出",
    "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
    "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出",
    "219": "援助其他地区支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
    "222": "粮油物资储备支出", "223": "国有资本经营预算支出", "224": "灾害防治及应急管理支出",
    "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出",
    "232": "债务付息支出", "233": "债务发行费用支出",
}


def _cache_missing_columns() -> None:
    """whoosh 2.7.5 checks the disk for a field-length column on every posting of a field
    that has none (ID and numeric fields), one stat() per posting when writing and per
    scored document when searching. Segment files never change once written, so the
    answer is cached on the reader."""
    from whoosh.codec import whoosh3

    reader_class = whoosh3.W3PerDocReader
    if getattr(reader_class, "_budgetsearch_cached", False):
        return
    original = reader_class._cached_reader

    def cached_reader(self, fieldname, column):
        missing = self.__dict__.setdefault("_missing_columns", set())
        if fieldname in missing:
            return None
        reader = original(self, fieldname, column)
        if reader is None:
            missing.add(fieldname)
        return reader

    reader_class._cached_reader = cached_reader
    reader_class._budgetsearch_cached = True


_cache_missing_columns()


def amount_band(amount: float | None) -> str | None:
    if amount is None:
        return None
    return next(label for floor, label in AMOUNT_BANDS if amount >= floor)


def class_label(code: str) -> str:
    return f"{code} {FUNCTION_CLASSES.get(code, '')}".strip()


def _amount_field() -> NUMERIC:
    """万元 as a sortable float. whoosh writes a float column's default without converting
    it to the column's integer form (and crashes on NaN, its own default), so the default
    is given already converted: -1, which sorts records without an amount last."""
    amount = NUMERIC(float, sortable=True)
    amount.default = to_sortable(float, 64, True, -1.0)
    amount.set_sortable(True)
    return amount


class AnalysedPositions(Positions):
    """whoosh's Positions format with two changes:
    - text the indexer analysed already (`indexer.analysis.Analysed`) is read straight
      from its postings, not through a Token object per word (a third of the time);
    - positions are stored as little-endian uint32 after whoosh's 4-byte count, not as a
      pickled list of deltas, so the flat postings file (indexer.postings) copies them as
      bytes and phrase search reads them as arrays."""

    def word_values(self, value, analyzer, **kwargs):
        if isinstance(value, Analysed):
            postings = value.postings
        else:
            kwargs.update(positions=True, mode="index")
            postings = [(t.pos, t.text) for t in analyzer(value, **kwargs)]
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for pos, text in postings:
            positions[text].append(pos)
        boost = self.field_boost
        for text, poslist in positions.items():
            yield text, len(poslist), len(poslist) * boost, self.encode(poslist)

    def __init__(self, field_boost: float = 1.0, **options) -> None:
        super().__init__(field_boost=field_boost, **options)
        # Saved with the schema in the index: an index whose format lacks it (written
        # before) keeps whoosh's pickled positions and is decoded that way.
        self.raw_positions = True

    def encode(self, poslist):
        if not getattr(self, "raw_positions", False):
            return super().encode(poslist)
        return pack_uint(len(poslist)) + pack(f"<{len(poslist)}I", *poslist)

    def decode_positions(self, valuestring):
        if not getattr(self, "raw_positions", False):
            return super().decode_positions(valuestring)
        return np.frombuffer(valuestring, dtype="<u4", offset=_INT_SIZE).tolist()


def build_schema() -> Schema:
    analyzer = ChineseAnalyzer()
    text = {name: TEXT(analyzer=analyzer, field_boost=boost, phrase=True)
            for name, boost in TEXT_FIELDS.items()}
    for name, field in text.items():
        field.format = AnalysedPositions(field_boost=TEXT_FIELDS[name])
    facets = {name: ID(stored=False, sortable=True) for name in FACET_FIELDS if name != "year"}
    return Schema(
        rid=ID(unique=True, stored=True),
        rtype=ID(sortable=True),
        doc_id=ID(stored=True),
        path_key=ID,
        year=NUMERIC(int, sortable=True, default=0),
        amount=_amount_field(),
        hit=STORED,
        facts=STORED,
        **text,
        **facets,
    )
