"""Golden facts of the five seed documents in corpus/, read by hand from the text.

Every value cites the 1-based line number(s) of the corpus file where it was read. Amounts are
万元 (every table of the five seeds prints 万元). Names keep the source's own typos; cells that PDF
conversion broke over several lines are re-joined and conversion noise (spaces inside names,
HTML tags, cells of a neighbouring column) is removed. The tests compare names after
`indexer.normalize.normalize_text` and with all whitespace removed, so `（` / `(` and
`12345 便民` / `12345便民` compare equal.

Fields per document:
- title, department (canonical), department_raw (the printed form we consider primary),
  department_raw_forms (every printed form of the unit's own name, any of which is acceptable
  as the raw name), region {province, city, county}, region_code (6-digit code, informative,
  not asserted), year, kind.
- totals {income_total, expenditure_total, basic, project, sangong} and totals_lines (the table
  line each total was read from; the narrative line is given in the comment).
- projects: [{name, amount, type, line, name_lines, performance_name?}]; `line` is the line of
  the row's amount, `name_lines` the lines the name was re-joined from.
- performance_disagreements: where the 项目支出表 and the 绩效目标表 disagree.
- line_items (Anyang only): the 部门预算表 rows, which are not projects.
"""
from __future__ import annotations

ZHOUKOU = "zhoukou-xzfwzx-2024-budget.txt"
LUOLONG = "luolong-zwfwzx-2024-budget.md"
ANYANG = "anyang-zwfwzx-2024-budget.md"
PINGDINGSHAN = "pingdingshan-gxq-xzfwzx-2024-budget.txt"
JIYUAN = "jiyuan-xzfwzx-2020-budget.txt"

GOLDEN: dict[str, dict] = {}

# ---------------------------------------------------------------------------------------------
# 周口市行政服务中心 2024 部门预算 (text)
# ---------------------------------------------------------------------------------------------
GOLDEN[ZHOUKOU] = {
    # lines 3 + 5 (line 7 is the date 二〇二四年二月, not part of the title)
    "title": "周口市行政服务中心机关（汇总）2024年度部门预算",
    # the unit: 周口市行政服务中心 (lines 55, 269 unit row "132 周口市行政服务中心", 501, 542);
    # "机关" is the administrative body of the same unit (line 270: 132001 周口市行政服务中心机关)
    "department": "周口市行政服务中心",
    # every table header prints "部门：周口市行政服务中心机关" (lines 211, 259, 278, 306, 478)
    "department_raw": "周口市行政服务中心机关",
    "department_raw_forms": [
        "周口市行政服务中心机关",  # lines 211, 259, 278, 478
        "周口市行政服务中心机关（汇总）",  # line 3
        "周口市行政服务中心",  # lines 55, 269, 501, 542
    ],
    # 周口市 is a prefecture-level city of 河南省; project codes start 411600 (lines 549-575)
    "region": {"province": "河南省", "city": "周口市", "county": None},
    "region_code": "411600",
    "year": 2024,  # lines 5, 213
    "kind": "预算",  # line 5 部门预算
    "totals": {
        # line 251 收入总计 1,056.07 / 支出总计 1,056.07; narrative line 91 agrees
        "income_total": 1056.07,
        "expenditure_total": 1056.07,
        # line 287 (YS03 合计 row): 基本支出 444.11, 项目支出 611.96; narrative line 99 agrees
        "basic": 444.11,
        "project": 611.96,
        # line 450 (YS08): 三公 4.50 (all 公务用车运行费); narrative line 117 "4.50 万元"
        "sangong": 4.50,
    },
    "totals_lines": {"income_total": 251, "expenditure_total": 251, "basic": 287,
                     "project": 287, "sangong": 450},
    # 项目支出表 YS10, lines 474-495; the 合计 row (line 486) and the unit row 132 (line 487)
    # are not projects. 8 projects, as the narrative says (line 143 "共 8 个项目").
    # Sum: 426.24 + 3.84 + 32.00 + 30.00 + 25.00 + 4.20 + 20.00 + 70.68 = 611.96
    # = 项目支出 611.96 (lines 287, 486): the projects add up.
    "projects": [
        {"name": "12345政务服务便民热线接线员工资", "amount": 426.24, "type": "其他运转类",
         "line": 488, "name_lines": [488]},
        {"name": "互联网专线接入费", "amount": 3.84, "type": "其他运转类",
         "line": 489, "name_lines": [489]},
        {"name": "行政审批电子监察系统服务费", "amount": 32.00, "type": "其他运转类",
         "line": 490, "name_lines": [490]},
        {"name": "市长热线电话受理平台升级维护和安全测评费", "amount": 30.00, "type": "其他运转类",
         "line": 491, "name_lines": [491]},
        {"name": "便民大厅运行维护费", "amount": 25.00, "type": "其他运转类",
         "line": 492, "name_lines": [492]},
        {"name": "机关电梯维修维保费", "amount": 4.20, "type": "其他运转类",
         "line": 493, "name_lines": [493]},
        # line 494 prints the typo 工作经历; the 绩效目标汇总表 (line 575) prints 工作经费
        {"name": "便民大厅一站式服务工作经历", "amount": 20.00, "type": "其他运转类",
         "line": 494, "name_lines": [494], "performance_name": "便民大厅一站式服务工作经费"},
        {"name": "物业管理费", "amount": 70.68, "type": "其他运转类",
         "line": 495, "name_lines": [495]},
    ],
    # The 绩效目标汇总表 (lines 540-576) lists the same 8 projects with the same amounts
    # (549 32.00, 553 70.68, 557 4.20, 562 25.00, 565 3.84, 569 426.24, 572 30.00, 575 20.00);
    # the only difference is the typo above, a name variant rather than a different project.
    "performance_disagreements": [],
}

