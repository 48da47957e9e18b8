"""Project lists in the layouts cities print: found by headers, checked by their 合计."""
from budgetsearch.indexer.models import Line
from budgetsearch.indexer.normalize import normalize_lines
from budgetsearch.indexer.projects import extract_projects, projects_notes
from budgetsearch.indexer.project_tables import read_listed_projects, unit_groups
from budgetsearch.indexer.tables import find_tables


def lines(text: str) -> list[Line]:
    raw = [Line(no=i + 1, text=t) for i, t in enumerate(text.split("\n"))]
    return normalize_lines(raw)


def read(text: str):
    return extract_projects(find_tables(lines(text)), set())


# Projects under function-class subtotal rows (no name on those rows), amounts in 元.
BY_FUNCTION_CLASS = """2026年预算单位财政拨款项目支出预算表
编制单位:某某交易管理办公室
单位:元
功能分类科目编码\t\t\t功能分类科目名称\t序号\t项目名称\t预算数
类\t款\t项
201\t\t\t一般公共服务支出\t\t\t370000
201\t13\t\t商贸事务\t\t\t370000
201\t13\t02\t一般行政管理事务\t\t\t370000
\t\t\t\t1\t产业发展专项\t270000
\t\t\t\t2\t交易平台运维\t100000
合计\t\t\t\t\t\t370000"""


def test_projects_under_function_class_subtotals_in_yuan():
    projects, _performance, info = read(BY_FUNCTION_CLASS)
    assert [(p.name, p.amount, p.lines) for p in projects] == [
        ("产业发展专项", 27.0, [(9, 9)]), ("交易平台运维", 10.0, [(10, 10)])]
    assert (info.total, info.total_line) == (37.0, 11)


# Projects grouped under their unit's row; the 总计 column comes before 财政拨款's 合计;
# a second, untitled table follows (its header has text where amounts stand).
BY_UNIT = """部门预算项目支出及其他支出预算表
单位:万元
支出项目类别(资金使用单位)\t总计\t财政拨款\t\t绩效目标
\t\t合计\t一般公共预算
合计\t120.50\t100.50\t100.50
某某市人民政府办公厅\t100.50\t100.50\t100.50
工作经费\t60.00\t60.00\t60.00\t保障日常工作
购置经费\t40.50\t40.50\t40.50\t更新设备
某某市信息中心\t20.00\t0.00\t0.00
专项工作经费\t20.00\t0.00\t0.00\t信息化服务
项目\t预算数(单位:万元)\t绩效目标
专项工作经费(某某市人民政府办公厅)\t60.00\t保障日常工作"""


def test_projects_grouped_under_unit_rows():
    projects, _performance, info = read(BY_UNIT)
    assert [(p.name, p.amount, p.unit_name, p.lines) for p in projects] == [
        ("工作经费", 60.0, "某某市人民政府办公厅", [(7, 7)]),
        ("购置经费", 40.5, "某某市人民政府办公厅", [(8, 8)]),
        ("专项工作经费", 20.0, "某某市信息中心", [(10, 10)]),
    ]
    assert (info.total, info.total_line) == (120.5, 5)


def test_unit_groups_only_when_the_arithmetic_holds():
    assert unit_groups([10, 6, 4, 5, 5], 15) == {0, 3}
    assert unit_groups([10, 6, 4, 5, 5], 30) == set()  # a flat list that happens to add up
    assert unit_groups([10, 6, 3, 5], None) == set()  # a row left over: flat
    assert unit_groups([10, 10, 0, 2, 2], 12) == {0, 3}  # a zero row stays in its group


# A project's name wrapped over two lines; the 合计 check chooses this reading.
WRAPPED_NAME = """项目支出预算表
单位:万元
单位(项目)名称\t项目单位\t本年预算
合计\t\t35.00
12345政务服务便民热线\t某某市政务
接线员工资\t服务中心\t30.00
物业管理费\t某某市政务服务中心\t5.00"""


