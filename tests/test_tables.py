"""Stage tests for the table reader: titles, units, pages, broken cells."""
from budgetsearch.indexer.models import Line
from budgetsearch.indexer.normalize import normalize_lines, normalize_text
from budgetsearch.indexer.projects import project_rows
from budgetsearch.indexer.tables import find_tables, find_unit, table_title


def lines(text: str) -> list[Line]:
    raw = [Line(no=i + 1, text=t) for i, t in enumerate(text.split("\n"))]
    return normalize_lines(raw)


def test_table_titles():
    assert table_title("2024年项目支出表") == "2024年项目支出表"
    assert table_title(normalize_text("部门（单位）整体绩效目标表 (2024 年度)")) == "部门(单位)整体绩效目标表"
    assert table_title("十、项目支出表") is None  # a table of contents entry
    assert table_title("附件：周口市行政服务中心机关2024年度部门预算表") is None
    assert table_title("预算10表") is None  # a page label
    assert table_title("本表无数据。") is None


def test_unit_line_broken_over_lines():
    block = lines("编制部门：安阳市政务服务中心\n单位  \n：万  \n元")
    assert find_unit(block) == ("万元", 2)
    assert find_unit(lines("金额单位：元")) == ("元", 1)
    assert find_unit(lines("单位名称: 洛龙区政务服务中心(本级) 单位: 万元")) == ("万元", 1)
    assert find_unit(lines("单位：济源市行政服务中心")) == (None, None)


PROJECT_TABLE = """2024年项目支出表
单位：元
类型\t项目名称\t项目单位\t合计\t一般公共预算
\t\t\t611.96\t611.96
其他运转类\t大厅标准化\t洛龙区政务\t195000.00\t195000.00
共他总拉关\t配置\t服务中心\t19. 50\t19. 50
\t洛龙智慧政\t洛龙区政务
其他运转类\t务项目\t服务中心\t109000\t109000

2024年项目支出表
类型\t项目名称\t项目单位\t合计\t一般公共预算
其他运转类\t12345 便民 运转类 热线办公经\t洛龙区政务\t<b>5.</b> 00\t50000
\t费\t服务中心"""


def test_project_table_split_over_pages_with_broken_cells_in_yuan():
    [table] = find_tables(lines(PROJECT_TABLE))
    assert (table.title, table.unit, table.title_line) == ("2024年项目支出表", "元", 1)
    projects, total, total_line = project_rows(table, {"洛龙区政务服务中心"})
    assert [(p.name, p.amount, p.type, p.lines) for p in projects] == [
        ("大厅标准化配置", 19.5, "其他运转类", [(5, 6)]),
        ("洛龙智慧政务项目", 10.9, "其他运转类", [(7, 8)]),
        ("12345便民热线办公经费", 0.0005, "其他运转类", [(12, 13)]),
    ]
    assert (total, total_line) == (0.061196, 4)


def test_annex_numbers_are_not_part_of_the_title():
    assert [table_title(t) for t in ["附表1：部门收支总表", "附表 2 收入总表", "附表1-2 部门支出总表", "附表"]] == [
        "部门收支总表", "收入总表", "部门支出总表", None]
