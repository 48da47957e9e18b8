"""View logic of the web front end: pure functions from search results to what templates show.

Nothing here touches Flask, the index or the disk, so every rule about what a user sees (which
URL a facet link carries, how an amount is printed, which markup of a snippet is let through)
is tested without a server.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from budgetsearch.search.engine import parse_amount

# Every parameter the search page and the API read; anything else in a URL is ignored.
SEARCH_PARAMS = (
    "q", "type", "province", "city", "county", "department", "year", "kind",
    "project_type", "func_class", "amount_band", "checks", "match", "min_amount", "max_amount",
    "sort", "page", "per_page",
)
FACET_PARAMS = (
    "province", "city", "county", "department", "year", "kind", "project_type", "func_class",
    "amount_band", "checks", "match",
)
RESULT_TYPES = (("project", "项目"), ("document", "文档"), ("passage", "段落"))
SORTS = (
    ("relevance", "相关度"), ("-amount", "金额从高到低"), ("amount", "金额从低到高"),
    ("-year", "年度从新到旧"), ("year", "年度从旧到新"),
)
PER_PAGE_CHOICES = (20, 50, 100)
MAX_QUERY_CHARS = 200
MAX_VALUES_PER_PARAM = 50
MAX_PAGE = 1000
EXAMPLE_QUERIES = ("12345热线", "免费刻章", "政务服务平台", "物业管理")

FACET_LABELS = {
    "region": "地区", "province": "省", "city": "市", "county": "县/区", "year": "年度", "department": "部门", "kind": "预算/决算",
    "project_type": "项目类型", "func_class": "功能分类（类）", "amount_band": "金额区间（万元）", "checks": "勾稽校验",
    "match": "命中位置",
}
CHECK_LABELS = {
    "true": "全部通过", "false": "有未通过", "pass": "全部通过", "fail": "有未通过",
    "ok": "全部通过", "failed": "有未通过", "1": "全部通过", "0": "有未通过",
}
TYPE_LABELS = dict(RESULT_TYPES)


class ParamError(ValueError):
    """A URL parameter the app refuses before asking the index (answered with 400)."""


Params = dict[str, list[str]]


def clean_params(args: Mapping[str, Sequence[str]]) -> Params:
    """Keep the known search parameters, drop empty values, bound what a URL may ask for."""
    params: Params = {}
    for key in SEARCH_PARAMS:
        values = [v.strip() for v in args.get(key, []) if v is not None and v.strip()]
        if not values:
            continue
        if len(values) > MAX_VALUES_PER_PARAM:
            raise ParamError(f"参数 {key} 的取值过多（最多 {MAX_VALUES_PER_PARAM} 个）")
        params[key] = values
    q = first(params, "q")
    if len(q) > MAX_QUERY_CHARS:
        raise ParamError(f"查询过长（最多 {MAX_QUERY_CHARS} 个字符）")
    if first(params, "type", "project") not in TYPE_LABELS:
        raise ParamError("type 只能是 project、document 或 passage")
    page = int_param(params, "page", 1)
    if not 1 <= page <= MAX_PAGE:
        raise ParamError(f"page 须在 1 到 {MAX_PAGE} 之间")
    per_page = int_param(params, "per_page", PER_PAGE_CHOICES[0])
    if not 1 <= per_page <= max(PER_PAGE_CHOICES):
        raise ParamError(f"per_page 须在 1 到 {max(PER_PAGE_CHOICES)} 之间")
    for key in ("min_amount", "max_amount"):
        if key in params:
            number_param(params, key)
    return params


def first(params: Mapping[str, Sequence[str]], key: str, default: str = "") -> str:
    values = params.get(key) or []
    return values[0] if values else default


def int_param(params: Params, key: str, default: int) -> int:
    raw = first(params, key)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ParamError(f"{key} 须为整数：{raw}") from None


def number_param(params: Params, key: str) -> float | None:
    raw = first(params, key)
    if not raw:
        return None
    try:
        return parse_amount(raw)
    except ValueError:
        raise ParamError(f"{key} 须为有限数字（万元）：{raw}") from None


def query_string(params: Mapping[str, Sequence[str]], **overrides: Any) -> str:
    """The query string of `params` with some keys replaced (None removes a key)."""
    merged: dict[str, list[str]] = {k: list(v) for k, v in params.items()}
    for key, value in overrides.items():
        if value is None or value == "" or value == []:
            merged.pop(key, None)
        elif isinstance(value, (list, tuple)):
            merged[key] = [str(v) for v in value]
        else:
            merged[key] = [str(value)]
    pairs = [(k, v) for k in SEARCH_PARAMS for v in merged.get(k, [])]
    return urlencode(pairs)


def toggle_query(params: Params, key: str, value: str) -> str:
    """Select or unselect one facet value; a new selection starts again at page 1."""
    values = list(params.get(key, []))
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return query_string(params, **{key: values, "page": None})


def format_amount(value: float | int | None) -> str:
    """万元 with two decimals and thousands separators; an unknown amount shows as a dash."""
    if value is None:
        return "—"
    return f"{float(value):,.2f}"


_MARK_SPLIT = re.compile(r"(</?mark>)", re.IGNORECASE)


def snippet_html(snippet: str | None) -> Markup:
    """Let <mark> through and nothing else.

    The search layer escapes its snippets, but the app does not rely on it: each text piece is
    unescaped then escaped again, so already-escaped text stays as it was and raw markup
    (`<script>`) is shown as text.
    """
    out: list[str] = []
    open_marks = 0
    for piece in _MARK_SPLIT.split(snippet or ""):
        low = piece.lower()
        if low == "<mark>":
            out.append("<mark>")
            open_marks += 1
        elif low == "</mark>":
            if open_marks:
                out.append("</mark>")
                open_marks -= 1
        else:
            out.append(str(escape(html.unescape(piece))))
    out.extend("</mark>" for _ in range(open_marks))
    return Markup("".join(out))


def snippet_text(snippet: str | None) -> str:
    """The snippet as plain text (CSV, titles)."""
    return html.unescape(_MARK_SPLIT.sub("", snippet or ""))


def region_label(region: Mapping[str, Any] | None) -> str:
    """省 / 市 / 县, skipping the parts a document does not name."""
    if not region:
        return ""
    parts = [region.get(k) for k in ("province", "city", "county")]
    return " / ".join(p for p in parts if p)


def region_short(region: Mapping[str, Any] | None) -> str:
    """The most specific part of a region: the label of a bar in the compare chart."""
    if not region:
        return "未知地区"
    for key in ("county", "city", "province"):
        if region.get(key):
            return str(region[key])
    return "未知地区"


def source_url(hit: Mapping[str, Any], q: str = "", prefix: str = "") -> str | None:
    """The viewer link of a hit: /doc/<id>?q=...#L488 (plus the line range when it spans)."""
    doc_id = hit.get("doc_id")
    if not doc_id:
        return None
    source = hit.get("source") or {}
    line = source.get("line")
    lines = source.get("lines") or []
    query: list[tuple[str, str]] = []
    if q:
        query.append(("q", q))
    if len(lines) == 2 and lines[0] and lines[1] and lines[1] > lines[0]:
        query.append(("lines", f"{lines[0]}-{lines[1]}"))
    url = f"{prefix}/doc/{quote(str(doc_id), safe='')}"
    if query:
        url += "?" + urlencode(query)
    if line:
        url += f"#L{int(line)}"
    return url


