"""No code of the project uses whoosh's private parts (a name with a leading underscore,
whoosh.codec, whoosh.filedb): they change between releases without notice."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("indexer", "search", "web", "bench", "tests", "budgetsearch")
PRIVATE_MODULES = ("whoosh.codec", "whoosh.filedb")


def python_files() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))


def whoosh_private_uses(source: str) -> list[str]:
    """Private whoosh names used in `source`: imported, or read as an attribute of a
    whoosh module (or of anything reached from one)."""
    found = []
    tree = ast.parse(source)
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                if name.name.split(".")[0] == "whoosh":
                    aliases.add((name.asname or name.name).split(".")[0])
                    _check_module(name.name, found)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            _check_module(node.module, found)
            for name in node.names:
                if name.name.startswith("_") or name.name in ("codec", "filedb"):
                    found.append(f"from {node.module} import {name.name}")
                else:
                    aliases.add(name.asname or name.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in aliases:
                found.append(f"{ast.unparse(node)}")
    for private in PRIVATE_MODULES:
        if private in source:
            found.append(private)
    return found


def _check_module(module: str, found: list[str]) -> None:
    if any(part.startswith("_") for part in module.split(".")) or module.startswith(
            PRIVATE_MODULES):
        found.append(f"import {module}")


def test_the_check_sees_private_names():
    assert whoosh_private_uses("from whoosh import query as wq\nwq.qcore._NullQuery\n") == [
        "wq.qcore._NullQuery"]
    assert whoosh_private_uses("from whoosh.system import _INT_SIZE\n") == [
        "from whoosh.system import _INT_SIZE"]
    assert whoosh_private_uses("import whoosh.codec.whoosh3\n") == [
        "import whoosh.codec.whoosh3", "whoosh.codec"]
    assert whoosh_private_uses("from whoosh import query\nquery.Term('a', 'b')\n") == []


def test_no_private_whoosh_name_is_used():
    uses = {str(p.relative_to(ROOT)): whoosh_private_uses(p.read_text(encoding="utf-8"))
            for p in python_files() if p.name != Path(__file__).name}
    assert {path: found for path, found in uses.items() if found} == {}
