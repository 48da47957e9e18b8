"""The header-driven reading of the standard tables: column roles, row labels, the 栏次 row,
two years side by side, 决算 columns, prose totals, the title block. Small fixtures, whole
structures asserted."""
from budgetsearch.indexer.extract import document_title, department_raw, extract_facts
from budgetsearch.indexer.models import Evidence, Line, SourceDocument, Totals
from budgetsearch.indexer.normalize import normalize_lines
from budgetsearch.indexer.tables import (
    ColumnRole,
    column_roles,
    find_tables,
    is_column_number_row,
    is_year_header,
    row_label,
)
from budgetsearch.indexer.totals import table_kind, tables_totals


def lines(text: str) -> list[Line]:
    return normalize_lines([Line(no=i + 1, text=t) for i, t in enumerate(text.split("\n"))])


def facts(text: str):
    ls = lines(text)
    source = SourceDocument(path="fixture.txt", format="text", encoding="utf-8", lines=ls)
    return extract_facts(source, ls, find_tables(ls))


# A 收支总表 whose 基本支出 heading spans 人员经费 and 公用经费 (Shanghai's layout), in 元.
OVERVIEW_SPANNED = """2026年预算单位财务收支预算总表
单位:元
本年收入\t\t本年支出
项目\t预算数\t项目\t预算数
\t\t\t合计\t基本支出\t\t项目支出
\t\t\t\t人员经费\t公用经费
一、财政拨款收入\t195774300\t一、一般公共服务支出\t134339860\t93654340\t20825520\t19860000
收入总计\t195774300\t支出总计\t195774300\t153268740\t21802560\t20703000"""


def test_column_roles_from_a_spanned_header():
    [table] = find_tables(lines(OVERVIEW_SPANNED))
    assert column_roles(table) == {
        1: ColumnRole("total", ""), 3: ColumnRole("total", ""), 4: ColumnRole("basic", ""),
        5: ColumnRole("basic", ""), 6: ColumnRole("project", ""),
    }


def test_spanned_basic_is_the_sum_of_its_sub_columns_because_that_adds_up():
    found = tables_totals(find_tables(lines(OVERVIEW_SPANNED)), 2026)
    assert found == {
        "income_total": Evidence("income_total", 19577.43, 8),
        "expenditure_total": Evidence("expenditure_total", 19577.43, 8),
        "basic": Evidence("basic", 17507.13, 8),
        "project": Evidence("project", 2070.3, 8),
    }


def test_row_labels():
    assert [row_label(c) for c in ["一、收入总计", "合 计", "(一)基本支出", "1、本年收入合计:", "2026年"]] == [
        "收入总计", "合计", "基本支出", "本年收入合计", "2026年"]


def test_column_number_rows():
    assert is_column_number_row(["栏次", "1", "2", "3", "4"])
    assert is_column_number_row(["", "", "1", "2", "3"])
    assert not is_column_number_row(["合计", "120.00", "100.00", "20.00"])
    assert not is_column_number_row(["一、基本支出", "1", "5", "9"])


# 栏次 under the header; basic and project printed only as columns of the unit's 合计 row.
EXPENDITURE_WITH_COLUMN_NUMBERS = """支出总表
单位:万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
栏次\t\t1\t2\t3
\t合计\t1056.07\t444.11\t611.96
201\t一般公共服务支出\t1056.07\t444.11\t611.96"""


def test_column_number_row_is_not_data_and_columns_give_basic_and_project():
    [table] = find_tables(lines(EXPENDITURE_WITH_COLUMN_NUMBERS))
    assert [r.cells for r in table.rows][0] == ["", "合计", "1056.07", "444.11", "611.96"]
    assert tables_totals([table], 2026) == {
        "expenditure_total": Evidence("expenditure_total", 1056.07, 5),
        "basic": Evidence("basic", 444.11, 5),
        "project": Evidence("project", 611.96, 5),
    }


# Last year and this year side by side: the document's year is read.
TWO_YEARS = """收支预算总表
单位:万元
收入\t\t\t支出
项目\t2025年预算数\t2026年预算数\t项目\t2025年预算数\t2026年预算数
收入总计\t900.00\t1000.00\t支出总计\t900.00\t1000.00"""


