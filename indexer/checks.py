"""勾稽 checks: the figures of a disclosure check each other; a disagreement is reported.

Tolerance: source tables round to 0.01 万元 (some to 0.1), and several say so
(`报表金额单位转换时可能存在四舍五入尾数误差`), so a sum of n rounded figures may drift by
n half-units of the coarsest precision printed.
"""
from __future__ import annotations

from collections import Counter

from budgetsearch.indexer.models import Check, DocumentFacts, Evidence

RULE_INCOME_EQUALS_EXPENDITURE = "income_total_equals_expenditure_total"
RULE_BASIC_PLUS_PROJECT = "basic_plus_project_equals_expenditure_total"
RULE_PROJECTS_SUM = "projects_sum_to_project_total"
RULE_NARRATIVE_MATCHES_TABLES = "narrative_matches_tables"
RULE_PROJECT_TABLES_AGREE = "projects_match_performance_table"
RULE_LINE_ITEMS_SUM = "line_items_sum_to_table_total"
# Float noise allowed when comparing a figure with its rounded or cut form.
ROUNDING_SLACK = 1e-9


def _tolerance(*values: float | None, terms: int = 2) -> float:
    decimals = [_decimals(v) for v in values if v is not None]
    step = 10 ** -min(decimals, default=2)
    return step / 2 * max(terms, 2) + 1e-9


def _decimals(value: float) -> int:
    text = f"{value:.6f}".rstrip("0")
    return max(len(text.split(".")[1]) if "." in text else 0, 1)


def _check(rule: str, expected: float | None, found: float | None, lines: list[int],
           detail: str = "", terms: int = 2) -> Check | None:
    if expected is None or found is None:
        return None
    ok = abs(expected - found) <= _tolerance(expected, found, terms=terms)
    return Check(rule=rule, ok=ok, expected=round(expected, 6), found=round(found, 6),
                 lines=sorted(set(lines)), detail=detail)


def run_checks(facts: DocumentFacts, figures: dict, project_table, performance: list,
               char_counts: Counter[str] | None = None,
               item_totals: list[tuple[str, float, int]] = ()) -> list[Check]:
    where = {e.field: e.line for e in facts.evidence}
    reserve = next((e.value for e in facts.evidence if e.field == "reserve"), 0.0)
    t = facts.totals
    checks = [
        _check(RULE_INCOME_EQUALS_EXPENDITURE, t.income_total, t.expenditure_total,
               [where.get("income_total", 0), where.get("expenditure_total", 0)]),
        _check(RULE_BASIC_PLUS_PROJECT, t.expenditure_total,
               None if t.basic is None or t.project is None else t.basic + t.project + reserve,
               [where.get(f, 0) for f in ("expenditure_total", "basic", "project", "reserve") if f in where],
               detail=f"including 单位预留机动经费 {reserve}" if reserve else "", terms=3 if reserve else 2),
    ]
    checks.append(_projects_sum(facts, project_table))
    checks.extend(_narrative_vs_tables(figures))
    checks.extend(project_table_agreement(facts, performance, char_counts or Counter()))
    checks.extend(_line_items_sum(facts, item_totals))
    return [c for c in checks if c is not None and c.lines != [0]]


def _line_items_sum(facts: DocumentFacts, item_totals) -> list[Check | None]:
    """Each 部门预算表's line items against its 合计 row: a shortfall means rows the
    extractor could not read (or the source lost in conversion)."""
    checks = []
    for title, total, line in item_totals:
        amounts = [i.amount for i in facts.line_items if i.table == title and i.amount is not None]
        if amounts:
            checks.append(_check(RULE_LINE_ITEMS_SUM, total, sum(amounts), [line],
                                 detail=f"{title}: {len(amounts)} line items",
                                 terms=len(amounts) + 1))
    return checks


def _projects_sum(facts: DocumentFacts, project_table) -> Check | None:
    amounts = [p.amount for p in facts.projects if p.amount is not None]
    if not amounts:
        return None
    total = facts.totals.project
    line = next((e.line for e in facts.evidence if e.field == "project"), None)
    if project_table is not None and project_table.total is not None:
        total, line = project_table.total, project_table.total_line
    lines = [line or 0] + [p.lines[0][0] for p in facts.projects]
    return _check(RULE_PROJECTS_SUM, total, sum(amounts), lines, terms=len(amounts),
                  detail=f"{len(amounts)} projects")


