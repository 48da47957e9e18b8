"""Golden facts of 32 disclosures from the cities corpus (../shared/realdocs/cities), read by a
person from the documents themselves: `pdftotext -layout` page by page for the PDFs, the page
text for the HTML page. Nothing here was copied from the extractor's output.

Which cities: of the 291 files, only 80 hold a budget (bench/realdocs_labels.tsv), and those
come from 7 cities in 5 provinces (上海, 广州 and 珠海 in 广东, 无锡 and 苏州 in 江苏, 杭州 in
浙江, 郑州 in 河南); every other city's files are portal pages, notices or scans of notices. So
these 32 documents cover all 7 cities that have budgets, not 15. The corpus has no 决算 document
and no scanned budget (the 10 scanned PDFs are notices), and its only readable HTML budget is
the 郑州 text-only page.

Conventions:
- `page` numbers are 1-based PDF pages (the page numbers printed at the foot often differ:
  广州 prints "- 6 -" on PDF page 8). For the HTML page, `page` is None.
- `evidence` maps a fact to (page, string as printed); the tests check each string is on its
  page (whitespace ignored), so every value here can be traced to where it was read.
- Amounts are 万元. Tables printed in 元 (上海's 单位预算 tables) are divided by 10000 with full
  precision; the 上海 三公 table prints 万元 itself (单位:万元) and is kept as printed.
- income_total / expenditure_total are the 收入总计 / 支出总计 of the all-funds table
  (收支总表, 收支预算总表, 收支总体情况表), including 上年结转 where printed, never the
  财政拨款收支总表 (which differs where other funds exist: 广州统计局 9,483.72 vs 9,433.72).
- basic / project are the 基本支出 / 项目支出 of the same budget. Where a layout prints 基本支出
  only as its two columns (人员支出 + 日常公用支出: 杭州 表3, 上海 01表) the golden value is
  their sum, checked against the narrative or another table.
- sangong is the "三公"经费 total (因公出国(境) + 公务用车购置及运行 + 公务接待), never the
  合计 of a table that also carries 会议费 / 培训费 (江苏 09表) or 行政经费 (广州 表8).
- A fact a document does not print is left out (not set to 0), with a note.
- `projects` lists a few projects as printed (name joined over its wrapped lines, amount in 万元)
  and `project_count` the number of project rows the document prints; a document that prints
  no project list has project_count 0 and no projects.
"""
from __future__ import annotations

SHANGHAI = {"province": "上海市", "city": "上海市", "county": None}
GUANGZHOU = {"province": "广东省", "city": "广州市", "county": None}
ZHUHAI = {"province": "广东省", "city": "珠海市", "county": None}
HANGZHOU = {"province": "浙江省", "city": "杭州市", "county": None}
WUXI = {"province": "江苏省", "city": "无锡市", "county": None}
SUZHOU = {"province": "江苏省", "city": "苏州市", "county": None}
ZHENGZHOU = {"province": "河南省", "city": "郑州市", "county": None}

GOLDEN_CITIES: dict[str, dict] = {}


def _doc(path: str, **facts) -> None:
    facts.setdefault("kind", "预算")
    facts.setdefault("projects", [])
    facts.setdefault("project_count", 0)
    facts.setdefault("notes", "")
    GOLDEN_CITIES[path] = facts


# ---- 上海: 上海市2026年市级单位预算, one unit per file (the file name names its parent
# department). Tables 01-10 in 元, table 11 (三公) in 万元. 01表 财务收支预算总表 splits 基本支出
# into 人员经费 / 公用经费; 03表 支出预算总表 prints 合计 / 基本支出 / 项目支出.