def parse_line_range(raw: str | None, line_count: int) -> tuple[int, int] | None:
    """`lines=488-491` (or `488`) from a viewer URL, clipped to the document; None if bad."""
    if not raw:
        return None
    m = re.fullmatch(r"\s*(\d{1,7})(?:\s*-\s*(\d{1,7}))?\s*", raw)
    if not m:
        return None
    start = int(m.group(1))
    end = int(m.group(2) or start)
    if start > end:
        start, end = end, start
    start, end = max(start, 1), min(end, line_count)
    return (start, end) if start <= end else None


@dataclass
class PageLink:
    label: str
    query: str | None  # None: the current page or a gap
    current: bool = False


def pagination(params: Params, total: int, page: int, per_page: int) -> list[PageLink]:
    """Previous, first, a window around the current page, last, next."""
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    if pages == 1:
        return []
    wanted = {1, pages} | set(range(max(1, page - 2), min(pages, page + 2) + 1))
    links: list[PageLink] = []
    if page > 1:
        links.append(PageLink("上一页", query_string(params, page=page - 1)))
    previous = 0
    for n in sorted(wanted):
        if n - previous > 1:
            links.append(PageLink("…", None))
        links.append(PageLink(str(n), None if n == page else query_string(params, page=n),
                              current=n == page))
        previous = n
    if page < pages:
        links.append(PageLink("下一页", query_string(params, page=page + 1)))
    return links


