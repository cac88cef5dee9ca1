"""The wheel: it builds, installs into a fresh virtual environment and runs on its own packaged catalog.

Slow (a wheel build and a venv): a few seconds. Runs from tmp_path so that
the repository is not on the path and cannot stand in for the installed copy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import GOOD_ORG, REPO, TWELVE_FACTOR, write_file

DEPENDENCIES = ("typer", "rich", "yaml", "jsonschema")


def run(*args: object, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env, check=False)
    if check:
        assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def _dependency_dirs() -> list[str]:
    """Where this interpreter finds the runtime dependencies (to lend them to the new venv)."""
    dirs: dict[str, None] = {}
    for name in DEPENDENCIES:
        module_file = __import__(name).__file__
        assert module_file is not None
        dirs[str(Path(module_file).resolve().parent.parent)] = None
    return list(dirs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(venv, work dir): the wheel built from the repository and installed into a new venv."""
    root = tmp_path_factory.mktemp("packaging")
    wheels = root / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, REPO, cwd=root)
    (wheel,) = wheels.glob("checklist-*.whl")
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=root)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=root)
    probe = run(python, "-c", f"import {', '.join(DEPENDENCIES)}", cwd=root, check=False)
    if probe.returncode != 0:
        # The base interpreter lacks the dependencies: lend them from the test environment, after the
        # venv's own site-packages, so the installed checklist still comes first.
        site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root)
        Path(site.stdout.strip(), "zz_test_dependencies.pth").write_text("\n".join(_dependency_dirs()) + "\n")
    work = root / "work"
    work.mkdir()
    return venv, work


def sample(work: Path) -> Path:
    shipped = REPO / "samples" / "portfolio.yaml"
    if shipped.exists():
        return shipped.resolve()
    inventory = {"version": 1, "organization": {"name": "Acme", "answers": GOOD_ORG},
                 "applications": [{"id": "web-api", "answers": TWELVE_FACTOR}]}
    return write_file(work / "portfolio.yaml", yaml.safe_dump(inventory)).resolve()


def test_installed_console_script_assesses_a_portfolio(installed: tuple[Path, Path]) -> None:
    venv, work = installed
    inventory = sample(work)
    done = run(venv / "bin" / "checklist", "assess", inventory, "--format", "json", cwd=work)
    document = json.loads(done.stdout)
    assert document["schema_version"] == 2
    expected_apps = len(yaml.safe_load(inventory.read_text(encoding="utf-8"))["applications"])
    assert len(document["applications"]) == expected_apps
    assert document["catalog"]["name"]


def test_installed_package_uses_its_packaged_catalog(installed: tuple[Path, Path]) -> None:
    venv, work = installed
    done = run(venv / "bin" / "python", "-c",
               "import checklist, checklist.io.catalog as c; print(checklist.__file__); print(c.default_catalog_dir())",
               cwd=work)
    module_file, catalog_dir = (Path(line) for line in done.stdout.split())
    venv_root = venv.resolve()
    assert venv_root in module_file.resolve().parents, f"checklist imported from {module_file}"
    catalog_dir = catalog_dir.resolve()
    assert venv_root in catalog_dir.parents
    assert catalog_dir.parts[-4:] == ("site-packages", "checklist", "_data", "rules")
    assert REPO.resolve() not in catalog_dir.parents
    assert sorted(p.name for p in catalog_dir.glob("*.yaml")) == sorted(p.name for p in (REPO / "rules").glob("*.yaml"))


def test_installed_module_runs_with_python_m(installed: tuple[Path, Path]) -> None:
    venv, work = installed
    done = run(venv / "bin" / "python", "-m", "checklist", "--version", cwd=work)
    from checklist import __version__

    assert done.stdout.strip() == f"checklist {__version__}"