_doc("上海/2026年上海市商务局_部门预算.pdf",
     department="上海钻石宝玉石交易联合管理办公室", department_forms=[],
     region=SHANGHAI, year=2026,
     # p7 01表 收入总计 7,233,086 = 支出总计; 人员经费 2,994,733 + 公用经费 3,968,353 = 6,963,086
     # (p9 03表 合计 7,233,086 6,963,086 270,000); p18 三公 18.10 = 12.60 + 2.00 + 3.50
     totals={"income_total": 723.3086, "expenditure_total": 723.3086, "basic": 696.3086,
             "project": 27.0, "sangong": 18.10},
     evidence={"department": [(1, "预算单位：上海钻石宝玉石交易联合管理办公室")],
               "income_total": [(7, "7,233,086")], "basic": [(9, "6,963,086")],
               "project": [(9, "270,000"), (17, "270,000")], "sangong": [(18, "18.10")]},
     # p17 10表 财政拨款项目支出预算表: one row, 1 钻石宝玉石产业发展专项 270,000 (元)
     projects=[{"name": "钻石宝玉石产业发展专项", "amount": 27.0, "page": 17}],
     project_count=1)

_doc("上海/2026年上海市审计局_部门预算.pdf",
     department="上海市审计局", department_forms=[], region=SHANGHAI, year=2026,
     # p7 01表 prints the 收入总计 cell blank; its only income 一、财政拨款收入 195,774,300, and
     # p9 02表 收入预算总表 合计 195,774,300. p11 03表 合计 195,774,300 175,071,300 20,703,000.
     # p19 三公 237.92 = 201.80 + 8.12 + 28.00.
     totals={"income_total": 19577.43, "expenditure_total": 19577.43, "basic": 17507.13,
             "project": 2070.3, "sangong": 237.92},
     evidence={"income_total": [(7, "195,774,300"), (9, "195,774,300")],
               "basic": [(11, "175,071,300")], "project": [(11, "20,703,000")],
               "sangong": [(19, "237.92")]},
     notes="01表 prints 收入总计 with an empty amount cell")

_doc("上海/2026年上海市信访局_部门预算.pdf",
     department="上海市信访办公室", department_forms=[], region=SHANGHAI, year=2026,
     # p7 收入总计 288,280,739 支出总计 288,280,739 | 49,367,694 10,679,246 228,233,799;
     # p11 03表 合计 288,280,739 60,046,940 228,233,799; p19 三公 84.00 = 30.00 + 5.00 + 49.00
     totals={"income_total": 28828.0739, "expenditure_total": 28828.0739, "basic": 6004.694,
             "project": 22823.3799, "sangong": 84.0},
     evidence={"department": [(1, "预算单位：上海市信访办公室")],
               "income_total": [(7, "288,280,739")], "basic": [(11, "60,046,940")],
               "project": [(7, "228,233,799"), (11, "228,233,799")], "sangong": [(19, "84.00")]})

_doc("上海/2026年上海市交通运输局_部门预算.pdf",
     department="上海交通职业技术学院", department_forms=[], region=SHANGHAI, year=2026,
     # p7 财政拨款 304,413,900 + 事业收入 50,000,000 + 其他收入 54,282,100 = 收入总计 408,696,000;
     # p11 03表 合计 408,696,000 336,310,530 72,385,470; p20 三公 67.59 = 35.00 + 12.49 + 20.10
     totals={"income_total": 40869.6, "expenditure_total": 40869.6, "basic": 33631.053,
             "project": 7238.547, "sangong": 67.59},
     evidence={"department": [(1, "预算单位：上海交通职业技术学院")],
               "income_total": [(7, "408,696,000")], "basic": [(11, "336,310,530")],
               "project": [(11, "72,385,470")], "sangong": [(20, "67.59")]},
     notes="file named after 交通运输局, holds the 单位预算 of 上海交通职业技术学院; "
           "income includes 事业收入 and 其他收入")

_doc("上海/2026年上海市政务服务和数据管理局_部门预算.pdf",
     department="上海市数据局", department_forms=[], region=SHANGHAI, year=2026,
     # p7 收入总计 471,452,100; p13 03表 合计 471,452,100 36,289,100 435,163,000
     # (p7's first row prints 项目支出 435,139,000 for 一般公共服务支出 only); p21 三公 143.14
     totals={"income_total": 47145.21, "expenditure_total": 47145.21, "basic": 3628.91,
             "project": 43516.3, "sangong": 143.14},
     evidence={"income_total": [(7, "471,452,100")], "basic": [(13, "36,289,100")],
               "project": [(7, "435,163,000"), (13, "435,163,000")], "sangong": [(21, "143.14")]})