@dataclass
class FacetValue:
    key: str
    value: str
    label: str
    count: int
    selected: bool
    query: str
    children: list[FacetValue] = field(default_factory=list)


@dataclass
class FacetGroup:
    name: str
    label: str
    values: list[FacetValue]
    more: list[FacetValue] = field(default_factory=list)  # past FACET_VALUES_SHOWN, folded


# Values listed per facet before the rest fold behind a "更多" toggle (selected ones always
# show); the region tree is not cut, its levels are short.
FACET_VALUES_SHOWN = 8


def facet_value(params: Params, key: str, value: str, count: int) -> FacetValue:
    label = CHECK_LABELS.get(value.lower(), value) if key == "checks" else value
    return FacetValue(key=key, value=value, label=label, count=count,
                      selected=value in params.get(key, []),
                      query=toggle_query(params, key, value))


def facet_values(params: Params, key: str, counts: Mapping[str, int]) -> list[FacetValue]:
    """The values of one facet, selected ones first, then by count, then by name.

    A selected value the index no longer counts still shows (with 0) so it can be unselected.
    """
    merged = {str(k): int(v) for k, v in (counts or {}).items()}
    for value in params.get(key, []):
        merged.setdefault(value, 0)
    values = [facet_value(params, key, v, c) for v, c in merged.items()]
    if key == "year":
        return sorted(values, key=lambda f: f.value, reverse=True)
    if key == "amount_band":
        return sorted(values, key=lambda f: band_floor(f.value))
    return sorted(values, key=lambda f: (not f.selected, -f.count, f.value))


def band_floor(band: str) -> float:
    """The lower bound of an amount band label ("<10" -> 0, "100-500" -> 100, ">=1000")."""
    m = re.search(r"\d+(?:\.\d+)?", band)
    if band.startswith("<") or not m:
        return 0.0 if m else float("inf")
    return float(m.group(0))


def region_tree(params: Params, facets: Mapping[str, Mapping[str, int]],
                parents: Mapping[str, str]) -> list[FacetValue]:
    """Province > city > county from three flat facets and a child -> parent map."""
    provinces = facet_values(params, "province", facets.get("province", {}))
    cities = facet_values(params, "city", facets.get("city", {}))
    counties = facet_values(params, "county", facets.get("county", {}))
    by_name: dict[str, FacetValue] = {}
    roots: list[FacetValue] = []
    for level in (provinces, cities, counties):
        for node in level:
            parent = by_name.get(parents.get(node.value, ""))
            (parent.children if parent is not None else roots).append(node)
            by_name.setdefault(node.value, node)
    return roots


def region_parents(documents: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """city -> province and county -> city, learnt from the indexed documents' regions."""
    parents: dict[str, str] = {}
    for doc in documents:
        region = doc.get("region") or {}
        province, city, county = (region.get(k) for k in ("province", "city", "county"))
        if city and province:
            parents.setdefault(city, province)
        if county and (city or province):
            parents.setdefault(county, city or province)
    return parents


def facet_groups(params: Params, facets: Mapping[str, Mapping[str, int]],
                 parents: Mapping[str, str]) -> list[FacetGroup]:
    groups = [FacetGroup("region", FACET_LABELS["region"], region_tree(params, facets, parents))]
    for key in ("match", "year", "department", "kind", "project_type", "func_class",
                "amount_band", "checks"):
        values = facet_values(params, key, facets.get(key, {}))
        if values:
            shown = [v for i, v in enumerate(values) if i < FACET_VALUES_SHOWN or v.selected]
            groups.append(FacetGroup(key, FACET_LABELS[key], shown,
                                     [v for v in values if v not in shown]))
    return [g for g in groups if g.values]


@dataclass
class ActiveFilter:
    label: str
    query: str  # the query string without this filter


def active_filters(params: Params) -> list[ActiveFilter]:
    """The chips above the results: one per selected value, each removable."""
    chips: list[ActiveFilter] = []
    for key in FACET_PARAMS:
        for value in params.get(key, []):
            shown = CHECK_LABELS.get(value.lower(), value) if key == "checks" else value
            chips.append(ActiveFilter(f"{FACET_LABELS.get(key, key)}：{shown}",
                                      toggle_query(params, key, value)))
    if "min_amount" in params:
        chips.append(ActiveFilter(f"金额 ≥ {first(params, 'min_amount')} 万元",
                                  query_string(params, min_amount=None, page=None)))
    if "max_amount" in params:
        chips.append(ActiveFilter(f"金额 ≤ {first(params, 'max_amount')} 万元",
                                  query_string(params, max_amount=None, page=None)))
    return chips


# Words of the query language that are not terms to mark in the viewer.
_OPERATORS = {"AND", "OR", "NOT"}


def query_terms(q: str, segment: Any = None) -> list[str]:
    """The words of a query worth marking in a document, longest first.

    Field filters (`city:周口市`), operators and excluded words (NOT x, -x) are dropped. `segment` splits a run of Chinese
    (12345热线 -> 12345, 热线) so the parts are marked where the source writes them apart
    (12345 政务服务便民热线).
    """
    words: list[str] = []
    negated = False
    for token in re.findall(r'"[^"]*"|\S+', q or ""):
        if token == "NOT":
            negated = True
            continue
        excluded, negated = negated or token.startswith("-"), False
        token = token.strip('"').strip().lstrip("+")
        if excluded or not token or token in _OPERATORS or re.match(r"^[A-Za-z_]+:", token):
            continue  # excluded words are absent from the hit; filters are not text
        words.append(token)
        if segment is not None:
            words.extend(w for w in segment(token) if len(w.strip()) >= 2)
    unique = {w.strip() for w in words if w.strip()}
    return sorted(unique, key=lambda w: (-len(w), w))


def mark_segments(text: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """Split `text` into (piece, is_match) so a template can wrap matches in <mark>."""
    if not terms or not text:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos:m.start()], False))
        pieces.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces or [(text, False)]


