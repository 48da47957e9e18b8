"""The stages install under one namespace: nothing named `indexer`, `search` or `web` lands
at the top of site-packages, and no module imports them by their bare names."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_IMPORT = re.compile(r"^\s*(from|import)\s+(indexer|search|web)(\.|\s|$)", re.M)


def test_installed_packages_are_namespaced():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["setuptools"]["packages"]
    assert packages and all(p == "budgetsearch" or p.startswith("budgetsearch.") for p in packages)
    assert config["project"]["scripts"]["budgetsearch"].startswith("budgetsearch.")


def test_no_module_imports_a_stage_by_its_bare_name():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "build" in path.parts:
            continue
        for match in BARE_IMPORT.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert offenders == []
