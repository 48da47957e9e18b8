from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
# The documents whose search answers the tests were written against: the Henan seeds and the
# Jiangsu PDFs at the top of corpus/. corpus/cities/ (the bundled selection of other cities'
# disclosures) has tests of its own (test_golden_cities, test_bundle).
SEED_FILES = sorted(p for p in CORPUS.iterdir() if p.is_file())


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the seed documents alone, as the search tests' corpus."""
    folder = tmp_path_factory.mktemp("seeds") / "corpus"
    folder.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, folder / path.name)
    return folder


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