# ---------------------------------------------------------------------------------------------
# 洛阳市洛龙区政务服务中心 2024 预算 (markdown, OCR-damaged tables)
# ---------------------------------------------------------------------------------------------
GOLDEN[LUOLONG] = {
    "title": "2024年洛龙区政务服务中心(本级)预算说明",  # line 1
    "department": "洛龙区政务服务中心",  # lines 30, 200 (unit row 605001)
    "department_raw": "洛龙区政务服务中心(本级)",  # lines 147, 187, 206, 265 单位名称
    "department_raw_forms": [
        "洛龙区政务服务中心(本级)",  # lines 1, 147, 187, 206, 265, 398
        "洛龙区政务服务中心",  # lines 30, 200, 212
    ],
    # 洛龙区 is a district of 洛阳市, 河南省; project codes start 410311 (lines 438-480)
    "region": {"province": "河南省", "city": "洛阳市", "county": "洛龙区"},
    "region_code": "410311",
    "year": 2024,  # line 1
    "kind": "预算",  # line 1 预算说明
    "totals": {
        # line 183 收入总计 "827. 29" / 支出总计 827.29 (支 出 总 计 spaced); narrative line 56
        "income_total": 827.29,
        "expenditure_total": 827.29,
        # line 211 (单位支出预算表 合计 row): 基本支出 "283. 17", 项目支出 "544. 12";
        # narrative line 64 agrees ("基本 支出 283.17", "项目支出 544.12")
        "basic": 283.17,
        "project": 544.12,
        # line 349 ("三公"经费预算表): 1.50; narrative line 82 "1.5 万元"
        "sangong": 1.50,
    },
    "totals_lines": {"income_total": 183, "expenditure_total": 183, "basic": 211,
                     "project": 211, "sangong": 349},
    # 项目支出预算表, lines 396-425. Rows are broken over two lines (name cells split, the type
    # cell of the second line OCR-garbled: 共他总拉关, 共祀色科天, 光旭色存大 ...), the amount
    # often repeated on the second line. Page break at line 421. 11 projects, as the narrative
    # says (line 110 "共11个项目").
    # Sum: 19.50 + 80.00 + 40.00 + 8.00 + 10.90 + 36.00 + 5.00 + 35.00 + 73.80 + 15.92 + 220.00
    # = 544.12 = 项目支出 (lines 211, 403): the projects add up.
    "projects": [
        # 大厅标准化 / 配置 (406-407); the 绩效目标表 names it 政务服务大厅标准化配置 (470-472)
        {"name": "大厅标准化配置", "amount": 19.50, "type": "其他运转类",
         "line": 406, "name_lines": [406, 407], "performance_name": "政务服务大厅标准化配置"},
        # 政务服务全 / 覆盖项目 (408-409)
        {"name": "政务服务全覆盖项目", "amount": 80.00, "type": "其他运转类",
         "line": 408, "name_lines": [408, 409]},
        # 行政效能经 / 费 (410-411)
        {"name": "行政效能经费", "amount": 40.00, "type": "其他运转类",
         "line": 410, "name_lines": [410, 411]},
        # 网络运行维 / 护经费 (412-413); the 绩效目标表 calls the 8.00 project 网络维护经费 (479-480)
        {"name": "网络运行维护经费", "amount": 8.00, "type": "其他运转类",
         "line": 412, "name_lines": [412, 413], "performance_name": "网络维护经费"},
        # name 洛龙智慧政 (414) / 务项目 (415), the type and amount on 415
        {"name": "洛龙智慧政务项目", "amount": 10.90, "type": "其他运转类",
         "line": 415, "name_lines": [414, 415]},
        # line 416 and 418 are OCR noise (日生空声明, 为老豆址及, 从为了"山)
        {"name": "民生实事服务免费项目", "amount": 36.00, "type": "其他运转类",
         "line": 417, "name_lines": [417]},
        # line 419 "12345 便民 运转类 热线办公经": a piece of the neighbouring type column
        # (运转类) is mixed into the name cell; "费" on line 420; amount "<b>5.</b> 00"
        {"name": "12345便民热线办公经费", "amount": 5.00, "type": "其他运转类",
         "line": 419, "name_lines": [419, 420]},
        {"name": "政务实体大厅改造", "amount": 35.00, "type": "其他运转类",
         "line": 422, "name_lines": [422]},
        {"name": "政务大厅窗口服务专项经费", "amount": 73.80, "type": "其他运转类",
         "line": 423, "name_lines": [423]},
        {"name": "12345便民热线值班带班补助", "amount": 15.92, "type": "其他运转类",
         "line": 424, "name_lines": [424]},
        # the 220.00 project: 网络维护经费 here, 劳务派遣人员工资 in the 绩效目标表 (line 438)
        {"name": "网络维护经费", "amount": 220.00, "type": "其他运转类",
         "line": 425, "name_lines": [425], "performance_name": "劳务派遣人员工资"},
    ],
    # 绩效目标表 (lines 427-483) vs 项目支出预算表 (lines 396-425). Amounts agree project by
    # project; two names do not. Both must surface as failed checks.
    "performance_disagreements": [
        {"amount": 8.00,
         "table_name": "网络运行维护经费", "table_lines": [412, 413],
         "performance_name": "网络维护经费", "performance_lines": [479, 480]},
        {"amount": 220.00,
         "table_name": "网络维护经费", "table_lines": [425],
         "performance_name": "劳务派遣人员工资", "performance_lines": [438]},
    ],
    # A milder name variant, recorded but not required as a failed check: 19.50 is
    # 大厅标准化配置 in the 项目支出预算表 (406-407), 政务服务大厅标准化配置 in the 绩效目标表
    # (470-472). Other oddities of the 绩效目标表: line 475 prints code 41021102000000014071 and
    # "80.00 90.00", line 476 the same row again as 41031123000000014071 "80.00 80.00" (OCR
    # read the row twice; 80.00 is right); line 479 code 41031193000000014079 and "8. 00 8, 00",
    # line 480 410311230000000014072 "0,00 0.00"; line 465 code 41031123000000014069 has 20
    # digits.
}

