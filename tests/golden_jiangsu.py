"""Golden facts of the four Jiangsu PDFs (corpus/jiangsu-*.pdf, copies of ../shared/realdocs/),
read by hand from `pdftotext -layout` and checked against pdfplumber's page text.

Pages are 1-based PDF pages (they match the page numbers printed at the foot of each page).
`evidence` lists, per total, the (page, string as printed) places where it was read; the tests
check that each string is on its page.

Units: every table of these four documents prints 万元 (部门：… 单位：万元 on each table, 12 tables
in each of the three documents that have tables); no table here prints 元. The narratives speak
万元 as well. The 江苏 template differs from the Henan one: expenditure is split into 基本支出,
项目支出 and 单位预留机动经费, so 基本支出 + 项目支出 is less than the total, and the
"三公"经费 table also carries 会议费 and 培训费, whose 合计 is not the 三公 total.

None of the four lists its projects with amounts: there is no 项目支出表 and no per-project
绩效目标表 in the text. The 政府采购 tables name 专项 (e.g. 信息网络建设费) with procurement
amounts by economic class only; these are not project budgets. So `projects` is empty for all
four, and extract must not invent any.

PDF metadata is a trap: the 高级人民法院 file's Title is 离婚协议书, the 政协办公厅 file's Title
says 2015年度 (the content is 2017), the 省委办公厅 file's Title is the GBK-hex name of an .xls.
"""
from __future__ import annotations

GAOYUAN = "jiangsu-gaojirenminfayuan-2019-budget.pdf"
JIANCHAYUAN = "jiangsu-renminjianchayuan-2018-budget.pdf"
ZHENGXIE = "jiangsu-zhengxie-bangongting-2017-budget.pdf"
SHENGWEI = "jiangsu-shengwei-bangongting-2019-budget-tables.pdf"

JIANGSU_REGION = {"province": "江苏省", "city": None, "county": None}

GOLDEN_JIANGSU: dict[str, dict] = {}

# 江苏省高级人民法院 2019 年度部门预算公开: 26 pages, 概况 (p3-7), 12 tables (p8-17),
# 情况说明 (p17-25), 名词解释 (p25-26).
GOLDEN_JIANGSU[GAOYUAN] = {
    "department": "江苏省高级人民法院",  # p1 title; p8-16 部门名称：江苏省高级人民法院
    # p12 prints the name broken over two lines: 部门名称：江苏省高级人民法 / 院
    "department_raw_forms": ["江苏省高级人民法院"],
    "region": JIANGSU_REGION,
    "year": 2019,  # p1 "2019 年度部门预算公开"
    "kind": "预算",
    "totals": {
        # p8 收支预算总表 收入合计 37,188.34 (单位:万元); p9 收入预算总表 收入总计 37,188.34;
        # narrative p17 收入预算总计 37188.34 万元
        "income_total": 37188.34,
        "expenditure_total": 37188.34,  # p8 支出合计; p9 支出预算总表 合计
        # p8 / p9 / p10: 基本支出 21,968.00, 项目支出 10,208.94, 单位预留机动经费 5,011.40
        # (21,968.00 + 10,208.94 + 5,011.40 = 37,188.34); narrative p19
        "basic": 21968.00,
        "project": 10208.94,
        # p14 "三公"经费、会议费、培训费支出预算表 (单位：万 / 元, unit split over two lines):
        # 合计 2,382.02 | 三公 小计 513.75 | 因公出国(境) 160.00 | 公务用车 小计 266.80, 购置费
        # blank, 运行维护费 266.80 | 公务接待费 86.95 | 会议费 271.02 | 培训费 1,597.25.
        # 三公 = 160.00 + 266.80 + 86.95 = 513.75 (narrative p23: 160, 266.8, 86.95 万元,
        # 31.14% / 51.93% / 16.93%). 2,382.02 is NOT the 三公 total.
        "sangong": 513.75,
    },
    "evidence": {
        "income_total": [(8, "37,188.34"), (9, "37,188.34"), (17, "37188.34")],
        "expenditure_total": [(8, "37,188.34"), (9, "37,188.34")],
        "basic": [(8, "21,968.00"), (9, "21,968.00"), (10, "21,968.00")],
        "project": [(8, "10,208.94"), (9, "10,208.94"), (10, "10,208.94")],
        "sangong": [(14, "513.75")],
    },
    "reserve": 5011.40,  # 单位预留机动经费, p8 / p9 / p10
    "projects": [],
}

