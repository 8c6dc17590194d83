"""The library never loads Flask: only the web package may."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import matchmaker


def _library_modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(matchmaker.__path__, "matchmaker.")
        if ".migrations" not in m.name
    )


def test_every_library_module_imports_without_flask():
    modules = _library_modules()
    assert "matchmaker.cli" in modules
    assert "matchmaker.storage.models" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'web'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip() == ""


def test_the_web_package_does_load_flask():
    """The check above would notice Flask: prove it with the package that uses it."""
    code = "import sys, web; print('flask' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "True"
