"""The parsed facts and lines of each indexed file, kept by content hash under the index
folder, so an index of a new format (or a lost one) is rebuilt without reading PDFs again.

One gzipped JSON a file: `facts/v<FACTS_FORMAT>/<sha1[:2]>/<sha1>.json.gz`. A change to
what the extractor reads bumps FACTS_FORMAT (and index.INDEX_FORMAT, so an index holding
facts of the old reading is rebuilt), and files are read again.
"""
from __future__ import annotations

import dataclasses
import gzip
import os
import types
import typing
from pathlib import Path
from typing import Any

import orjson

from budgetsearch.indexer.models import DocumentFacts, Line

FACTS_FORMAT = 2  # 2: titles end at the cover, 填报单位 names a department
FACTS_DIR = "facts"


def cache_path(index_dir: Path, sha1: str) -> Path:
    return Path(index_dir) / FACTS_DIR / f"v{FACTS_FORMAT}" / sha1[:2] / f"{sha1}.json.gz"


def save(index_dir: Path, sha1: str, facts: DocumentFacts, lines: list[Line]) -> None:
    """Write atomically (a reader never sees half a file); a full disk only loses the cache."""
    target = cache_path(index_dir, sha1)
    data = {"facts": facts.to_dict(), "lines": [[ln.no, ln.text, ln.page] for ln in lines]}
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(gzip.compress(orjson.dumps(data), compresslevel=5))
        os.replace(tmp, target)
    except (OSError, TypeError):  # TypeError: a value JSON cannot hold; the cache only
        tmp.unlink(missing_ok=True)


def load(index_dir: Path, sha1: str, display: str) -> tuple[DocumentFacts, list[Line]] | None:
    """The cached facts and lines of the content `sha1`, None if not cached or unreadable."""
    try:
        data = orjson.loads(gzip.decompress(cache_path(index_dir, sha1).read_bytes()))
        facts = build(DocumentFacts, data["facts"])
        lines = [Line(no=no, text=text, page=page) for no, text, page in data["lines"]]
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None
    facts.source = display  # the same content may sit at another path
    return facts, lines


def forget(index_dir: Path, sha1s: list[str]) -> None:
    for sha1 in sha1s:
        cache_path(index_dir, sha1).unlink(missing_ok=True)


def build(kind: Any, value: Any) -> Any:
    """`value` (from JSON) as an instance of the type `kind`: dataclasses, lists, tuples
    and optional values, recursively."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        return build(inner[0], value) if len(inner) == 1 else value
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: build(hints[f.name], value[f.name])
                       for f in dataclasses.fields(kind) if f.name in value})
    if origin is list:
        (item,) = typing.get_args(kind)
        return [build(item, v) for v in value]
    if origin is tuple:
        args = typing.get_args(kind)
        return tuple(build(a, v) for a, v in zip(args, value))
    return value
