"""The README documents every CLI command and option: the docs cannot drift."""
import argparse
from pathlib import Path

from budgetsearch.web.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_documented():
    assert set(subcommands()) == {"extract", "index", "search", "serve", "export"}
    for name in subcommands():
        assert f"budgetsearch {name}" in README, name


def test_every_option_is_documented():
    missing = [f"{name} {opt}" for name, parser in subcommands().items()
               for action in parser._actions for opt in action.option_strings
               if opt.startswith("--") and opt != "--help" and opt not in README]
    assert missing == []


def test_extract_reports_bad_files_and_goes_on(tmp_path, capsys):
    from budgetsearch.web.cli import main

    empty = tmp_path / "empty.txt"
    empty.write_text("")
    seed = Path(__file__).resolve().parent.parent / "corpus" / "zhoukou-xzfwzx-2024-budget.txt"
    code = main(["extract", str(empty), str(seed), "--json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == f"budgetsearch: {empty}: empty file"
    assert '"department": "周口市行政服务中心"' in out


def test_negative_sort_reads_as_a_value():
    from budgetsearch.web.cli import _attach_negative_sort

    assert _attach_negative_sort(["search", "热线", "--sort", "-amount"]) == ["search", "热线", "--sort=-amount"]
    assert _attach_negative_sort(["search", "热线", "--sort", "amount"]) == ["search", "热线", "--sort", "amount"]


def test_every_page_and_url_parameter_is_documented():
    """Each route of the app is in the README's tables, and so is every URL parameter a
    page or the API reads."""
    import re

    from budgetsearch.web.app import create_app
    from budgetsearch.web.views import SEARCH_PARAMS

    app = create_app(Path("unused"), Path("unused"), backend=object(), reader=object(),
                     segment=lambda s: [s])
    routes = {re.sub(r"<[^>]+>", "<id>", rule.rule) for rule in app.url_map.iter_rules()
              if rule.endpoint != "static"}
    missing = [r for r in routes if f"`{r}" not in README and f"`GET {r}" not in README]
    assert missing == []
    params = set(SEARCH_PARAMS) | {"lines", "part", "download", "terms"}
    assert [p for p in sorted(params) if f"`{p}`" not in README and f"`{p}=" not in README] == []
