"""Readable text rendering of DocumentFacts for `budgetsearch extract` without --json."""
from __future__ import annotations

from budgetsearch.indexer.models import DocumentFacts


def format_amount(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def format_facts(facts: DocumentFacts) -> str:
    region = " ".join(p for p in (facts.region.province, facts.region.city, facts.region.county) if p)
    out = [f"{facts.source}", f"  {facts.title}",
           f"  部门: {facts.department or '—'}   地区: {region or '—'}   年度: {facts.year or '—'}"
           f"   类型: {facts.kind or '—'}"]
    if not facts.is_budget:
        out.append("  不是预算/决算公开文件：作为普通文档索引，不读取其中的数字")
        return "\n".join(out)
    t = facts.totals
    out.append(f"  收入总计 {format_amount(t.income_total)}  支出总计 {format_amount(t.expenditure_total)}"
               f"  基本支出 {format_amount(t.basic)}  项目支出 {format_amount(t.project)}"
               f"  三公经费 {format_amount(t.sangong)}  (万元)")
    if facts.budget_totals is not None:
        b = facts.budget_totals
        out.append(f"  年初预算: 收入总计 {format_amount(b.income_total)}  支出总计 "
                   f"{format_amount(b.expenditure_total)}  基本支出 {format_amount(b.basic)}  "
                   f"项目支出 {format_amount(b.project)}  (万元)")
    if facts.projects:
        out.append(f"  项目 ({len(facts.projects)}):")
        for p in facts.projects:
            where = ",".join(f"L{a}" if a == b else f"L{a}-{b}" for a, b in p.lines)
            out.append(f"    {format_amount(p.amount):>12}  {p.name}  [{p.type or '—'}] {where}")
    failed = [c for c in facts.checks if not c.ok]
    out.append(f"  勾稽检查: {len(facts.checks) - len(failed)}/{len(facts.checks)} 通过")
    for c in failed:
        out.append(f"    ✗ {c.rule}: 应为 {c.expected}, 实为 {c.found} {c.detail}".rstrip())
    return "\n".join(out)