def test_two_years_side_by_side_take_the_documents_year():
    [table] = find_tables(lines(TWO_YEARS))
    assert tables_totals([table], 2026) == {
        "income_total": Evidence("income_total", 1000.0, 5),
        "expenditure_total": Evidence("expenditure_total", 1000.0, 5),
    }
    assert tables_totals([table], 2025)["income_total"].value == 900.0


# A 决算: 行次 column, 年初预算数 / 调整预算数 / 决算数 per side.
FINAL_ACCOUNTS = """某某局2025年度部门决算
收入支出决算总表
单位:万元
收入\t\t\t\t\t支出
项目\t行次\t年初预算数\t调整预算数\t决算数\t项目\t行次\t年初预算数\t调整预算数\t决算数
一、一般公共预算财政拨款收入\t1\t500.00\t520.00\t515.50\t一、一般公共服务支出\t31\t500.00\t520.00\t515.50
收入总计\t30\t500.00\t520.00\t515.50\t支出总计\t60\t500.00\t520.00\t515.50
支出决算表
单位:万元
项目\t本年支出合计\t基本支出\t项目支出
合计\t515.50\t400.25\t115.25
“三公”经费支出决算表
单位:万元
预算数\t\t\t\t决算数
合计\t因公出国(境)费\t公务用车购置及运行费\t公务接待费\t合计\t因公出国(境)费\t公务用车购置及运行费\t公务接待费
6.00\t0\t5.00\t1.00\t4.20\t0\t3.80\t0.40"""


def test_final_accounts_totals_are_the_actuals_and_the_plan_is_kept():
    f = facts(FINAL_ACCOUNTS)
    assert (f.kind, f.year) == ("决算", 2025)
    assert f.totals == Totals(income_total=515.5, expenditure_total=515.5, basic=400.25,
                              project=115.25, sangong=4.2)
    assert f.budget_totals == Totals(income_total=500.0, expenditure_total=500.0)
    assert [(e.field, e.value, e.line) for e in f.evidence] == [
        ("income_total", 515.5, 7), ("expenditure_total", 515.5, 7), ("basic", 400.25, 11),
        ("project", 115.25, 11), ("sangong", 4.2, 16)]


def test_budget_documents_have_no_budget_totals():
    assert facts(EXPENDITURE_WITH_COLUMN_NUMBERS).budget_totals is None


def test_prose_totals_in_yuan_and_wan():
    f = facts("2026年某某中心部门预算\n二、收支预算情况\n本单位总收入154,991,108.01元，总支出154,991,108.01元。")
    assert f.totals == Totals(income_total=15499.110801, expenditure_total=15499.110801)
    assert [(e.field, e.line) for e in f.evidence] == [("income_total", 3), ("expenditure_total", 3)]
    f = facts("2026年,某某局收入预算51036.22万元,其中财政拨款收入51036.22万元。\n"
              "支出预算51036.22万元,其中基本支出预算1000万元。")
    assert (f.totals.income_total, f.totals.expenditure_total) == (51036.22, 51036.22)
    assert [(e.field, e.value, e.line) for e in f.evidence] == [
        ("income_total", 51036.22, 1), ("expenditure_total", 51036.22, 2), ("basic", 1000.0, 2)]


def test_title_block_split_over_lines_names_the_unit():
    ls = lines("首页 > 政务公开 > 预算公开\n- 1 -\n2026 年度\n福州市某某管理中心\n单位预算\n目录")
    title = document_title(ls)
    assert title == "2026 年度 福州市某某管理中心 单位预算"
    assert department_raw(ls, title) == "福州市某某管理中心"


def test_title_block_after_site_menus():
    ls = lines("网站首页\n新闻中心\n政务公开\n通知公告\n2026 年度\n某某市某某局部门预算信息公开\n一、部门职责")
    assert document_title(ls) == "2026 年度 某某市某某局部门预算信息公开"