def test_name_wrapped_over_lines():
    table = find_tables(lines(WRAPPED_NAME))[0]
    reading = read_listed_projects(table)
    assert [(p.name, p.amount, p.lines) for p in reading.projects] == [
        ("12345政务服务便民热线接线员工资", 30.0, [(5, 6)]), ("物业管理费", 5.0, [(7, 7)])]
    assert reading.sums_to_total


# A 项目支出表 that lists economic classes, not projects, and no 绩效目标 form.
ECONOMIC_CLASSES = """一般公共预算项目支出情况表
单位:万元
部门预算支出经济科目\t预算
合计\t1497.06
[302]商品和服务支出\t1432.54
[310]资本性支出\t64.52"""


def test_classes_are_not_projects_and_the_document_says_so():
    tables = find_tables(lines(ECONOMIC_CLASSES))
    projects, _performance, _info = extract_projects(tables, set())
    assert projects == []
    assert projects_notes(tables, projects) == [
        "no project list: 一般公共预算项目支出情况表 (L1) lists expenditure classes, not projects"]
    assert projects_notes([], []) == ["no project list: the document prints no 项目支出表 and no 绩效目标表"]
    narrative = lines("四、绩效目标设置情况\n2026年度,本单位编报绩效目标的项目共3个,涉及项目预算资金264.34万元。")
    assert projects_notes([], [], narrative) == [
        "no project list: the document prints no 项目支出表 and no 绩效目标表; "
        "the text counts 3 projects (L2) without naming them"]


# A 项目支出绩效目标表 printed as a list with the projects' amounts and goals: the list.
PERFORMANCE_LIST = """项目支出绩效目标表(含转移支付项目)
部门名称:某某市政务服务和数据管理局
单位:万元
项目名称(资金使用单位)\t总计:\t财政拨款\t其他资金\t绩效目标
合计\t12102.38\t12102.38
某某市政务服务和数据管理局\t12102.38\t12102.38
12345政务服务便民热线平台运营项目\t12000.00\t12000.00\t\t更好解决群众的急难愁盼问题
网上中介服务超市日常运营项目\t102.38\t102.38\t\t提升服务效能"""


def test_performance_table_printed_as_a_project_list():
    projects, performance, info = read(PERFORMANCE_LIST)
    assert [(p.name, p.amount, p.unit_name, p.lines) for p in projects] == [
        ("12345政务服务便民热线平台运营项目", 12000.0, "某某市政务服务和数据管理局", [(7, 7)]),
        ("网上中介服务超市日常运营项目", 102.38, "某某市政务服务和数据管理局", [(8, 8)]),
    ]
    assert performance == [] and (info.total, info.total_line) == (12102.38, 5)


# One 绩效目标 form per project, national template: this year's 年度资金总额 is the amount;
# no 项目支出表, so the forms are the project list.
FORMS = """项目支出绩效目标表
单位:万元
项目名称\t12345热线运维项目
主管部门\t某某市政务服务中心\t实施单位\t某某市政务服务中心
项目资金(万元)\t资金总额:\t300.00
\t年度资金总额:\t120.00
\t其中:财政拨款\t120.00
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t受理工单数\t≥10万件
项目名称\t大厅物业管理
主管部门\t某某市政务服务中心\t实施单位\t某某市政务服务中心
项目资金(万元)\t年度资金总额:\t35.50
一级指标\t二级指标\t三级指标\t指标值
满意度指标\t服务对象满意度\t群众满意度\t≥95%"""


def test_performance_forms_are_the_projects_when_no_project_table():
    projects, _performance, info = read(FORMS)
    assert [(p.name, p.amount, p.lines, [(i.level, i.name, i.value) for i in p.indicators])
            for p in projects] == [
        ("12345热线运维项目", 120.0, [(3, 6)], [("数量指标", "受理工单数", "≥10万件")]),
        ("大厅物业管理", 35.5, [(10, 12)], [("服务对象满意度", "群众满意度", "≥95%")]),
    ]
    assert info is None


# A form whose title names its project; 当年预算 is this year's amount.
TITLED_FORM = """2026年智慧政务平台运维项目绩效目标表
单位:元
主管部门\t某某市数据局
资金总额\t900000.00\t当年预算\t300000.00
一级指标\t二级指标\t三级指标\t指标值
产出指标\t时效指标\t故障响应时间\t≤2小时"""


