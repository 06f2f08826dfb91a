"""The folders keep the architecture: imports go down the layers, never up or sideways.

The rules (docs/ARCHITECTURE.md explains them):

- each shipped package may import only the Loket packages listed for it in `MAY_IMPORT`;
- where only part of a package is allowed (the apps may use the pure domain of
  `queue_engine`, not its engine or hub), `ONLY_PARTS` names that part;
- a package imported from outside is reached only through the modules its `__init__`
  lists in `__all__` (its public surface); tests and benchmarks may reach anywhere;
- each outside library with a wide reach (paho, Kivy, python-escpos, zeroconf, pyserial,
  sqlite3) is imported only by the modules listed in `LIBRARY_HOMES`.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Every shipped package and the Loket packages it may import (besides itself).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "queue_engine": frozenset({"link", "siteconfig"}),
    "link": frozenset({"queue_engine"}),
    "siteconfig": frozenset({"queue_engine"}),
    "i18n": frozenset({"queue_engine"}),
    "printer_drivers": frozenset({"siteconfig", "i18n"}),
    "provisioning": frozenset({"link", "siteconfig", "queue_engine"}),
    "central": frozenset({"link", "queue_engine"}),
    "apps": frozenset({"link", "siteconfig", "provisioning", "i18n"}),
    "kiosk": frozenset(
        {"apps", "link", "siteconfig", "printer_drivers", "provisioning", "i18n", "queue_engine"}
    ),
    "staff_terminal": frozenset(
        {"apps", "link", "siteconfig", "provisioning", "i18n", "queue_engine"}
    ),
    "display_board": frozenset(
        {"apps", "link", "siteconfig", "provisioning", "i18n", "queue_engine"}
    ),
    "live_page": frozenset({"link", "siteconfig", "i18n", "queue_engine"}),
    "loket": frozenset(
        {
            "queue_engine",
            "link",
            "siteconfig",
            "i18n",
            "printer_drivers",
            "provisioning",
            "central",
            "apps",
            "kiosk",
            "staff_terminal",
            "display_board",
            "live_page",
        }
    ),
}

#: Where a package may use only part of another: (importer, imported) -> allowed prefixes.
ONLY_PARTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("link", "queue_engine"): ("queue_engine.domain",),
    ("siteconfig", "queue_engine"): ("queue_engine.domain",),
    ("i18n", "queue_engine"): ("queue_engine.domain",),
    ("kiosk", "queue_engine"): ("queue_engine.domain",),
    ("staff_terminal", "queue_engine"): ("queue_engine.domain",),
    ("display_board", "queue_engine"): ("queue_engine.domain",),
    ("live_page", "queue_engine"): ("queue_engine.domain",),
    ("central", "queue_engine"): ("queue_engine.domain", "queue_engine.adapters"),
    ("provisioning", "queue_engine"): ("queue_engine.domain", "queue_engine.hub"),
    # The domain is the bottom layer: nothing of Loket below it.
    ("queue_engine.domain", "*"): (),
}

#: Outside libraries with a wide reach, and the only modules that import them.
LIBRARY_HOMES: dict[str, tuple[str, ...]] = {
    "paho": ("link.mqtt",),
    "kivy": ("apps", "kiosk", "staff_terminal", "display_board"),
    "escpos": ("printer_drivers",),
    "zeroconf": ("provisioning.discovery",),
    "serial": ("printer_drivers.serial_port", "kiosk.scanner"),
    "sqlite3": ("queue_engine.adapters", "central.store", "loket"),
}

LOKET_PACKAGES = frozenset(MAY_IMPORT)


def _modules() -> Iterator[tuple[str, Path]]:
    for package in sorted(MAY_IMPORT):
        folder = ROOT / package
        assert folder.is_dir(), f"{package} is in the rules but not in the tree"
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(p for p in parts if p != "__init__"), path


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module `module` imports (absolute names), with its line."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _public(package: str) -> frozenset[str]:
    exported = getattr(importlib.import_module(package), "__all__", None)
    assert exported is not None, f"{package}/__init__.py does not curate __all__"
    return frozenset(exported)


def _problems_of(module: str, path: Path) -> Iterator[str]:
    """What in one module breaks the layer rules."""
    home = module.split(".", maxsplit=1)[0]
    domain = module.startswith("queue_engine.domain")
    for name, line in _imports(module, path):
        target = name.split(".")[0]
        where = f"{path.name}:{line}"
        if target in LIBRARY_HOMES and not _within(module, LIBRARY_HOMES[target]):
            yield f"{where}: {module} imports {target} (only in its home)"
        if target not in LOKET_PACKAGES:
            continue
        if domain:
            if not _within(name, ("queue_engine.domain",)):
                yield f"{where}: the domain imports {name}"
        elif target == home:
            continue
        elif target not in MAY_IMPORT[home]:
            yield f"{where}: {home} may not import {target} ({name})"
        elif (home, target) in ONLY_PARTS and not _within(name, ONLY_PARTS[home, target]):
            allowed = ", ".join(ONLY_PARTS[home, target])
            yield f"{where}: {home} may use only {allowed} of {target}, not {name}"


def test_imports_follow_the_layers() -> None:
    problems = [p for module, path in _modules() for p in _problems_of(module, path)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_other_packages_reach_a_package_through_its_public_modules(package: str) -> None:
    public = _public(package)
    problems = []
    for module, path in _modules():
        home = module.split(".")[0]
        if home == package:
            continue
        for name, line in _imports(module, path):
            parts = name.split(".")
            if parts[0] != package or len(parts) < 2:
                continue
            if parts[1] not in public:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {name} is not public")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("kiosk.bad", "from staff_terminal import presenter\n", "kiosk may not import staff"),
        ("kiosk.bad", "from loket.cli import main\n", "kiosk may not import loket"),
        ("kiosk.bad", "from queue_engine.service import engine\n", "may use only"),
        ("display_board.bad", "import paho.mqtt.client\n", "imports paho"),
        ("queue_engine.domain.bad", "from link.protocol import messages\n", "the domain"),
        ("queue_engine.domain.bad", "from ..service import engine\n", "the domain"),
        ("link.bad", "from queue_engine.hub import hub\n", "may use only"),
        ("apps.bad", "import kiosk.presenter\n", "apps may not import kiosk"),
    ],
)
def test_the_rules_catch_an_import_that_goes_up_or_sideways(
    tmp_path: Path, module: str, source: str, expected: str
) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(source, encoding="utf-8")
    problems = list(_problems_of(module, bad))
    assert any(expected in p for p in problems), problems