def test_a_cover_line_restating_the_title_is_not_repeated():
    # Covers print the title twice, the year moved (苏州/无锡 2026 budgets).
    ls = lines("2026 年度某某市科学技术局单位预算公开\n某某市科学技术局2026年度单位预算公开\n目录")
    assert document_title(ls) == "2026 年度某某市科学技术局单位预算公开"


def test_the_cover_ends_at_a_unit_line_or_a_table_row():
    # A 绩效目标 form opens with its title, the department field, then the unit or the grid.
    ls = lines("某某局2026年项目支出绩效目标表(含转移支付项目)\n部门名称:某某局\n单位:万元\n"
               "项目名称\t总计\t财政拨款\n合计\t12.00\t12.00")
    assert document_title(ls) == "某某局2026年项目支出绩效目标表(含转移支付项目) 部门名称:某某局"
    ls = lines("部门整体预算绩效目标申报表\n部门名称\t某某局\n预算整体情况\t部门预算支出\t预算金额(万元)")
    assert document_title(ls) == "部门整体预算绩效目标申报表"


def test_a_cover_year_printed_alone_is_part_of_the_title():
    ls = lines("某某市交通运输局\n年度部门预算\n2026\n目录\n一、部门概况")
    assert document_title(ls) == "某某市交通运输局 年度部门预算 2026"


def test_table_kinds():
    assert [table_kind(t) for t in [
        "2026年预算单位财务收支预算总表", "财政拨款收支总表", "收入决算表", "部门支出总表",
        "一般公共预算支出表", "一般公共预算基本支出表", "收入支出决算总表", "“三公”经费支出表",
        "项目支出表"]] == [
        "overview", "appropriation", "income", "expenditure", "general", "other", "overview",
        "sangong", "other"]


def test_overview_before_appropriations():
    doc = """收支总表
单位:万元
项目\t金额\t项目\t金额
收入总计\t1200.00\t支出总计\t1200.00
财政拨款收支总表
单位:万元
项目\t金额\t项目\t金额
收入总计\t1000.00\t支出总计\t1000.00"""
    found = tables_totals(find_tables(lines(doc)), 2026)
    assert (found["income_total"].value, found["expenditure_total"].value) == (1200.0, 1200.0)
    doc = doc.split("\n", 4)[4] + "\n" + "\n".join(doc.split("\n")[:4])  # order printed does not matter
    found = tables_totals(find_tables(lines(doc)), 2026)
    assert (found["income_total"].value, found["income_total"].line) == (1200.0, 8)


def test_portal_page_is_not_a_budget():
    f = facts("首页 > 政务公开 > 预决算公开\n2026年部门预算公开目录\n某某局2026年部门预算 [02-12]\n"
              "某某局2025年部门决算 [07-30]\n共2条 1/1页")
    assert not f.is_budget


def test_plain_budget_document_is_a_budget():
    f = facts("某某局部门预算信息公开\n" + EXPENDITURE_WITH_COLUMN_NUMBERS.replace("支出总表", "部门支出总表"))
    assert f.is_budget
    assert (f.totals.expenditure_total, f.totals.basic, f.totals.project) == (1056.07, 444.11, 611.96)


def test_an_empty_cell_under_the_basic_heading_is_zero():
    doc = """支出预算总表
单位:元
科目名称\t合计\t基本支出\t项目支出
合计\t1200000\t\t1200000"""
    found = tables_totals(find_tables(lines(doc)), 2026)
    assert {k: (e.value, e.line) for k, e in found.items()} == {
        "expenditure_total": (120.0, 4), "basic": (0.0, 4), "project": (120.0, 4)}


def test_sangong_is_the_row_that_names_it_not_the_administrative_costs_above():
    doc = """财政拨款安排的行政经费及“三公”经费预算表
单位:万元
项目\t合计\t一般公共预算\t政府性基金预算
行政经费\t8560.42\t8560.42\t0.00
“三公”经费\t627.00\t627.00\t0.00
其中:(一)因公出国(境)支出\t40.00\t40.00\t0.00"""
    f = facts(doc)
    assert (f.totals.sangong, [(e.field, e.line) for e in f.evidence]) == (627.0, [("sangong", 5)])