_doc("上海/2026年上海市发展和改革局_部门预算.pdf",
     department="上海市域外农场管理办公室", department_forms=[], region=SHANGHAI, year=2026,
     # p7 收入总计 118,853,953 支出总计 118,853,953, 基本支出 columns empty, 项目支出 118,853,953;
     # p9 03表 合计 118,853,953 118,853,953. p15 三公 table has no amounts at all.
     totals={"income_total": 11885.3953, "expenditure_total": 11885.3953,
             "project": 11885.3953},
     evidence={"income_total": [(7, "118,853,953")], "project": [(9, "118,853,953")]},
     notes="all expenditure is project expenditure: the 基本支出 cells are empty (not printed), "
           "and the 三公 table prints no amounts, so basic and sangong are left out")

_doc("上海/2026年上海市卫生健康委员会_部门预算.pdf",
     department="上海市中医文献馆", department_forms=[], region=SHANGHAI, year=2026,
     # p7 财政拨款 26,935,500 + 事业收入 57,074,300 = 收入总计 84,009,800;
     # 21,208,906 + 4,052,074 = 25,260,980 (p9 03表 合计 84,009,800 25,260,980 58,748,820);
     # p16 三公 3.48 = 0.28 + 3.20
     totals={"income_total": 8400.98, "expenditure_total": 8400.98, "basic": 2526.098,
             "project": 5874.882, "sangong": 3.48},
     evidence={"department": [(1, "预算单位：上海市中医文献馆")],
               "income_total": [(7, "84,009,800")], "basic": [(9, "25,260,980")],
               "project": [(9, "58,748,820")], "sangong": [(16, "3.48")]})

# ---- 广州 / 珠海: 广东 template, 12 tables in 万元. 表1 收支总体情况表 (收入总计 on its second
# page), 表3 本年支出总体情况表 (合计 / 基本支出 / 项目支出), 表8 行政经费及"三公"经费 (the
# "三公"经费 row, not 行政经费), 表12 部门预算项目支出及其他支出预算表: a unit row, then its
# projects indented under it (支出项目类别（资金使用单位）), names wrapped over lines.

_doc("广州/2026年广州市气象局部门预算.pdf",
     department="广州市气象局", department_forms=[], region=GUANGZHOU, year=2026,
     # p6 收入总计 7,651.71 支出总计 7,651.71; p8 表3 合计 7,651.71 6,146.33 1,505.38;
     # p17 "三公"经费 26.11 = 0.00 + 24.80 + 1.31 (行政经费 523.62 is not 三公)
     totals={"income_total": 7651.71, "expenditure_total": 7651.71, "basic": 6146.33,
             "project": 1505.38, "sangong": 26.11},
     evidence={"income_total": [(6, "7,651.71")], "basic": [(8, "6,146.33")],
               "project": [(8, "1,505.38"), (22, "1,505.38")], "sangong": [(17, "26.11")]},
     # p22-24 表12: 广州市气象局 276.00 (3 projects), 防雷减灾管理办公室 30.00 (2), 气象台 284.00
     # (5), 生态与农业气象中心 117.44 (6), 气象综合保障中心 797.94 (6): 22 project rows adding
     # up to 1,505.38. 机构运行辅助经费 is printed once for each of 5 units.
     projects=[{"name": "业务用房物业管理费", "amount": 168.00, "page": 22},
               {"name": "专用设备机房电耗工作经费", "amount": 140.00, "page": 22},
               {"name": "广州市气候与农业气象中心2021年面向城市供电设施安全的气象灾害定制化预报预警系统",
                "amount": 53.44, "page": 23},
               {"name": "广州市气象综合保障中心2026年-2027年信息化运维项目", "amount": 568.42,
                "page": 24}],
     project_count=22)