# The search layer words its refusals in English (the CLI prints them); the page says them
# in Chinese. A message not listed here is shown after a Chinese lead-in, never dropped.
_ERRORS_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"unbalanced quote"), "查询中的引号不成对：请补上另一个引号 \""),
    (re.compile(r"unbalanced parentheses.*'\)' without '\('"), "查询中的括号不成对：多了一个“)”"),
    (re.compile(r"unbalanced parentheses.*'\(' without '\)'"), "查询中的括号不成对：缺少“)”"),
    (re.compile(r"unknown sort '(?P<v>.*?)'"), "未知的排序方式“{v}”（可选：相关度、金额、年度）"),
    (re.compile(r"unknown type '(?P<v>.*?)'"), "未知的结果类型“{v}”（可选：项目、文档、段落）"),
    (re.compile(r"unknown field '(?P<v>.*?):'"), "查询中有未知的字段“{v}:”"),
    (re.compile(r"unknown filter (?P<v>.*)"), "未知的筛选项：{v}"),
    (re.compile(r"query too long"), f"查询过长（最多 {MAX_QUERY_CHARS} 个字符）"),
    (re.compile(r"min amount is larger than max amount"), "最低金额大于最高金额"),
    (re.compile(r"^(?P<v>\w+) must be a whole number, not '(?P<w>.*)'$"), "{v} 须为整数：{w}"),
    (re.compile(r"^(?P<v>\w+) must be a finite number.*not '(?P<w>.*)'$"),
     "{v} 须为有限数字（万元）：{w}"),
    (re.compile(r"page size must be between"), "每页条数超出范围"),
    (re.compile(r"page must be 1 or more"), "页码须大于等于 1"),
    (re.compile(r"^(?:cannot parse the query|bad value in the query): (?P<v>.*)$"),
     "无法理解查询：{v}"),
]


_NOTES_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"ignored the operator (?P<op>\w+): nothing on its (?P<side>left|right); "
                r"searched for '(?P<q>.*)'$"), "运算符 {op} 的{side}没有内容，已忽略；按“{q}”搜索"),
    (re.compile(r"^(?:province|city|county) '(?P<v>.*?)' read as (?P<full>.*)$"),
     "地名“{v}”按“{full}”筛选"),
]
_SIDES_ZH = {"left": "左边", "right": "右边"}


def note_in_chinese(message: str) -> str:
    """A search-layer note (how a query was read) as the Chinese page shows it."""
    for pattern, template in _NOTES_ZH:
        match = pattern.search(message)
        if match:
            values = match.groupdict()
            values["side"] = _SIDES_ZH.get(values.get("side", ""), values.get("side", ""))
            return template.format(**values)
    return f"提示：{message}"


def error_in_chinese(message: str) -> str:
    """A search-layer error as the Chinese page shows it."""
    for pattern, template in _ERRORS_ZH:
        match = pattern.search(message)
        if match:
            return template.format(**match.groupdict())
    if re.search(r"[\u4e00-\u9fff]", message) and not re.search(r"[A-Za-z]{4,}", message):
        return message
    return f"查询有误：{message}"
