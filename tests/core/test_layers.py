"""The layers of ARCHITECTURE.md are enforced by import-linter (`make lint` runs `lint-imports`
with the contracts of pyproject.toml): the real tree keeps them, and a copy of it with one
upward import, or one cycle inside an app, breaks them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
LAYERS = "Apps depend on lower layers only (ARCHITECTURE.md)"
CYCLES = "No import cycle between the modules of an app"


def lint_imports(tree):
    """Run the contracts of pyproject.toml on the packages under `tree`, in a fresh process
    (this one has the real `ecoquartier` imported already)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_tree(tmp_path):
    ignore = shutil.ignore_patterns("__pycache__", "templates", "static", "migrations", "*.yaml")
    for package in ("ecoquartier", "config"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_real_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # core naming a domain app: an upward import.
        ("core/activity.py", "import ecoquartier.labels.models", LAYERS),
        # projects reaching up into assessments.
        ("projects/models.py", "import ecoquartier.assessments.models", LAYERS),
        # a cycle inside an app: models importing the views that import them.
        ("calls/models.py", "import ecoquartier.calls.views", CYCLES),
    ],
)
def test_an_injected_upward_import_or_cycle_fails_the_lint(tmp_path, module, line, broken):
    tree = copy_of_the_tree(tmp_path)
    target = tree / "ecoquartier" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", "utf-8")
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{broken} BROKEN" in result.stdout


HIGHER_APPS = (
    "accounts", "territories", "organisations", "projects", "referentiel", "assessments",
    "calls", "applications", "labels", "demo", "notifications",
)  # fmt: skip


def test_core_s_code_names_no_higher_app_s_urls():
    """Links to higher apps' pages (menu, home page, dashboard, sign-in, profile) are registered
    by those apps (core.extensions.register_link, register_page); neither core's Python nor its
    templates name any of their URLs."""
    core = ROOT / "ecoquartier" / "core"
    named = [
        f"{path.relative_to(ROOT)}: {app}:"
        for path in [*core.rglob("*.py"), *core.rglob("*.html"), *core.rglob("*.txt")]
        if "migrations" not in path.parts
        for app in HIGHER_APPS
        for quote in "\"'"
        if f"{quote}{app}:" in path.read_text(encoding="utf-8")
    ]
    assert named == []