_doc("广州/信访局_2026年部门预算.pdf",
     department="广州市信访局", department_forms=[], region=GUANGZHOU, year=2026,
     # p6 收入总计 3,944.08; p8 表3 合计 3,944.08 3,204.78 739.30; p15 "三公"经费 4.80
     totals={"income_total": 3944.08, "expenditure_total": 3944.08, "basic": 3204.78,
             "project": 739.30, "sangong": 4.80},
     evidence={"income_total": [(6, "3,944.08")], "basic": [(8, "3,204.78")],
               "project": [(8, "739.30"), (19, "739.30")], "sangong": [(15, "4.80")]},
     # p19-20 表12: one unit, 9 projects: 物业管理费 99.00, 市人民来访接待厅专项经费 145.00,
     # 机构运行辅助经费 28.00, 社工服务外包项目 45.00, 云客服服务外包项目 252.28, 信访工作专项经费
     # 100.00, 广州市信访局2025-2026年信息化运维项目 40.41, 信访宣传经费 5.00,
     # 广州市信访局2026-2027年信息化运维项目 24.61 (sum 739.30)
     projects=[{"name": "物业管理费", "amount": 99.00, "page": 19},
               {"name": "市人民来访接待厅专项经费", "amount": 145.00, "page": 19},
               {"name": "云客服服务外包项目", "amount": 252.28, "page": 19},
               {"name": "广州市信访局2025-2026年信息化运维项目", "amount": 40.41, "page": 20}],
     project_count=9)

_doc("广州/统计局_2026年部门预算.pdf",
     department="广州市统计局", department_forms=[], region=GUANGZHOU, year=2026,
     # p7 收入总计 9,483.72 (all funds); p12 财政拨款收支总体情况表 收入总计 9,433.72 (not the
     # whole budget); p9 表3 合计 9,483.72 8,401.67 1,082.05; p17 "三公"经费 19.86
     totals={"income_total": 9483.72, "expenditure_total": 9483.72, "basic": 8401.67,
             "project": 1082.05, "sangong": 19.86},
     evidence={"income_total": [(7, "9,483.72")], "basic": [(9, "8,401.67")],
               "project": [(9, "1,082.05"), (21, "1,082.05")], "sangong": [(17, "19.86")]},
     # p21-22 表12: 广州市统计局 1,075.05 (9 projects) + 统计监测中心 7.00 (其他运行经费): 10
     projects=[{"name": "广州市采购经理人指数调查编制工作经费", "amount": 100.00, "page": 21},
               {"name": "上级拨入专项调查经费", "amount": 50.00, "page": 21},
               {"name": "广州市第四次全国农业普查经费", "amount": 534.72, "page": 22},
               {"name": "广州市第四次全国农业普查宣传经费", "amount": 76.30, "page": 22}],
     project_count=10)

_doc("广州/2026年广州市人民政府办公厅部门预算.pdf",
     department="广州市人民政府办公厅", department_forms=[], region=GUANGZHOU, year=2026,
     # p6 收入总计 16,410.71; p8 表3 合计 16,410.71 14,913.65 1,497.06; p17 "三公"经费 226.86
     totals={"income_total": 16410.71, "expenditure_total": 16410.71, "basic": 14913.65,
             "project": 1497.06, "sangong": 226.86},
     evidence={"income_total": [(6, "16,410.71")], "basic": [(8, "14,913.65")],
               "project": [(8, "1,497.06")], "sangong": [(17, "226.86")]},
     # p21-23 表12: 办公厅 1,361.61 (6), 政务信息系统管理中心 70.30 (4), 公文交换站 65.15 (4): 14
     projects=[{"name": "专项工作经费", "amount": 749.25, "page": 22},
               {"name": "广州市人民政府办公厅2025-2026年度信息化整体运维服务项目",
                "amount": 138.05, "page": 22},
               {"name": "广州市人民政府办公厅2025年度政务信息化建设项目", "amount": 26.20,
                "page": 23}],
     project_count=14)

