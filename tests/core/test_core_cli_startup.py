"""The command line starts without the heavy libraries that only some commands need."""

from __future__ import annotations

import subprocess
import sys


def test_cli_import_does_not_load_heavy_libraries():
    code = (
        "import sys, matchmaker.cli, matchmaker.matching, matchmaker.network;"
        "heavy = ('sklearn', 'torch', 'sentence_transformers', 'matplotlib', 'pydantic');"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_lazy_matching_names_resolve():
    import matchmaker.matching as matching

    assert sorted(matching.__all__) == sorted(matching._SOURCES)
    for name in matching.__all__:
        assert getattr(matching, name) is not None
