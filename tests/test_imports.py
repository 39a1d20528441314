"""No module imports a private name (one starting with ``_``), from Django, another
library or the project itself: a private name may change in any release, and a
helper other modules need is public."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {".venv", "node_modules", "migrations", ".git", "staticfiles"}


def is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports(source):
    """[(line, what)] for each import of a private name or module in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if any(is_private(part) for part in alias.name.split(".")):
                    found.append((node.lineno, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                if is_private(alias.name) or any(is_private(p) for p in module.split(".")):
                    found.append(
                        (node.lineno, f"from {'.' * node.level}{module} import {alias.name}")
                    )
    return found


def project_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not any(part in SKIPPED or part.startswith(".") for part in parts[:-1]):
            yield path


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from library.templatetags.admin_list import _coerce_field_name", 1),
        ("from teams.charts import run_chart, _labels", 1),
        ("from x import (\n    a,\n    _b as b,\n)", 1),
        ("import library.utils._os", 1),
        ("import library.utils._os as os_", 1),
        ("from library.utils._os import safe_join", 1),
        ("from ._private import thing", 1),
        # Not private: an alias that starts with "_", dunders, relative imports.
        ("from django.utils.translation import gettext as _", 0),
        ("from django.utils.translation import gettext_lazy as _", 0),
        ("from __future__ import annotations", 0),
        ("from library import __version__", 0),
        ("from . import views", 0),
        ("import os.path", 0),
    ],
)
def test_the_check_tells_private_imports_from_public_ones(source, expected):
    assert len(private_imports(source)) == expected


def test_no_module_imports_a_private_name():
    files = list(project_files())
    assert ROOT / "config" / "settings.py" in files
    assert not any("migrations" in path.parts for path in files)
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in files
        for line, what in private_imports(path.read_text(encoding="utf-8"))
    ]
    assert offences == []
