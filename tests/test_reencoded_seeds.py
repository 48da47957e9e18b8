"""Acceptance 2: the five seeds re-encoded, and re-shaped as HTML pages with their tables
as <table>, give the same facts as the originals."""
from __future__ import annotations

import codecs
import html
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from budgetsearch.indexer.pipeline import extract_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEEDS = sorted(p for p in CORPUS.iterdir() if p.suffix in {".txt", ".md"})


@lru_cache(maxsize=None)
def original(seed: Path) -> dict[str, Any]:
    return extract_file(seed).to_dict()


def key_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """What a reader compares across formats; line numbers differ once blank lines go."""
    return {
        "department": facts["department"],
        "region": facts["region"],
        "year": facts["year"],
        "kind": facts["kind"],
        "totals": facts["totals"],
        "projects": [(p["name"], p["amount"]) for p in facts["projects"]],
        "is_budget": facts["is_budget"],
    }


def as_html(text: str, charset: str) -> str:
    """Tab-separated lines become table rows, runs of them one <table>; others <p>."""
    out = [f'<html><head><meta charset="{charset}"><title>部门预算</title></head><body>']
    in_table = False
    for line in text.splitlines():
        if "\t" in line:
            if not in_table:
                out.append("<table>")
                in_table = True
            cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in line.split("\t"))
            out.append(f"<tr>{cells}</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        out.append(f"<p>{html.escape(line)}</p>")
    out.append("</table></body></html>" if in_table else "</body></html>")
    return "\n".join(out)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_facts_are_real(seed):
    # Comparisons of empty facts would prove nothing.
    facts = original(seed)
    assert facts["is_budget"] and facts["department"] and facts["year"]
    assert facts["totals"]["income_total"] and facts["projects"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("label, encode", [
    ("gb18030", lambda t: t.encode("gb18030")),
    ("utf16-bom", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
    ("utf16be", lambda t: t.encode("utf-16-be")),
])
def test_reencoded_seed_gives_the_same_facts(tmp_path, seed, label, encode):
    target = tmp_path / seed.name
    target.write_bytes(encode(seed.read_text(encoding="utf-8")))
    facts = extract_file(target).to_dict()
    expected = dict(original(seed))
    for name in ("source", "format"):
        facts.pop(name)
        expected.pop(name)
    assert facts == expected  # same lines, so every fact and line reference is the same


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gb2312", "gb18030")])
def test_seed_as_html_gives_the_same_facts(tmp_path, seed, charset, encoding):
    target = tmp_path / f"{seed.stem}.html"
    target.write_bytes(as_html(seed.read_text(encoding="utf-8"), charset).encode(encoding))
    facts = extract_file(target)
    assert facts.format == "html"
    assert key_facts(facts.to_dict()) == key_facts(original(seed))
