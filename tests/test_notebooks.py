"""The notebooks in notebooks/: numbered, committed without outputs, and run by the test command.

``pytest --nbmake … notebooks`` executes them (scripts/test); these checks keep what is
committed clean: no outputs, no execution counts, a Python kernel, one number each.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_notebooks_are_there_and_numbered() -> None:
    names = [p.name for p in PATHS]
    assert names[:4] == ["01_quickstart.ipynb", "02_neo4j.ipynb", "03_ecology.ipynb", "04_research_fault_rates.ipynb"]
    numbers = [int(re.fullmatch(r"(\d\d)_[a-z0-9_]+\.ipynb", n).group(1)) for n in names]  # type: ignore[union-attr]
    assert numbers == list(range(1, len(names) + 1))


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_committed_without_outputs(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code
    for cell in code:
        assert cell.get("outputs") == [], f"{path.name}: a cell has outputs"
        assert cell.get("execution_count") is None, f"{path.name}: a cell has an execution count"
    assert "widgets" not in notebook["metadata"]
    assert all("attachments" not in cell for cell in notebook["cells"])


def _module(path: Path, name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_only_the_neo4j_notebook_needs_neo4j_and_it_takes_the_tests_lock() -> None:
    notebooks = _module(NOTEBOOKS / "conftest.py", "notebooks_conftest")
    assert [p.name for p in PATHS if "neo4j" in notebooks.needs(p)] == ["02_neo4j.ipynb"]  # type: ignore[attr-defined]
    # The notebook replaces what the database holds, so it waits for the same lock file as the
    # Neo4j tests of tests/conftest.py.
    tests = _module(Path(__file__).parent / "conftest.py", "tests_conftest_copy")
    for uri, database in (("bolt://127.0.0.1:17687", None), ("neo4j+s://x.databases.neo4j.io", "neo4j")):
        settings = SimpleNamespace(uri=uri, database=database)
        assert notebooks.lock_path(uri, database) == tests._lock_path(settings)  # type: ignore[attr-defined]