def _narrative_vs_tables(figures: dict) -> list[Check]:
    narrative: dict[str, Evidence] = figures.get("narrative", {})
    tables: dict[str, Evidence] = figures.get("tables", {})
    out = []
    decimals: dict[str, int] = figures.get("decimals", {})
    for name in sorted(set(narrative) & set(tables)):
        n, t = narrative[name], tables[name]
        check = _check(RULE_NARRATIVE_MATCHES_TABLES, t.value, n.value, [t.line, n.line],
                       detail=f"{name}: narrative L{n.line} vs table L{t.line}")
        if check is not None and not check.ok and name in decimals:
            shortened = _shortened(t.value, n.value, decimals[name])
            if shortened:
                check.ok = True
                check.detail += f" (the narrative prints {decimals[name]} decimals, {shortened})"
        out.append(check)
    return out


def _shortened(table: float, prose: float, decimals: int) -> str | None:
    """How the prose printed the table's figure to fewer decimals: "rounded" (收入预算19,577万元
    for a table's 19,577.43) or "cut" (收入预算1,361万元 for 1,361.6271: the digits dropped, as
    some documents print); None when it is neither, a different figure."""
    step = 10 ** -decimals
    if abs(table - prose) <= step / 2 + ROUNDING_SLACK:
        return "rounded"
    if -ROUNDING_SLACK <= table - prose < step:
        return "cut"
    return None


def is_garbled(name: str, char_counts: Counter[str]) -> bool:
    """Conversion sometimes prints a row twice, once in look-alike characters
    (`王復血坝目` for `全覆盖项目`). Such a name is largely characters that occur nowhere
    else in the document: it cannot be compared, only shown."""
    cjk = [ch for ch in name if "\u4e00" <= ch <= "\u9fff"]
    rare = [ch for ch in cjk if char_counts[ch] - name.count(ch) <= 1]  # a ghost copy may hold one
    return len(rare) >= 2 and len(rare) >= 0.4 * len(cjk)


def project_table_agreement(facts: DocumentFacts, performance: list,
                            char_counts: Counter[str]) -> list[Check]:
    """Every 项目支出表 row against its 绩效目标 entry: names and amounts agree."""
    if not performance:
        return []
    out: list[Check] = []
    paired_lines = set()
    for p in facts.projects:
        if len(p.lines) < 2:
            out.append(Check(rule=RULE_PROJECT_TABLES_AGREE, ok=False, expected=p.name, found=None,
                             lines=[p.lines[0][0]],
                             detail=f"{p.name} ({p.amount}) has no entry in the 绩效目标表"))
            continue
        paired_lines.add(p.lines[1])
        if p.performance_name and p.performance_amount is None and is_garbled(p.performance_name, char_counts):
            out.append(Check(rule=RULE_PROJECT_TABLES_AGREE, ok=True, expected=f"{p.name} {p.amount}",
                             found=f"{p.performance_name} {p.amount}", lines=[p.lines[0][0], p.lines[1][0]],
                             detail=f"绩效目标表 L{p.lines[1][0]} prints this row's name garbled by conversion "
                                    f"({p.performance_name}); the amounts agree"))
        elif p.performance_name or p.performance_amount is not None:
            found_name = p.performance_name or p.name
            found_amount = p.performance_amount if p.performance_amount is not None else p.amount
            out.append(Check(rule=RULE_PROJECT_TABLES_AGREE, ok=False,
                             expected=f"{p.name} {p.amount}", found=f"{found_name} {found_amount}",
                             lines=[p.lines[0][0], p.lines[1][0]],
                             detail=f"项目支出表 L{p.lines[0][0]}: {p.name} {p.amount}; "
                                    f"绩效目标表 L{p.lines[1][0]}: {found_name} {found_amount}"))
    for entry in performance:
        if entry.lines not in paired_lines:
            out.append(Check(rule=RULE_PROJECT_TABLES_AGREE, ok=False, expected=None,
                             found=f"{entry.name} {entry.amount}", lines=[entry.lines[0]],
                             detail=f"绩效目标表 L{entry.lines[0]}: {entry.name} ({entry.amount}) "
                                    f"is not in the 项目支出表"))
    if not out:
        out.append(Check(rule=RULE_PROJECT_TABLES_AGREE, ok=True, expected=len(facts.projects),
                         found=len(performance), lines=[facts.projects[0].lines[0][0]],
                         detail="names and amounts agree"))
    return out