_doc("广州/2026年广州市政务服务和数据管理局部门预算.pdf",
     department="广州市政务服务和数据管理局", department_forms=[], region=GUANGZHOU, year=2026,
     # p7 收入总计 98,880.78; p9 表3 合计 98,880.78 12,634.14 86,246.64; p17 "三公"经费 44.94
     totals={"income_total": 98880.78, "expenditure_total": 98880.78, "basic": 12634.14,
             "project": 86246.64, "sangong": 44.94},
     evidence={"income_total": [(7, "98,880.78")], "basic": [(9, "12,634.14")],
               "project": [(9, "86,246.64"), (21, "86,246.64")], "sangong": [(17, "44.94")]},
     # p21-42 表12: 政务服务和数据管理局 16,926.32 (21 projects), 数字政府运营中心 67,756.88 (37),
     # 政务服务中心 834.36 (7), 市长专线电话受理中心 729.07 (5): 70 project rows; each unit's
     # rows add up to its printed amount within a cent or two of rounding. One row's name is
     # printed as a code only (GZIT2022-SM-W-C-051103, 3,457.38).
     projects=[{"name": "广州12345政务服务便民热线平台运营项目", "amount": 12000.00, "page": 21},
               {"name": "广州市数字政府运营中心2026-2029年广州市信息基础设施统一运维服务项目",
                "amount": 10247.42, "page": 35},
               {"name": "广州12345政府服务热线受理中心2025年热线智能平台建设项目",
                "amount": 463.32, "page": 42},
               {"name": "热线中心购置经费", "amount": 10.72, "page": 41}],
     project_count=70)

_doc("珠海/财政局_2026年部门预算.pdf",
     department="珠海市政府投资交通市政项目工务中心", department_forms=[],
     region=ZHUHAI, year=2026,
     # p5 本年收入合计 7,552.81, 收入总计 7,552.92 = 支出总计 7,552.92 (上年结转 0.11);
     # p7 表3 合计 7,552.92 0.00 7,552.92 (no 基本支出); p14 "三公"经费 0.00
     totals={"income_total": 7552.92, "expenditure_total": 7552.92, "basic": 0.0,
             "project": 7552.92, "sangong": 0.0},
     evidence={"department": [(1, "珠海市政府投资交通市政项目工务中心")],
               "income_total": [(5, "7,552.92")], "project": [(7, "7,552.92")]},
     # p18-19 表12: 公益二类事业人员工资 691.81, 定额补助经费——运行经费 39.71, 定额补助经费——
     # 项目经费 5.40, 黄杨泵站至缯坑水库第二条原水管建设工程-2026年 4,237.00,
     # 广南梅第二条原水管道工程一期工程-2026年 2,579.00 (sum 7,552.92)
     projects=[{"name": "公益二类事业人员工资", "amount": 691.81, "page": 18},
               {"name": "黄杨泵站至缯坑水库第二条原水管建设工程-2026年", "amount": 4237.00,
                "page": 18},
               {"name": "广南梅第二条原水管道工程一期工程-2026年", "amount": 2579.00, "page": 19}],
     project_count=5,
     notes="file named 财政局, holds the 部门预算 of 珠海市政府投资交通市政项目工务中心; "
           "basic 0.00 as printed; 本年收入合计 7,552.81 + 上年结转 0.11 = 收入总计 7,552.92")

_doc("广州/生态环境局_广州市生态环境局2026年部门整体预算绩效目标申报表.pdf.pdf",
     department="广州市生态环境局", department_forms=[], region=GUANGZHOU, year=2026,
     # p1 部门预算支出: 基本支出 58,118.59, 项目支出 27,825.19; 收入来源: 财政拨款 92,008.68,
     # 其他资金 1,577.77. The form prints no 收入总计 / 支出总计.
     totals={"basic": 58118.59, "project": 27825.19},
     evidence={"basic": [(1, "58,118.59")], "project": [(1, "27,825.19")]},
     notes="部门整体预算绩效目标申报表: a one-page form of the disclosure, no standard tables; "
           "its 名称 / 拟投入的资金 rows are performance tasks, not projects")