# ---------------------------------------------------------------------------------------------
# 安阳市政务服务中心 2024 预算 (markdown)
# ---------------------------------------------------------------------------------------------
GOLDEN[ANYANG] = {
    "title": "2024年度安阳市政务服务中心预算公开说明",  # line 3
    "department": "安阳市政务服务中心",  # lines 166, 219 (150003 安阳市政务服务中心)
    "department_raw": "安阳市政务服务中心",  # line 166 编制部门：安阳市政务服务中心
    # Note: the unit row of several tables is the parent body 150 安阳市政务服务与大数据管理局
    # (lines 218, 233, 317, 380, 456): not this department's name.
    "department_raw_forms": ["安阳市政务服务中心"],
    # 安阳市, 河南省; project codes start 410500 (lines 885, 891)
    "region": {"province": "河南省", "city": "安阳市", "county": None},
    "region_code": "410500",
    "year": 2024,  # line 3
    "kind": "预算",  # line 3 预算公开说明
    "totals": {
        # line 204 收入总计 1314.87 / 支出总计 1314.87; narrative line 74
        "income_total": 1314.87,
        "expenditure_total": 1314.87,
        # line 232 (部门支出预算表 合计): 基本支出 1148.87, 项目支出 166; narrative line 82
        "basic": 1148.87,
        "project": 166.0,
        # line 427 ("三公"经费预算表): 5 (公务用车 4 on line 427, 公务接待费 1 pushed down to
        # line 428); narrative line 100 "5万元"
        "sangong": 5.0,
    },
    "totals_lines": {"income_total": 204, "expenditure_total": 204, "basic": 232,
                     "project": 232, "sangong": 427},
    # 项目支出预算表 lines 447-458: 2 projects, both 特定目标类, as the narrative says (line 130
    # "预算项目共2个，资金总额166万元"). Sum 40 + 126 = 166 = 项目支出 (lines 232, 455): adds up.
    "projects": [
        {"name": "2024年一件事集成办理", "amount": 40.0, "type": "特定目标类",
         "line": 457, "name_lines": [457]},
        {"name": "2024年市民之家午餐补助", "amount": 126.0, "type": "特定目标类",
         "line": 458, "name_lines": [458]},
    ],
    # 绩效目标表 lines 878-895: 2024年市民之家午餐补助 126 (885), 2024年一件事集成办理 40 (891).
    # Names and amounts agree.
    "performance_disagreements": [],
    # 部门预算表 (lines 462-706): 16 page fragments of two data rows each, every fragment with
    # its header repeated; rows broken over a page (e.g. 2024年市民之 line 476 continues as
    # 家午餐补助 line 489), several pages spelled one character per cell (505-506, 567-568,
    # 584-585, 629-630). These are line items, not projects.
    # The 32 data rows (lines 475 476 490 491 505 506 521 522 535 536 550 551 567 568 584 585 599
    # 600 614 615 629 630 644 645 660 661 674 675 689 690 705 706) sum to 1149.83, not to the
    # table's 合计 1314.87 (line 473): rows are missing from the converted document (e.g. the
    # 办公费 rows sum to 252.98 where the 经济分类 table has 296.62, line 389).
    "line_items": {
        "table": "部门预算表",
        "count": 32,
        # 人员类 14 (lines 521 and 522 print the category cut short as "人员"), 公用经费 16,
        # 特定目标类 2 (476 市民之家午餐补助 126, 505 一件事集成办理 40)
        "category_counts": {"人员类": 14, "公用经费": 16, "特定目标类": 2},
        "sample": [
            {"name": "物业服务补贴", "category": "人员类", "amount": 4.86, "line": 475},
            # one character per cell: "2024 年一 件事 集 成 办 理", "特 定 目 标 类"
            {"name": "2024年一件事集成办理", "category": "特定目标类", "amount": 40.0,
             "line": 505},
            {"name": "劳务派遣人员劳务费", "category": "人员类", "amount": 399.0, "line": 535},
        ],
        # Every 公用经费 row has a generic 项目名称 (公用经费综合定额, 人员运行费补充,
        # 办公场所设施运维费) and the specific item in 项目名称说明 (e.g. line 614: 差旅费 /
        # 公用经费综合定额 / 1.2), so none of them is used as a sample.
        "sum": 1149.83,
        # line 473: the table's 合计 row prints 1314.87 (= 支出总计, line 204). The converted
        # rows add up to 165.04 less: rows lost in conversion, so the check must fail.
        "table_total": 1314.87,
        "table_total_line": 473,
    },
}

