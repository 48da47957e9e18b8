"""A synthetic corpus of N budget documents made from the text seeds in corpus/.

Each document is a seed with its region (city, county, division code), department name,
year and amounts changed and some project names varied; tables and layout are kept, so
the extractor and the index see documents shaped like real ones.

    python bench/synthetic.py OUT_DIR [N]
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {  # seed file -> (names of its region as printed, longest first)
    "zhoukou-xzfwzx-2024-budget.txt": ("周口市", "周口", None, "411600", 2024),
    "luolong-zwfwzx-2024-budget.md": ("洛阳市", "洛阳", "洛龙区", "410311", 2024),
    "anyang-zwfwzx-2024-budget.md": ("安阳市", "安阳", None, "410500", 2024),
    "pingdingshan-gxq-xzfwzx-2024-budget.txt": ("平顶山市", "平顶山", None, "410400", 2024),
    "jiyuan-xzfwzx-2020-budget.txt": ("济源市", "济源", None, "419001", 2020),
}
NAME_VARIANTS = [("物业管理费", "物业服务费"), ("便民大厅", "政务服务大厅"),
                 ("运行维护费", "运维费"), ("12345政务服务便民热线", "12345便民服务热线"),
                 ("网站运维", "门户网站运维"), ("互联网专线", "电子政务外网专线"),
                 ("电梯维修", "设施设备维修"), ("值班带班补助", "值班补助")]
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,5}\.\d{1,2})(?![\d.])")


def load_divisions() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    cities, counties = [], []
    for line in (ROOT / "indexer" / "data" / "divisions.tsv").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 3:
            continue
        if parts[2] == "prefecture" and parts[1].endswith("市"):
            cities.append((parts[0], parts[1]))
        elif parts[2] == "county" and parts[1].endswith(("区", "县")):
            counties.append((parts[0], parts[1]))
    return cities, counties


def vary(text: str, seed: tuple, rng: random.Random, cities, counties) -> str:
    city_full, city_short, county, code, year = seed
    new_code, new_city = rng.choice(cities)
    new_year = rng.randint(2018, 2026)
    if county:
        county_code, new_county = rng.choice(counties)
        text = text.replace(county, new_county).replace(county[:-1], new_county[:-1])
        text = text.replace(code, county_code)
    else:
        text = text.replace(code, new_code)
    text = text.replace(city_full, new_city).replace(city_short, new_city[:-1])
    text = text.replace(str(year), str(new_year)).replace(str(year - 1), str(new_year - 1))
    factor = rng.uniform(0.4, 2.5)
    text = _AMOUNT.sub(lambda m: f"{float(m.group(1)) * factor:.2f}", text)
    for old, new in rng.sample(NAME_VARIANTS, k=3):
        text = text.replace(old, new)
    return text


def make_corpus(out: Path, n: int, seed: int = 7) -> list[Path]:
    """Write n documents into out/ (deterministic for a given seed); returns their paths."""
    rng = random.Random(seed)
    cities, counties = load_divisions()
    seeds = [(name, (ROOT / "corpus" / name).read_text("utf-8"), info)
             for name, info in SEEDS.items()]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        name, text, info = seeds[i % len(seeds)]
        path = out / f"synthetic-{i:05d}-{Path(name).stem}{Path(name).suffix}"
        path.write_text(vary(text, info, rng, cities, counties), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    made = make_corpus(target, count)
    print(f"{len(made)} documents, {sum(p.stat().st_size for p in made) / 1e6:.1f} MB in {target}")