def test_form_named_by_its_title_in_yuan():
    projects, _performance, _info = read(TITLED_FORM)
    assert [(p.name, p.amount, p.lines, len(p.indicators)) for p in projects] == [
        ("智慧政务平台运维项目", 30.0, [(1, 4)], 1)]


# Names set vertically, a few characters a line, the amount beside a middle line.
VERTICAL = """项目支出预算表
单位:万元
项目名称\t金额
合计\t35.00
12345
政务服务
便民热线\t30.00
运维费
大厅物业
管理费\t5.00
1"""


def test_names_printed_a_few_characters_a_line_are_rebuilt():
    doc = lines(VERTICAL)
    projects, _performance, info = extract_projects(find_tables(doc), set(), doc)
    assert [(p.name, p.amount, p.lines) for p in projects] == [
        ("12345政务服务便民热线运维费", 30.0, [(5, 8)]), ("大厅物业管理费", 5.0, [(9, 10)])]
    assert (info.total, info.total_line) == (35.0, 4)


# A typed 项目支出表 (类型 | 项目名称 | 合计) with a unit's row: read by position the unit
# row would be a project and the rows would add up to twice the 合计; the reading the
# 合计 confirms is taken.
TYPED_WITH_UNIT_ROW = """项目支出表
单位:万元
类型\t项目名称\t合计
合计\t\t30.00
\t某某市政务服务中心\t30.00
其他运转类\t热线运维\t20.00
特定目标类\t大厅改造\t10.00"""


def test_the_total_chooses_between_readings():
    projects, _performance, info = read(TYPED_WITH_UNIT_ROW)
    assert [(p.name, p.amount, p.type, p.unit_name, p.lines) for p in projects] == [
        ("热线运维", 20.0, "其他运转类", "某某市政务服务中心", [(6, 6)]),
        ("大厅改造", 10.0, "特定目标类", "某某市政务服务中心", [(7, 7)]),
    ]
    assert (info.total, info.total_line) == (30.0, 4)


def test_performance_list_beside_a_project_table_is_paired_not_added():
    text = BY_FUNCTION_CLASS + "\n" + PERFORMANCE_LIST.replace("12102.38", "129.38").replace(
        "12345政务服务便民热线平台运营项目\t12000.00\t12000.00", "产业发展专项资金\t27.00\t27.00")
    projects, performance, info = read(text)
    assert [(p.name, p.amount, p.performance_name, p.lines) for p in projects] == [
        ("产业发展专项", 27.0, "产业发展专项资金", [(9, 9), (18, 18)]),
        ("交易平台运维", 10.0, None, [(10, 10)]),
    ]
    assert [(e.name, e.amount) for e in performance] == [
        ("产业发展专项资金", 27.0), ("网上中介服务超市日常运营项目", 102.38)]
    assert info.total == 37.0


# 杭州's layout (单位名称 | 项目名称 | 总计 ...): a unit cell cut where it wrapped at a page
# break, its end printed alone on the next page with the page number between.
UNIT_CUT_AT_A_PAGE = """表10:2026年市级部门项目支出预算表
单位:万元
单位名称\t项目名称\t总计\t财政拨款收入
\t合计\t30.00\t30.00
某某市公安局\t执法办案\t10.00\t10.00
某某市公安局交通治安分局(水上\t日常保障运行\t5.00\t5.00
31
治安分局)
某某市公安局交通治安分局(水上治安分局)\t交通治安事务综合业务管理\t15.00\t15.00"""


def test_a_unit_cut_at_a_page_break_is_completed_from_its_other_rows():
    projects, _performance, info = read(UNIT_CUT_AT_A_PAGE)
    assert [(p.name, p.amount, p.unit_name) for p in projects] == [
        ("执法办案", 10.0, "某某市公安局"),
        ("日常保障运行", 5.0, "某某市公安局交通治安分局(水上治安分局)"),
        ("交通治安事务综合业务管理", 15.0, "某某市公安局交通治安分局(水上治安分局)"),
    ]
    assert info.total == 30.0