# ---------------------------------------------------------------------------------------------
# 平顶山高新技术产业开发区行政服务中心 2024 预算 (text)
# ---------------------------------------------------------------------------------------------
GOLDEN[PINGDINGSHAN] = {
    "title": "平顶山高新技术产业开发区行政服务中心2024年部门预算公开",  # lines 3 + 4
    "department": "平顶山高新技术产业开发区行政服务中心",  # lines 3, 179, 246
    "department_raw": "平顶山高新技术产业开发区行政服务中心",  # line 179 部门名称
    "department_raw_forms": [
        "平顶山高新技术产业开发区行政服务中心",  # lines 3, 179, 223, 404
        "平顶山高新区行政服务中心",  # lines 47, 49
    ],
    # a development zone of 平顶山市, recorded as county. Project codes start 410491 (lines
    # 483-523), the finance system's code for the zone; the statistical division code of
    # 平顶山高新技术产业开发区 is 410471: the two differ.
    "region": {"province": "河南省", "city": "平顶山市", "county": "平顶山高新技术产业开发区"},
    "region_code": "410471",
    "year": 2024,  # line 4
    "kind": "预算",  # line 4 部门预算公开
    "totals": {
        # line 217 收入总计 179.6 / 支出总计 179.6; narrative line 57
        "income_total": 179.6,
        "expenditure_total": 179.6,
        # line 245 (部门支出总体情况表 合计): 基本支出 68.7, 项目支出 110.9; narrative line 65.
        # Rounding quirk: 人员经费 65.4 + 公用经费 3.4 = 68.8 on the same line, and the 公用经费
        # items of the 基本支出表 (339-341: 0.6 + 1.7 + 1.0) sum to 3.3.
        "basic": 68.7,
        "project": 110.9,
        # line 383: all zero; narrative line 109 "“三公”经费预算为0万元"
        "sangong": 0.0,
    },
    "totals_lines": {"income_total": 217, "expenditure_total": 217, "basic": 245,
                     "project": 245, "sangong": 383},
    # 项目支出预算表 lines 402-425, continued on a second page after line 421 with the header
    # repeated (423-424, cells split: 财政专户管 理资金) and one more row (425, type split as
    # "其他运 转类", unit "…开发 区行政服务中心"). 11 projects, as the narrative says
    # (line 135 "涉及项目11个").
    # Sum: 2.7 + 30.9 + 5.0 + 2.1 + 2.5 + 5.0 + 20.1 + 4.3 + 9.8 + 19.0 + 9.5 = 110.9
    # = 项目支出 (lines 245, 410): the projects add up.
    "projects": [
        {"name": "2024年工装制作费用", "amount": 2.7, "type": "其他运转类",
         "line": 412, "name_lines": [412]},
        {"name": "2024年大厅便民日常运营", "amount": 30.9, "type": "其他运转类",
         "line": 413, "name_lines": [413]},
        {"name": "24小时政务服务自助区改造", "amount": 5.0, "type": "其他运转类",
         "line": 414, "name_lines": [414]},
        {"name": "全省通办窗口设备配置", "amount": 2.1, "type": "其他运转类",
         "line": 415, "name_lines": [415]},
        {"name": "2024年大厅网络费用", "amount": 2.5, "type": "其他运转类",
         "line": 416, "name_lines": [416]},
        {"name": "2024年文明创建费用", "amount": 5.0, "type": "其他运转类",
         "line": 417, "name_lines": [417]},
        {"name": "免费刻制印章服务", "amount": 20.1, "type": "其他运转类",
         "line": 418, "name_lines": [418]},
        {"name": "政务服务平台监理费", "amount": 4.3, "type": "其他运转类",
         "line": 419, "name_lines": [419]},
        {"name": "政务服务自助设备一体机", "amount": 9.8, "type": "其他运转类",
         "line": 420, "name_lines": [420]},
        {"name": "政务大厅硬件设施维护、政务服务信息化建设及大数据信息服务费", "amount": 19.0,
         "type": "其他运转类", "line": 421, "name_lines": [421]},
        # the row on the continuation page; 2023 in the name as printed (line 425, and 514)
        {"name": "2023工装制作费用", "amount": 9.5, "type": "其他运转类",
         "line": 425, "name_lines": [425]},
    ],
    # 预算项目绩效目标表 lines 474-525: the same 11 names and amounts (483 4.3, 486 2.5,
    # 490 30.9, 499 19.0, 505 9.8, 508 2.1, 511 20.1, 514 9.5, 517 2.7, 520 5.0, 523 5.0).
    "performance_disagreements": [],
    # Other quirk: the 政府采购汇总表 lists 3.3 万元 (lines 548-550) yet its note says there is
    # no 政府采购 (line 553); the narrative says 3.3 万元 (line 131).
}

