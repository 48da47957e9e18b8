"""The command line as a shell user meets it: amounts read like the API, pipes closed early,
file names with terminal escapes, an offset past the end, facets cut, failed files named,
no progress bar in a log, batch search and the SQLite export."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from budgetsearch.web.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ZHOUKOU = "zhoukou-xzfwzx-2024-budget.txt"
JIYUAN = "jiyuan-xzfwzx-2020-budget.txt"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus of two seeds and an empty file, and its index."""
    from budgetsearch.indexer.index import update_index

    base = tmp_path_factory.mktemp("cli")
    corpus = base / "corpus"
    corpus.mkdir()
    for name in (ZHOUKOU, JIYUAN):
        shutil.copy(CORPUS / name, corpus / name)
    (corpus / "empty.txt").write_text("")
    update_index([corpus], base / "index", progress=False)
    return corpus, base / "index"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN", "abc"])
def test_min_amount_refuses_what_is_not_a_finite_number(value: str, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["search", "热线", f"--min-amount={value}", "--index-dir", "x"])
    assert exc.value.code == 2
    assert f"must be a finite number of 万元 (1,000 or 12.5), not '{value}'" in capsys.readouterr().err


def test_amounts_with_thousands_commas_are_read_as_the_api_reads_them(small, capsys) -> None:
    _, index = small
    assert main(["search", "接线员工资", "--min-amount", "1,00", "--max-amount", "1,000",
                 "--index-dir", str(index), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # 周口 prints 接线员工资 426.24 (L488); a filter of 1,000 (not 1.0) keeps it, 1,00 = 100
    assert [h["amount"] for h in result["hits"]] == [426.24]


def test_offset_past_the_end_says_so(small, capsys) -> None:
    _, index = small
    assert main(["search", "12345热线", "--offset", "100", "--index-dir", str(index)]) == 0
    out = capsys.readouterr().out
    assert "(no match)" not in out
    assert "offset 100 is past the last hit: try --offset 0" in out


def test_facet_values_past_eight_are_counted() -> None:
    from budgetsearch.search.render import format_hits

    result = {"type": "project", "total": 0, "hits": [], "counts": {},
              "facets": {"department": {f"部门{i}": 20 - i for i in range(11)}}}
    line = format_hits(result).splitlines()[-1]
    assert line.endswith("部门7 13 … and 3 more (--json lists all)")


def test_control_characters_are_escaped_in_cli_output(tmp_path, capsys) -> None:
    evil = tmp_path / "a\x1b]0;pwned\x07.txt"
    evil.write_text("")
    assert main(["extract", str(evil)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "a\\u001b]0;pwned\\u0007.txt: empty file" in err


def test_piping_into_head_prints_no_traceback() -> None:
    script = (f"{sys.executable} -m budgetsearch.web.cli extract --json "
              f"{CORPUS / ZHOUKOU} {CORPUS / JIYUAN} | head -1")
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.stdout.strip() == "["
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert done.stderr == ""


def test_index_names_each_failed_file_and_draws_no_bar_in_a_log(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / ZHOUKOU, corpus / ZHOUKOU)
    (corpus / "empty.txt").write_text("")
    (corpus / "fake.pdf").write_text("not a pdf")
    done = subprocess.run([sys.executable, "-m", "budgetsearch.web.cli", "index", str(corpus),
                           "--index-dir", str(tmp_path / "index")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    failed = [l for l in done.stderr.splitlines() if l.startswith("budgetsearch: not indexed: ")]
    assert len(failed) == 2
    assert failed[0].startswith(f"budgetsearch: not indexed: {corpus / 'empty.txt'}: ")
    assert failed[1].startswith(f"budgetsearch: not indexed: {corpus / 'fake.pdf'}: ")
    assert "indexing" not in done.stderr and "\r" not in done.stderr  # no tqdm bar
    assert "2 errors" in done.stdout


def test_serve_prepare_names_failed_files(small, capsys) -> None:
    from budgetsearch.web.serve import prepare_index

    corpus, index = small
    errors = prepare_index(index, corpus)
    err = capsys.readouterr().err
    assert len(errors) == 1 and errors[0].startswith(f"{corpus / 'empty.txt'}: ")
    assert f"budgetsearch: not indexed: {errors[0]}" in err.splitlines()


def test_batch_search_gives_one_row_per_term(small, tmp_path, capsys) -> None:
    _, index = small
    terms = tmp_path / "terms.txt"
    terms.write_text("12345热线\n\n免费刻章\n12345热线\n\"broken\n", encoding="utf-8")
    code = main(["search", "--batch", str(terms), "--index-dir", str(index), "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 1  # one term was refused
    assert [r["term"] for r in rows] == ["12345热线", "免费刻章", '"broken']
    hotline = rows[0]
    one_term = main(["search", "12345热线", "--index-dir", str(index), "--json"])
    single = json.loads(capsys.readouterr().out)
    assert one_term == 0 and hotline["projects"] == single["total"]
    assert round(hotline["amount"], 2) == single["amount_sum"]
    by_city = {(g["region"], g["year"]): round(g["amount"], 2) for g in hotline["by_region_year"]}
    assert set(by_city) == {("周口市", 2024), ("济源市", 2020)}
    assert by_city[("周口市", 2024)] == 456.24  # 426.24 + 30.00 in the 项目支出表
    assert rows[2]["error"].startswith("unbalanced quote")


def test_batch_search_as_csv(small, tmp_path, capsys) -> None:
    _, index = small
    terms = tmp_path / "terms.txt"
    terms.write_text("12345热线\n", encoding="utf-8")
    assert main(["search", "--batch", str(terms), "--index-dir", str(index), "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "term,region,year,projects,amount,url,error"
    assert lines[1].startswith("12345热线,,,")
    assert any(l.startswith("12345热线,河南省 / 周口市,2024,2,456.24,") for l in lines)


def test_search_without_query_or_batch_is_refused(capsys) -> None:
    assert main(["search", "--index-dir", "x"]) == 2
    assert "search needs a QUERY, a filter or --batch FILE" in capsys.readouterr().err


def test_export_sqlite_writes_linked_tables_with_source_lines(tmp_path, capsys) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / ZHOUKOU, corpus / ZHOUKOU)
    (corpus / "empty.txt").write_text("")
    db_path = tmp_path / "facts.db"
    assert main(["export", str(corpus), "--sqlite", str(db_path)]) == 1  # empty.txt failed
    captured = capsys.readouterr()
    assert f"budgetsearch: not exported: {corpus / 'empty.txt'}: empty file" in captured.err
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    (doc_id, city, year), = db.execute("SELECT id, city, year FROM documents").fetchall()
    assert (city, year) == ("周口市", 2024)
    # Read from the document: the 项目支出表 row at line 488, its 绩效目标表 entry at 568-570.
    assert db.execute(
        "SELECT name, amount, line, line_end, performance_line, performance_line_end "
        "FROM projects WHERE name LIKE '12345%'").fetchall() == [
        ("12345政务服务便民热线接线员工资", 426.24, 488, 488, 568, 570)]
    assert db.execute("SELECT count(*) FROM projects WHERE document_id = ?",
                      (doc_id,)).fetchone()[0] == 8
    totals = dict(db.execute("SELECT field, amount FROM totals").fetchall())
    assert totals["project"] == pytest.approx(611.96)
    assert db.execute("SELECT count(*) FROM totals WHERE line IS NULL").fetchone()[0] == 0
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO projects (document_id, name) VALUES (999, 'x')")
    assert not Path(f"{db_path}.tmp").exists()


def test_cli_shortened_city_and_province_resolve(small, capsys) -> None:
    _, index = small
    assert main(["search", "12345热线", "--city", "周口", "--province", "河南",
                 "--index-dir", str(index), "--json"]) == 0
    short = json.loads(capsys.readouterr().out)
    assert main(["search", "12345热线", "--city", "周口市", "--index-dir", str(index),
                 "--json"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert short["total"] == full["total"] > 0
    assert [h["name"] for h in short["hits"]] == [h["name"] for h in full["hits"]]
    assert short["notes"] == ["province '河南' read as 河南省", "city '周口' read as 周口市"]
