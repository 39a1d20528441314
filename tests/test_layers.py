"""The apps are layers: an app imports only the apps below it.

A page lives in the app whose domain it shows. When it shows other apps too (the
team page shows the reports and the timeline), its ``views.py`` reads them through
their ``queries`` modules: reading, never writing, and never their models' internals.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: From the bottom up, as in docs/ARCHITECTURE.md.
LAYERS = [
    "lib",
    "network",
    "teams",
    "sessions_app",
    "agreements",
    "improvement",
    "reports",
    "units",
    "gatherings",
    "knowledge",
    "assessments",
    "reminders",
    "security",
    "privacy",
    "demo",
    "config",
]


def imports(path):
    """The project modules ``path`` imports, as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def upward_imports():
    found = []
    for app in LAYERS:
        rank = LAYERS.index(app)
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            is_page = path.name == "views.py"
            for module, names in imports(path):
                top = module.split(".")[0]
                if top not in LAYERS or LAYERS.index(top) <= rank:
                    continue
                reads_queries = module == f"{top}.queries" or (
                    module == top and names == ["queries"]
                )
                if is_page and reads_queries:
                    continue
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


def test_no_app_imports_a_higher_one():
    assert upward_imports() == []


def test_the_rule_catches_an_upward_import():
    planted = ROOT / "teams" / "zz_planted_for_test.py"
    planted.write_text("from reports.models import StatusReport\n", encoding="utf-8")
    try:
        assert upward_imports() == ["teams/zz_planted_for_test.py imports reports.models"]
    finally:
        planted.unlink()