# ---- 杭州: 表1 收支预算总表 (收入总计 after 上年结转结余), 表3 支出预算总表 (基本支出 as two
# columns 人员支出 / 日常公用支出, 项目支出), 表7 "三公" (三公 only), 表10 项目支出预算表 (单位名称,
# 项目名称, one row per project).

_doc("杭州/2026年杭州市气象局部门预算.pdf",
     department="杭州市气象局", department_forms=[], region=HANGZHOU, year=2026,
     # p15 收入总计 5,876.67; p17 表3 合计 5,876.67 | 2,906.80 838.27 | 2,131.61;
     # p19 表5 and p7 narrative 一般公共预算基本支出 3,745.07; p21 表7 合计 24.02
     totals={"income_total": 5876.67, "expenditure_total": 5876.67, "basic": 3745.07,
             "project": 2131.61, "sangong": 24.02},
     evidence={"income_total": [(15, "5,876.67")], "basic": [(17, "2,906.80"), (17, "838.27")],
               "project": [(17, "2,131.61"), (24, "2,131.61")], "sangong": [(21, "24.02")]},
     projects=[{"name": "气象业务建设", "amount": 1097.02, "page": 24},
               {"name": "气象设施维护及科普", "amount": 887.90, "page": 24},
               {"name": "专业系统维护及科普", "amount": 146.69, "page": 24}],
     project_count=3,
     notes="3,745.07 + 2,131.61 = 5,876.68, 0.01 over the printed total (the tables' note: "
           "rounding 尾差)")

_doc("杭州/2026年杭州市司法局部门预算.pdf",
     department="杭州市司法局", department_forms=[], region=HANGZHOU, year=2026,
     # p23 本年收入合计 98,883.14, p24 上年结转结余 347.32, 收入总计 99,230.46;
     # p26 表3 合计 99,230.46 | 58,486.35 12,237.94 | 28,506.17; p13 基本支出 70,724.29;
     # p34 表7 合计 413.68
     totals={"income_total": 99230.46, "expenditure_total": 99230.46, "basic": 70724.29,
             "project": 28506.17, "sangong": 413.68},
     evidence={"income_total": [(24, "99,230.46")], "basic": [(13, "70,724.29")],
               "project": [(26, "28,506.17"), (37, "28,506.17")], "sangong": [(34, "413.68")]},
     # p37-38 表10: 31 rows (司法局 6, 东郊监狱 5, 西郊 5, 南郊 5, 北郊 4, 富春戒毒所 5,
     # 法律援助中心 1); the rows add up to 28,506.18, 0.01 over 合计
     projects=[{"name": "法治杭州建设", "amount": 69.00, "page": 37},
               {"name": "狱政设施建设", "amount": 12898.00, "page": 38},
               {"name": "法律援助", "amount": 317.82, "page": 38}],
     project_count=31)

_doc("杭州/2026年杭州市交通运输局部门预算.pdf",
     department="杭州市交通运输局", department_forms=[], region=HANGZHOU, year=2026,
     # p23 上年结转结余 17,858.84, 收入总计 665964.37 (printed without separators);
     # p26 表3 合计 665,964.37 | 73,924.43 15868.83 | (项目支出 cell blank in the 合计 row);
     # p37 表10 合计 576,171.11 = 665,964.37 - 73,924.43 - 15,868.83; p34 表7 合计 873.20
     totals={"income_total": 665964.37, "expenditure_total": 665964.37, "basic": 89793.26,
             "project": 576171.11, "sangong": 873.20},
     evidence={"income_total": [(23, "665964.37"), (26, "665,964.37")],
               "basic": [(26, "73,924.43"), (26, "15868.83")],
               "project": [(37, "576,171.11")], "sangong": [(34, "873.20")]},
     # p37-38 表10: 27 rows adding up to 576,171.11
     projects=[{"name": "综合交通规划及发展研究", "amount": 360.00, "page": 37},
               {"name": "行业内相关政府补偿", "amount": 504000.00, "page": 37},
               {"name": "小客车总量调控工作", "amount": 1079.14, "page": 37}],
     project_count=27)