def test_basic_and_project_only_as_columns_of_the_units_row():
    doc = """部门收支总表
单位:万元
项目\t金额\t项目\t金额
收入总计\t1056.07\t支出总计\t1056.07
部门支出总表
单位:万元
单位代码\t单位名称\t合计\t基本支出\t项目支出
132\t周口市行政服务中心\t1056.07\t444.11\t611.96"""
    found = tables_totals(find_tables(lines(doc)), 2024)
    assert {k: (e.value, e.line) for k, e in found.items()} == {
        "income_total": (1056.07, 4), "expenditure_total": (1056.07, 4),
        "basic": (444.11, 8), "project": (611.96, 8)}


def test_this_year_beside_last_year_without_printed_years():
    doc = """支出总表
单位:万元
项目\t上年预算数\t本年预算数\t\t
\t合计\t合计\t基本支出\t项目支出
合计\t800.00\t1000.00\t700.00\t300.00"""
    [table] = find_tables(lines(doc))
    roles = column_roles(table)
    assert (roles[1], roles[2]) == (ColumnRole("total", "previous"), ColumnRole("total", "current"))
    found = tables_totals([table], 2026)
    assert {k: e.value for k, e in found.items()} == {
        "expenditure_total": 1000.0, "basic": 700.0, "project": 300.0}


def test_prose_only_budget_with_words_between_label_and_figure():
    f = facts("郑州市某某局2015年度部门预算公开情况说明\n二、收入预算情况说明\n"
              "2015年收入预算共安排国库拨款资金923.1961万元。其中:财政拨款869.6461万元。\n"
              "2015年预算支出安排一般公共预算财政拨款支出923.1961万元。其中:工资福利支出494.8144万元;\n"
              "2015年度,某某中心“三公经费”预算数为71万元,其中:公务接待费预算20万元。")
    assert f.is_budget
    assert f.totals == Totals(income_total=923.1961, expenditure_total=923.1961, sangong=71.0)
    assert [(e.field, e.line) for e in f.evidence] == [
        ("income_total", 3), ("expenditure_total", 4), ("sangong", 5)]


def test_sangong_column_under_its_heading_not_the_car_subtotal():
    doc = """一般公共预算“三公”经费、会议费、培训费支出表
单位:万元
“三公”经费合计\t因公出国(境)费\t公务用车购置及运行维护费\t\t\t公务接待费\t会议费\t培训费
\t\t小计\t公务用车购置费\t公务用车运行维护费
2.02\t0.00\t0.00\t0.00\t0.00\t2.02\t1.09\t8.73"""
    assert facts(doc).totals.sangong == 2.02


def test_department_label_with_the_unit_run_on():
    ls = lines("部门名称:杭州市交通运输局单位:万元")
    assert department_raw(ls, "") == "杭州市交通运输局"


def test_total_rows_of_a_table_without_ruling_lines():
    doc = """部门收支总表
单位:万元
收入 支出
项目 预算数 项目 预算数
一、一般公共预算拨款收入 1,056.07 一、一般公共服务支出 1,056.07
收入总计 1,056.07 支出总计 1,056.07
部门支出总表
单位:万元
科目名称 合计 基本支出 项目支出
合 计 1,056.07 444.11 611.96"""
    tables = find_tables(lines(doc))
    assert [r.cells for t in tables for r in t.rows if r.cells] == [
        ["收入总计", "1,056.07", "支出总计", "1,056.07"], ["合计", "1,056.07", "444.11", "611.96"]]
    found = tables_totals(tables, 2026)
    assert {k: (e.value, e.line) for k, e in found.items()} == {
        "income_total": (1056.07, 6), "expenditure_total": (1056.07, 6),
        "basic": (444.11, 10), "project": (611.96, 10)}


def test_the_appropriations_part_of_basic_in_prose_is_not_the_basic_total():
    f = facts("2026年某某局部门预算\n2026年一般公共预算基本支出82,529.89万元,其中:人员支出67,627.51万元。\n"
              "基本支出89,793.26万元。")
    assert [(e.field, e.value, e.line) for e in f.evidence] == [("basic", 89793.26, 3)]