# 江苏省人民检察院 2018年部门预算: 31 pages, 概况 and 工作任务 (p2-13), 12 tables (p13-23),
# 情况说明 (p23-30), 名词解释 (p30-31).
GOLDEN_JIANGSU[JIANCHAYUAN] = {
    "department": "江苏省人民检察院",  # p1; every table: 部门： 江苏省人民检察院 单位：万元
    "department_raw_forms": ["江苏省人民检察院", "省检察院"],  # p13-20; p25 narrative 省检察院
    "region": JIANGSU_REGION,
    "year": 2018,  # p1 "2018年部门预算"
    "kind": "预算",
    "totals": {
        # the 收支预算总表 (公开 01 表) starts on p13 and ends on p14: 收入合计 21,955.35 (p14);
        # 收入预算总表 p14 收入总计 21,955.35; narrative p23 收入预算总计 21,955.35 万元
        # (narrative p23 spells the department one character at a time). Of it 财政拨款
        # 21,940.96 and 其他资金 14.39 (p13, p14).
        "income_total": 21955.35,
        "expenditure_total": 21955.35,  # p14 支出合计; p15 支出预算总表 合计
        # p13 / p15: 基本支出 13,994.31, 项目支出 5,573.00, 单位预留机动经费 2,388.04
        # (sum 21,955.35). The 财政拨款 tables (p15 公开 04, p16 公开 06) give 基本支出 13,979.92:
        # 14.39 less, the 其他资金. Narrative p24: 13,994.31 and 5,573.
        "basic": 13994.31,
        "project": 5573.00,
        # p19 公开 09 表: 合计 1,384.74 | 三公 小计 484.30 | 因公出国(境) 100.00 | 公务用车 小计
        # 267.80, 购置费 blank, 运行维护费 267.80 | 公务接待费 116.50 | 会议费 200.44 |
        # 培训费 700.00. 三公 = 100 + 267.80 + 116.50 = 484.30; narrative p28 agrees.
        "sangong": 484.30,
    },
    "evidence": {
        "income_total": [(14, "21,955.35"), (23, "21,955.35")],
        "expenditure_total": [(14, "21,955.35"), (15, "21,955.35")],
        "basic": [(13, "13,994.31"), (15, "13,994.31")],
        "project": [(13, "5,573.00"), (15, "5,573.00")],
        "sangong": [(19, "484.30")],
    },
    "reserve": 2388.04,  # p13, p15
    # p30: "2018 年本部门共 5 个项目实行绩效目标管理，涉及财政性资金合计 5,086 万元" but the
    # five projects are not named anywhere in the document.
    "stated_project_count": 5,
    "stated_performance_total": 5086.0,
    "projects": [],
}

# 江苏省政协办公厅 2017 年度部门预算: 20 pages of narrative. The tables are announced
# ("2017 年度部门预算公开表附后", p7; "附件：2017 年度部门预算公开表", p20) but are not in
# this PDF, so every figure comes from the narrative (all in 万元).
GOLDEN_JIANGSU[ZHENGXIE] = {
    "department": "江苏省政协办公厅",  # p1 title
    "department_raw_forms": ["江苏省政协办公厅"],  # p1, p6, p7
    "region": JIANGSU_REGION,
    "year": 2017,  # p1 "2017 年度部门预算" (the PDF metadata says 2015: wrong)
    "kind": "预算",
    "totals": {
        # p7 "收入、支出预算总计 9,146.79 万元"; p7 收入预算总计 9,146.79 (财政拨款 9,066.79 +
        # 其他资金 80); p8 收入预算合计 9,146.79
        "income_total": 9146.79,
        "expenditure_total": 9146.79,  # p7 支出预算总计 9,146.79; p8 支出预算合计
        # p8: 基本支出 5,916.27, 项目支出 3,123.68, 单位预留机动经费 106.84 (p8-9),
        # sum 9,146.79. (财政拨款 基本支出 5,836.27, p10: 80 less, the 其他资金.)
        "basic": 5916.27,
        "project": 3123.68,
        # No table and no printed total: p18-19 give the parts, 因公出国(境)费 76 万元 (11.24%),
        # 公务用车购置及运行维护费 156.60 万元 (23.16%), 公务接待费 443.50 万元 (65.60%).
        # 76 + 156.60 + 443.50 = 676.10, and the printed shares are those of 676.10.
        "sangong": 676.10,
    },
    "evidence": {
        "income_total": [(7, "9,146.79"), (8, "9,146.79")],
        "expenditure_total": [(7, "9,146.79"), (8, "9,146.79")],
        "basic": [(8, "5,916.27")],
        "project": [(8, "3,123.68")],
        "sangong": [(18, "76万元"), (18, "156.60"), (19, "443.50")],
    },
    "reserve": 106.84,  # p8 单位预留机动经费预算为 106.84 万元
    "projects": [],
}

# 中共江苏省委办公厅 2019 部门预算: 12 pages, tables only, one per page, no narrative and no
# title page. The year is printed only in the title of the last table (p12 "2019年政府采购
# 预算表").
GOLDEN_JIANGSU[SHENGWEI] = {
    "department": "中共江苏省委办公厅",  # p1-12 "部门：中共江苏省委办公厅 单位：万元"
    "department_raw_forms": ["中共江苏省委办公厅"],
    "region": JIANGSU_REGION,
    "year": 2019,  # p12 "2019年政府采购预算表"
    "kind": "预算",  # the tables are 预算表
    "totals": {
        # p1 收支预算总表 收入合计 27,664.22 (单位：万元); p2 收入预算总表 收入总计 27,664.22
        "income_total": 27664.22,
        "expenditure_total": 27664.22,  # p1 支出合计; p3 支出预算总表 合计
        # p1 / p3 / p4: 基本支出 11,700.63, 项目支出 13,025.38, 单位预留机动经费 2,938.21
        # (sum 27,664.22). p5: 一般行政管理事务 13,025.38 = the 项目支出.
        "basic": 11700.63,
        "project": 13025.38,
        # p9: 合计 1,471.70 | 三公 小计 508.20 | 因公出国(境) 70.00 | 公务用车 小计 411.20,
        # 购置费 blank, 运行维护费 411.20 | 公务接待费 27.00 | 会议费 933.50 | 培训费 30.00.
        # 三公 = 70 + 411.20 + 27 = 508.20.
        "sangong": 508.20,
    },
    "evidence": {
        "income_total": [(1, "27,664.22"), (2, "27,664.22")],
        "expenditure_total": [(1, "27,664.22"), (3, "27,664.22")],
        "basic": [(1, "11,700.63"), (3, "11,700.63"), (4, "11,700.63")],
        "project": [(1, "13,025.38"), (3, "13,025.38"), (4, "13,025.38")],
        "sangong": [(9, "508.20")],
    },
    "reserve": 2938.21,  # p1, p3, p4
    "projects": [],
}

JIANGSU_DOCS = [GAOYUAN, JIANCHAYUAN, ZHENGXIE, SHENGWEI]