# ---------------------------------------------------------------------------------------------
# 济源市行政服务中心 2020 预算 (text; the title has no city)
# ---------------------------------------------------------------------------------------------
GOLDEN[JIYUAN] = {
    "title": "2020年度行政服务中心部门预算说明",  # line 3
    # the city is printed only in the tables: "单位：济源市行政服务中心" (lines 150, 189, 205,
    # 221, 263, 279, 316, 352, 368), 部门(单位)名称 济源市行政服务中心 (line 379) and the
    # 支出项目绩效目标表 titles (438 ...)
    "department": "济源市行政服务中心",
    "department_raw": "济源市行政服务中心",  # line 150
    "department_raw_forms": [
        "济源市行政服务中心",  # lines 150, 197, 379, 438
        "行政服务中心",  # lines 3, 32, 60
    ],
    # 济源市 is a county-level city administered directly by the province (code 419001): it
    # has no prefecture above it, so city 济源市 and no county.
    "region": {"province": "河南省", "city": "济源市", "county": None},
    "region_code": "419001",
    "year": 2020,  # line 3
    "kind": "预算",  # line 3 部门预算说明
    "totals": {
        # line 185 收入合计 1,740.2 / 支出合计 1,740.2 (this template has no 收入总计 row; line 182
        # 本年合计 1,740.2); narrative line 60 收入总计 1740.2 / 支出总计 1740.2
        "income_total": 1740.2,
        "expenditure_total": 1740.2,
        # line 158 一、基本支出 560.8 and line 162 二、项目支出 1,179.4; the same in the 支出总体
        # table line 212; narrative line 68
        "basic": 560.8,
        "project": 1179.4,
        # line 357 共计 6.1 (公务接待费 1.5 line 359, 公务用车费 4.6 line 360); narrative line 86
        "sangong": 6.1,
    },
    "totals_lines": {"income_total": 185, "expenditure_total": 185, "basic": 158,
                     "project": 162, "sangong": 357},
    # There is no 项目支出表 in this document (table list lines 18-28). The projects are the 13
    # 济源市行政服务中心支出项目绩效目标表 (one table per project, lines 438-1077), each with
    # 项目名称 and 项目本年度金额 (this year's amount; 项目总金额 differs for 4 of them:
    # 393.00 vs 24.00 line 597, 0.00 vs 10.90 line 649, 0.00 vs 18.00 line 847,
    # 185.60 vs 181.90 line 944). 资金用途 is 业务类 for all; no 其他运转类/特定目标类 is
    # printed, so type is None. The 5 电子政务专项 projects sum to 818.8 = 专项资金 (lines 164,
    # 212), the other 8 to 360.6 = 一般性项目 (lines 163, 212).
    # Sum of 项目本年度金额: 5.00 + 344.40 + 331.50 + 24.00 + 10.90 + 108.00 + 67.80 + 58.00
    # + 18.00 + 19.90 + 181.90 + 5.00 + 5.00 = 1179.40 = 项目支出 (lines 162, 212): adds up.
    "projects": [
        {"name": "电子政务信息化项目专家论证费", "amount": 5.00, "type": None,
         "line": 447, "name_lines": [442]},
        {"name": "电子政务专项-12345市长热线和数字城管运维费", "amount": 344.40, "type": None,
         "line": 496, "name_lines": [491]},
        # line 539 prints "运维费用 1" with the 1 in the name cell: kept as part of the name
        {"name": "电子政务专项-电子政务平台建设及运维费用1", "amount": 331.50, "type": None,
         "line": 544, "name_lines": [539]},
        {"name": "电子政务专项-济源市智慧城市指挥中心扩建项目", "amount": 24.00, "type": None,
         "line": 597, "name_lines": [592]},
        {"name": "电子政务专项-政府购买“济源市人民政府”网站运维服务", "amount": 10.90,
         "type": None, "line": 649, "name_lines": [644]},
        {"name": "电子政务专项-租用专业机房资源", "amount": 108.00, "type": None,
         "line": 698, "name_lines": [693]},
        {"name": "行政审批工作费用", "amount": 67.80, "type": None,
         "line": 747, "name_lines": [742]},
        {"name": "济源市民之家综合窗口服务业务经费", "amount": 58.00, "type": None,
         "line": 796, "name_lines": [791]},
        {"name": "市政府门户网站等级保护测评", "amount": 18.00, "type": None,
         "line": 847, "name_lines": [842]},
        {"name": "市政务服务平台等级保护测评", "amount": 19.90, "type": None,
         "line": 895, "name_lines": [890]},
        {"name": "税务征管工作经费", "amount": 181.90, "type": None,
         "line": 944, "name_lines": [939]},
        {"name": "政府信息公开专项经费", "amount": 5.00, "type": None,
         "line": 993, "name_lines": [988]},
        {"name": "驻村帮扶工作经费", "amount": 5.00, "type": None,
         "line": 1041, "name_lines": [1036]},
    ],
    # only one project table: nothing to disagree with
    "performance_disagreements": [],
}

# Documents with a second project table (绩效目标表 with one entry per project) to compare the
# 项目支出表 with; Jiyuan's projects are listed only once (its 支出项目绩效目标表).
HAS_PERFORMANCE_TABLE = {ZHOUKOU: True, LUOLONG: True, ANYANG: True, PINGDINGSHAN: True,
                         JIYUAN: False}

SEEDS = [ZHOUKOU, LUOLONG, ANYANG, PINGDINGSHAN, JIYUAN]
TOTAL_FIELDS = ["income_total", "expenditure_total", "basic", "project", "sangong"]