def test_bare_years_in_the_header_are_a_header():
    doc = """支出总表
单位:万元
项目\t2025\t2026
支出合计\t900.00\t1000.00"""
    [table] = find_tables(lines(doc))
    assert (len(table.header_rows), column_roles(table)) == (1, {1: ColumnRole("", "2025"), 2: ColumnRole("", "2026")})
    assert tables_totals([table], 2026)["expenditure_total"].value == 1000.0
    assert not is_year_header(["合计", "2050", "2050"]) and not is_year_header(["合计", "2050"])


def test_basic_and_project_as_rows_of_the_overview():
    doc = """部门收支总体情况表
单位:万元
收入\t\t支出
项目\t预算数\t项目\t预算数
一、一般公共预算拨款\t1056.07\t一、基本支出\t444.11
\t\t二、项目支出\t611.96
收入总计\t1056.07\t支出总计\t1056.07"""
    found = tables_totals(find_tables(lines(doc)), 2024)
    assert {k: (e.value, e.line) for k, e in found.items()} == {
        "income_total": (1056.07, 7), "expenditure_total": (1056.07, 7),
        "basic": (444.11, 5), "project": (611.96, 6)}


# A 部门整体预算绩效目标申报表: a one-page form, its figures in label cells, its unit in the
# header, no standard table and no 收入/支出总计.
WHOLE_BUDGET_FORM = """某某市某某局2026年部门整体预算绩效目标申报表
部门名称\t\t某某市某某局
预算整体情况\t\t部门预算支出\t预算金额(万元)\t收入来源\t预算金额(万元)
\t\t基本支出\t58118.59\t财政拨款\t92008.68
\t\t项目支出\t27825.19\t其他资金\t1577.77"""


def test_a_whole_budget_form_gives_its_department_and_split_from_label_cells():
    f = facts(WHOLE_BUDGET_FORM)
    assert (f.department, f.is_budget) == ("某某市某某局", True)
    assert f.totals == Totals(basic=58118.59, project=27825.19)
    assert [(e.field, e.value, e.line) for e in f.evidence] == [
        ("basic", 58118.59, 4), ("project", 27825.19, 5)]


def test_label_cells_are_not_read_where_a_standard_table_gives_the_split():
    f = facts("某某局部门预算信息公开\n" + EXPENDITURE_WITH_COLUMN_NUMBERS.replace("支出总表", "部门支出总表")
              + "\n某某表\n单位:万元\n项目\t金额\n基本支出\t1.00\n项目支出\t2.00")
    assert (f.totals.basic, f.totals.project) == (444.11, 611.96)


def test_a_page_that_only_mentions_final_accounts_has_no_kind():
    f = facts("关于某某工作的通知\n各单位按时完成部门决算公开。")
    assert (f.is_budget, f.kind) == (False, None)


def test_prose_that_prints_fewer_decimals_agrees_when_rounded_or_cut():
    """收入预算1,361万元 beside a table's 1,361.6271 (上海市文物保护研究中心 cuts the digits), 19,577
    beside 19,577.43 (rounded): the same figure printed shorter. 1,360 beside 1,361.6271 is not."""
    from budgetsearch.indexer.checks import _narrative_vs_tables

    figures = {"tables": {"income_total": Evidence("income_total", 1361.6271, 81),
                          "expenditure_total": Evidence("expenditure_total", 19577.43, 82),
                          "basic": Evidence("basic", 1361.6271, 83)},
               "narrative": {"income_total": Evidence("income_total", 1361.0, 57),
                             "expenditure_total": Evidence("expenditure_total", 19577.0, 59),
                             "basic": Evidence("basic", 1360.0, 61)},
               "decimals": {"income_total": 0, "expenditure_total": 0, "basic": 0}}
    found = {c.detail.split(":")[0]: (c.ok, c.detail) for c in _narrative_vs_tables(figures)}
    assert found == {
        "basic": (False, "basic: narrative L61 vs table L83"),
        "expenditure_total": (True, "expenditure_total: narrative L59 vs table L82 "
                                    "(the narrative prints 0 decimals, rounded)"),
        "income_total": (True, "income_total: narrative L57 vs table L81 "
                               "(the narrative prints 0 decimals, cut)"),
    }
