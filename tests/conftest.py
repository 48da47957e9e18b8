from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def stuck_file(monkeypatch):
    """make(name, limit_s): reading a file called `name` never finishes (a pathological
    file), and parse_file's time limit becomes `limit_s`."""
    import time

    from budgetsearch.indexer import pipeline

    def make(name: str, limit_s: float) -> None:
        real_load = pipeline.load

        def load(path):
            if Path(path).name == name:
                while True:
                    time.sleep(1)
            return real_load(path)

        monkeypatch.setattr(pipeline, "load", load)
        monkeypatch.setattr(pipeline, "PARSE_TIME_LIMIT_S", limit_s)

    return make