_doc("杭州/2026年杭州市公安局部门预算.pdf",
     department="杭州市公安局", department_forms=[], region=HANGZHOU, year=2026,
     # p20 上年结转结余 4,023.45, 收入总计 404,415.23; p23 表3 合计 404,415.23 | 250,110.65
     # 47,792.58 | (blank); p32 表10 合计 106,512.00; p29 表7 合计 4,112.82
     totals={"income_total": 404415.23, "expenditure_total": 404415.23, "basic": 297903.23,
             "project": 106512.00, "sangong": 4112.82},
     evidence={"income_total": [(20, "404,415.23")], "basic": [(23, "250,110.65"), (23, "47,792.58")],
               "project": [(32, "106,512.00")], "sangong": [(29, "4,112.82")]},
     # p32-33 表10: 33 project rows; they add up to 106,313.00, 199.00 short of the printed 合计
     # 106,512.00 (which 表3 confirms: 404,415.23 - 250,110.65 - 47,792.58)
     projects=[{"name": "执法办案", "amount": 6192.04, "page": 32},
               {"name": "被监管人员生活保障及改造", "amount": 5870.33, "page": 32},
               {"name": "机动车驾驶员考试服务", "amount": 9357.02, "page": 33}],
     project_count=33,
     notes="the document disagrees with itself: its 33 project rows add up to 106,313.00, the "
           "printed 项目支出 合计 is 106,512.00")

# ---- 江苏 cities (无锡, 苏州): 13 tables in 万元. 01 收支总表 收入总计 / 支出总计, 03 支出总表
# 合计 / 基本支出 / 项目支出, 09 "三公"经费、会议费、培训费支出表 (三公 合计 is its first
# column; 会议费 and 培训费 are not 三公). No project list: the prose gives only a count of
# projects under 绩效目标 management. 单位预算 files name a unit (（本级）).


def _jiangsu(path, department, region, year, income, basic, project, sangong, pages,
             forms=(), notes=""):
    income_page, expenditure_page, sangong_page = pages
    _doc(path, department=department, department_forms=list(forms), region=region, year=year,
         totals={"income_total": income, "expenditure_total": income, "basic": basic,
                 "project": project, "sangong": sangong},
         evidence={"income_total": [(income_page, f"{income:,.2f}")],
                   "basic": [(expenditure_page, f"{basic:,.2f}")],
                   "project": [(expenditure_page, f"{project:,.2f}")],
                   "sangong": [(sangong_page, f"{sangong:,.2f}")]},
         notes=notes)


_jiangsu("无锡/2026年无锡市统计局部门预算.pdf", "无锡市统计局", WUXI, 2026,
         3210.10, 2235.04, 975.06, 3.00, (8, 10, 20))
_jiangsu("无锡/信访局_2026年部门预算.pdf", "无锡市信访局", WUXI, 2025,
         2867.94, 1692.29, 1175.65, 1.50, (10, 12, 21),
         notes="named 2026, the content is the 2025 年度 budget")
_jiangsu("无锡/2026年无锡市交通运输局部门预算.pdf", "无锡市交通运输局（本级）", WUXI, 2026,
         984760.87, 3305.86, 981455.01, 2.02, (14, 16, 26), forms=["无锡市交通运输局"],
         notes="单位预算 of the bureau's own unit (本级)")
_jiangsu("无锡/商务局_2026年部门预算.pdf", "无锡市商务局", WUXI, 2026,
         17466.65, 4670.40, 12796.25, 6.40, (9, 11, 21))
_jiangsu("无锡/应急管理局_2026年部门预算.pdf", "无锡市应急管理局", WUXI, 2026,
         9096.11, 3604.32, 5491.79, 14.93, (10, 12, 22))
