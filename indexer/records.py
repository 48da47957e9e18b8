"""What one parsed document becomes in the index: a document record, its passages
(sections, paragraphs and table-row blocks, each with its line range and page) and its
projects, each carrying the facets and the stored `hit` that search returns as is.

Text is analysed once here (`indexer.analysis.analyse`) into space-separated units for the
engine (indexer.engine); a document's body is its passages' units joined with a gap token,
not a second analysis of the same text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from budgetsearch.indexer.analysis import analyse
from budgetsearch.indexer.schema import GAP, GLOSSARY_FIELD, PAIRED_FIELDS, doc_number, pairs
from budgetsearch.indexer.models import DocumentFacts, Line, Project

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
# A passage is a few lines of one paragraph or one table: long enough to hold a row with
# its neighbours, short enough that its best line is the place a reader is sent to.
PASSAGE_MAX_CHARS = 600
PASSAGE_MAX_LINES = 12
# How far after a project's last row its description may run (Jiyuan prints ~50 lines).
PROJECT_CONTEXT_LINES = 60

_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|"
                      r"\([一二三四五六七八九十]+\)|附件|附表)")
_GLOSSARY = re.compile(r"^(?:第[一二三四五六七八九十]+部分\s*)?名词解释")
_TABLE_TITLE = re.compile(r"(?:表|情况表|汇总表)(?:\s*\(.*\))?$")
# A functional-classification row: `201<TAB>03<TAB>01`, `201 03 01` or `2010301`.
_CLASS_CELL = re.compile(r"(?:^|\t)(2[0-3]\d)(?:(?:\t|\s)\d{2}\b|\d{2}(?:\d{2})?(?=\t|\s|$))")


_AMOUNT_CELL = re.compile(r"^\d+\.\d+$")


def amount_band(amount: float | None) -> str | None:
    if amount is None:
        return None
    return next(label for floor, label in AMOUNT_BANDS if amount >= floor)


def class_label(code: str) -> str:
    return f"{code} {FUNCTION_CLASSES.get(code, '')}".strip()


def _pair_text(units: list[str]) -> str:
    """The pair terms of `units` as one field (indexer.schema.PAIRED_FIELDS)."""
    return " ".join(pairs(units))


def _joined(parts: list[list[str]]) -> str:
    """Units of several paragraphs as one field: a gap token between them keeps a phrase
    from matching across a paragraph or table-row boundary."""
    return f" {GAP} ".join(" ".join(part) for part in parts if part)


@dataclass
class Passage:
    heading: str
    lines: list[Line]
    glossary: bool
    starts_section: bool = False  # its first line is the heading itself
    units: list[str] = field(default_factory=list)
    pair_text: str = ""  # the pair terms of its units (indexer.schema.pairs), space-separated

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def split_passages(lines: list[Line]) -> list[Passage]:
    """Group lines into passages: a heading starts a new one, narrative and table rows
    never share one, and a passage stops growing at a few lines or a few hundred chars."""
    passages: list[Passage] = []
    heading, glossary = "", False
    current: list[Line] = []

    def flush() -> None:
        if current:
            passages.append(Passage(heading=heading, lines=list(current), glossary=glossary,
                                    starts_section=current[0].text.strip() == heading))
            current.clear()

    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        is_row = "\t" in text
        if not is_row and len(text) <= 40 and (_HEADING.match(text) or _GLOSSARY.match(text)
                                               or _TABLE_TITLE.search(text)):
            flush()
            if _GLOSSARY.match(text):
                glossary = True
            elif _PART.match(text) or _TABLE_TITLE.search(text):
                glossary = False
            heading = text
            current.append(line)
            continue
        if current and (("\t" in current[-1].text) != is_row
                        or len(current) >= PASSAGE_MAX_LINES
                        or sum(len(x.text) for x in current) >= PASSAGE_MAX_CHARS):
            flush()
        current.append(line)
    flush()
    return passages


def document_classes(lines: list[Line]) -> Counter[str]:
    """类 codes of the functional-classification rows of the document's tables, weighted
    by the first amount of each row (a class printed on many small rows, like 210 医疗,
    is not the one the money goes to)."""
    weights: Counter[str] = Counter()
    for line in lines:
        match = _CLASS_CELL.search(line.text)
        if match:
            weights[match.group(1)] += _first_amount(line.text[match.end():]) or 0.01
    return weights


def _first_amount(text: str) -> float | None:
    for cell in text.split("\t"):
        cell = cell.strip().replace(",", "")
        if _AMOUNT_CELL.match(cell):
            return float(cell)
    return None


def project_class(project: Project, text_of: dict[int, str], dominant: str | None
                  ) -> str | None:
    """The 类 printed on the project's own row(s) when there is one, else the document's.
    `text_of` maps line numbers to their text."""
    for first, last in project.lines:
        for no in range(first, last + 1):
            match = _CLASS_CELL.search(text_of[no]) if no in text_of else None
            if match:
                return match.group(1)
    return dominant


def common_facets(facts: DocumentFacts, func_class: str | None) -> dict[str, Any]:
    checks = None
    if facts.checks:
        checks = "pass" if all(c.ok for c in facts.checks) else "fail"
    values = {"province": facts.region.province, "city": facts.region.city,
              "county": facts.region.county, "department": facts.department,
              "kind": facts.kind, "checks": checks,
              "func_class": class_label(func_class) if func_class else None}
    return {k: v for k, v in values.items() if v}


def _region(facts: DocumentFacts) -> dict[str, str | None]:
    return {"province": facts.region.province, "city": facts.region.city,
            "county": facts.region.county}


# The document's fields every hit shows; passages do not store them (search copies them
# from the document record, see search.engine).
DOCUMENT_FIELDS = ("department", "region", "year", "kind", "path", "title", "format",
                   "func_class")


def _base_hit(facts: DocumentFacts, doc_id: str, path: str, func_class: str | None) -> dict:
    values = {"department": facts.department, "region": _region(facts), "year": facts.year,
              "kind": facts.kind, "path": path, "title": facts.title, "format": facts.format,
              "func_class": class_label(func_class) if func_class else None}
    return {"doc_id": doc_id, **{name: values[name] for name in DOCUMENT_FIELDS}}


def build_records(facts: DocumentFacts, lines: list[Line], doc_id: str, path: str,
                  path_key: str) -> list[dict[str, Any]]:
    """The engine records (indexer.engine fields) of one parsed file."""
    classes = document_classes(lines)
    dominant = classes.most_common(1)[0][0] if classes else None
    common = {"doc_id": doc_id, "path_key": path_key, **common_facets(facts, dominant)}
    if facts.year:
        common["year"] = facts.year
    passages = split_passages(lines)
    for passage in passages:
        passage.units = analyse(passage.text)[0]
        passage.pair_text = _pair_text(passage.units)
    records = [_document_record(facts, lines, passages, common, dominant, classes, path)]
    for n, passage in enumerate(passages):
        records.append(_passage_record(passage, n, common))
    starts = sorted(first for p in facts.projects for first, _ in p.lines)
    text_of = {line.no: line.text for line in lines}
    for n, project in enumerate(facts.projects):
        context = project_context(project, text_of, starts)
        records.append(_project_record(facts, project, n, context, text_of, common, dominant,
                                       path))
    doc_no = doc_number(doc_id)
    for seq, record in enumerate(records):
        record["seq"] = seq
        record["doc_no"] = doc_no
    return records


def project_context(project: Project, text_of: dict[int, str], starts: list[int]) -> str:
    """The text printed with a project: its rows, and after its last row the lines up to
    the next project (a per-project 绩效目标表 with 项目概况 and 项目总目标, as Jiyuan prints).
    `text_of` maps line numbers to their text."""
    if not project.lines:
        return ""
    wanted: set[int] = set()
    for first, last in project.lines:
        wanted.update(range(first, last + 1))
    last = max(end for _, end in project.lines)
    following = [s for s in starts if s > last]
    stop = min(following[0] if following else last + 1, last + PROJECT_CONTEXT_LINES + 1)
    for no in range(last + 1, stop):
        text = text_of.get(no, "")
        if _TABLE_TITLE.search(text.strip()) and "\t" not in text:
            break
        wanted.add(no)
    return "\n".join(text_of[no] for no in sorted(wanted) if no in text_of)


def _document_record(facts, lines, passages, common, dominant, classes, path) -> dict:
    amount = facts.totals.expenditure_total or facts.totals.income_total
    first = next((line for line in lines if line.text.strip()), None)
    hit = {**_base_hit(facts, common["doc_id"], path, dominant), "type": "document",
           "name": facts.title, "amount": amount, "projects": len(facts.projects),
           "classes": [class_label(c) for c, _ in classes.most_common()],
           "line": first.no if first else 1, "page": first.page if first else None,
           "text": facts.title}
    title, title_words = analyse(facts.title)
    record = {**common, "rid": common["doc_id"], "rtype": "document", "hit": hit,
              "title": " ".join(title), "title_words": " ".join(title_words),
              "body": _joined([p.units for p in passages]),
              "body_pairs": " ".join(p.pair_text for p in passages if p.pair_text),
              "facts": facts.to_dict()}
    return _with_amount(record, amount)


def _passage_record(passage: Passage, n: int, common: dict) -> dict:
    # Department, region, title and path are the document's: search fills them in from
    # the document record, so hundreds of passages do not store them again.
    hit = {"type": "passage", "doc_id": common["doc_id"], "name": passage.heading,
           "amount": None, "glossary": passage.glossary,
           "lines_text": [[line.no, line.page, line.text] for line in passage.lines]}
    # Glossary text is body text scored low (indexer.schema.GLOSSARY_WEIGHT).
    body = GLOSSARY_FIELD if passage.glossary else "body"
    record = {**common, "rid": f"{common['doc_id']}/p{n}", "rtype": "passage", "hit": hit,
              body: " ".join(passage.units), PAIRED_FIELDS[body]: passage.pair_text}
    if passage.heading and passage.starts_section:
        # Only the passage that opens the section carries its heading: repeating it on
        # every passage of a long table multiplied the heading postings for no ranking gain.
        heading, heading_words = analyse(passage.heading)
        record["heading"] = " ".join(heading)
        record["heading_words"] = " ".join(heading_words)
    return record


def _project_record(facts, project: Project, n, context, text_of, common, dominant,
                    path) -> dict:
    func_class = project_class(project, text_of, dominant)
    names = [project.name]
    if project.performance_name and project.performance_name != project.name:
        names.append(project.performance_name)
    details = [project.type or "", project.unit_name or "", project.code or ""]
    details += [f"{i.name} {i.value}" for i in project.indicators]
    details.append(context)
    first_line = project.lines[0][0] if project.lines else None
    hit = {**_base_hit(facts, common["doc_id"], path, func_class), "type": "project",
           "name": project.name, "amount": project.amount, "project_type": project.type,
           "code": project.code, "unit_name": project.unit_name,
           "performance_name": project.performance_name,
           "performance_amount": project.performance_amount,
           "line": first_line, "lines_range": [list(r) for r in project.lines],
           "page": project.page, "text": " / ".join(names)}
    analysed = [analyse(name) for name in names]
    body = analyse(" ".join(d for d in details if d))[0]
    record = {**common, "rid": f"{common['doc_id']}/j{n}", "rtype": "project", "hit": hit,
              "name": _joined([units for units, _ in analysed]),
              "name_words": " ".join(w for _, words in analysed for w in words),
              "body": " ".join(body), "body_pairs": _pair_text(body)}
    if func_class:
        record["func_class"] = class_label(func_class)
    if project.type:
        record["project_type"] = project.type
    return _with_amount(record, project.amount)


def _with_amount(record: dict, amount: float | None) -> dict:
    if amount is not None:
        record["amount"] = float(amount)
        record["amount_band"] = amount_band(amount)
    return record