_jiangsu("无锡/2026年无锡市住房和建设局部门预算.pdf", "无锡市住房和城乡建设局（本级）", WUXI, 2026,
         106428.00, 5067.10, 101360.90, 7.00, (9, 11, 21), forms=["无锡市住房和城乡建设局"],
         notes="单位预算 of the bureau's own unit (本级)")
_jiangsu("苏州/2026年苏州市审计局部门预算.pdf", "苏州市审计局", SUZHOU, 2026,
         4651.67, 4312.17, 339.50, 10.00, (9, 11, 18))
_jiangsu("苏州/2026年苏州市数据局部门预算.pdf", "苏州市数据局", SUZHOU, 2026,
         64090.74, 6895.74, 57195.00, 18.30, (7, 9, 21))
_jiangsu("苏州/2026年苏州市水务局部门预算.pdf", "苏州市水务局", SUZHOU, 2026,
         92596.24, 2147.85, 90448.39, 15.00, (11, 13, 22), notes="单位预算")
_jiangsu("苏州/2026年苏州市科技创新局部门预算.pdf", "苏州市科学技术局", SUZHOU, 2026,
         186241.00, 2281.84, 183959.16, 4.00, (12, 14, 26),
         notes="单位预算 of 苏州市科学技术局 (file named 科技创新局)")
_jiangsu("苏州/生态环境局_2026年部门预算.pdf", "苏州市生态环境局", SUZHOU, 2026,
         41183.84, 3373.21, 37810.63, 20.00, (10, 12, 21), notes="单位预算")
_jiangsu("苏州/2026年苏州市交通运输局部门预算.pdf", "苏州市交通运输局", SUZHOU, 2026,
         249977.11, 29606.33, 220370.78, 345.63, (8, 10, 22))

# 无锡 城市管理和综合执法局 file: the 单位预算 of another unit, no 项目支出 at all.
_doc("无锡/城市管理和综合执法局_2026年部门预算.pdf",
     department="无锡市应急管理综合行政执法监督局", department_forms=[], region=WUXI, year=2026,
     # p6 收入总计 1,136.23; p8 03表 合计 1,136.23 1,136.23 (项目支出 cell empty); p15 三公 0.00
     totals={"income_total": 1136.23, "expenditure_total": 1136.23, "basic": 1136.23,
             "sangong": 0.0},
     evidence={"income_total": [(6, "1,136.23")], "basic": [(8, "1,136.23")]},
     notes="file named after 城市管理和综合执法局, holds the 单位预算 of 无锡市应急管理综合行政执法"
           "监督局; the 项目支出 cells are empty, so project is left out")

# ---- 郑州: the only HTML budget of the corpus, a text-only page (2015) whose tables are an
# .xls link. Totals in prose, in 万元 with four decimals.
_doc("郑州/规划和自然资源局_2026年部门预算.html",
     department="郑州市国土资源局", department_forms=["郑州市土地储备中心"],
     region=ZHENGZHOU, year=2015,
     # "2015年收入预算共安排国库拨款资金923.1961万元" / "预算支出安排一般公共预算财政拨款支出
     # 923.1961万元" / "“三公经费”预算数为71万元"
     totals={"income_total": 923.1961, "expenditure_total": 923.1961, "sangong": 71.0},
     evidence={"income_total": [(None, "国库拨款资金923.1961万元")],
               "expenditure_total": [(None, "财政拨款支出923.1961万元")],
               "sangong": [(None, "“三公经费”预算数为71万元")],
               "department": [(None, "郑州市国土资源局2015年度部门预算公开情况说明")]},
     notes="title names 郑州市国土资源局, the body describes its unit 郑州市土地储备中心 (either "
           "is accepted); 基本支出 / 项目支出 are not printed as such (only 工资福利 494.8144, "
           "对个人和家庭补助 51.7317, 公用及运转 370.65, 专项事业发展 6 万元), so left out")

CITY_DOCS = sorted(GOLDEN_CITIES)
