"""The documentation is complete and its links hold.

Rules checked here:

1. **Links.** In ``README.md`` and ``docs/*.md`` (text inside fenced code blocks and inline
   code is ignored), every relative link or image ``[text](target)`` / ``![alt](target)``
   points to a file or folder that exists, and every ``#anchor`` (in the same file or in
   another Markdown file) is the slug of a heading of the target file, by GitHub's rules:
   markup removed, lower case, every character that is not a letter, digit, ``_``, ``-`` or
   space dropped, spaces turned into ``-``, and ``-1``, ``-2`` ... appended to repeated
   slugs. Links to other sites are not followed.
2. **Index.** ``docs/index.md`` links every other page of ``docs/``, and ``README.md`` links
   ``docs/index.md``.
3. **Command line.** Walking the click tree of ``matchmaker.cli.main`` (what ``--help``
   prints), every command path, e.g. ``matchmaker network metrics``, appears verbatim in the
   documentation, and every long option of that command (``--json``, and ``--inactive`` for
   ``--active/--inactive``; ``--help`` excepted) appears in *at least one of the files that
   name the command path*. The root group's options must appear in a file that names
   ``matchmaker``. This mirrors datasette's test that fails when an option is undocumented;
   ``docs/cli.md`` is the reference that names every command and option.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from matchmaker.cli import main as cli_root

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FILES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks, inline code removed."""
    out, fence = [], None
    for number, line in enumerate(text.splitlines(), 1):
        m = _FENCE.match(line)
        if m:
            if fence is None:
                fence = m.group(1)[0] * 3
            elif m.group(1).startswith(fence):
                fence = None
            continue
        if fence is None:
            out.append((number, re.sub(r"`[^`]*`", "", line)))
    return out


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading's text."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The slugs of every heading of a Markdown file (repeats numbered as on GitHub)."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    fence = None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _FENCE.match(line)
        if m:
            if fence is None:
                fence = m.group(1)[0] * 3
            elif m.group(1).startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        h = _HEADING.match(line)
        if not h:
            continue
        slug = github_slug(h.group(2))
        if slug in seen:
            seen[slug] += 1
            out.add(f"{slug}-{seen[slug]}")
        else:
            seen[slug] = 0
            out.add(slug)
    return out


def links(path: Path) -> list[tuple[int, str]]:
    return [
        (number, m.group(1))
        for number, line in _prose_lines(path.read_text(encoding="utf-8"))
        for m in _LINK.finditer(line)
    ]


def test_slug_rules():
    assert github_slug("Backup and restore") == "backup-and-restore"
    assert (
        github_slug("Pseudonymised export (`--pseudonymise`)")
        == "pseudonymised-export---pseudonymise"
    )
    assert github_slug("Dati dimostrativi (the illustrative data set)") == (
        "dati-dimostrativi-the-illustrative-data-set"
    )
    assert (
        github_slug("Misura 1 (call text: seed `003_28.txt`)")
        == "misura-1-call-text-seed-003_28txt"
    )
    assert github_slug("Perché è così") == "perché-è-così"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_internal_links_resolve(path: Path):
    problems = []
    for number, target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            problems.append(f"line {number}: {target}: no such file")
            continue
        if anchor:
            if dest.suffix != ".md":
                problems.append(f"line {number}: {target}: anchor into a non-Markdown file")
            elif anchor not in anchors(dest):
                problems.append(f"line {number}: {target}: no heading with this anchor")
    assert problems == [], f"{path.name}:\n" + "\n".join(problems)


def test_index_lists_every_page():
    index = DOCS / "index.md"
    linked = {(DOCS / t.partition("#")[0]).resolve() for _, t in links(index)}
    missing = [
        p.name for p in sorted(DOCS.glob("*.md")) if p != index and p.resolve() not in linked
    ]
    assert missing == []
    assert "docs/index.md" in {t.partition("#")[0] for _, t in links(ROOT / "README.md")}


# --- every command and option is documented ------------------------------------------------


def _commands(cmd: click.Command, path: tuple[str, ...]):
    yield path, cmd
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):  # with the commands other packages add (serve)
            sub = cmd.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(cli_root, ("matchmaker",)))


def _long_options(cmd: click.Command) -> list[str]:
    out = []
    for param in cmd.params:
        if isinstance(param, click.Option) and not param.hidden:
            out += [o for o in (*param.opts, *param.secondary_opts) if o.startswith("--")]
    return [o for o in out if o != "--help"]


def _docs_text() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in FILES}


def _mentions(text: str, words: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(words) + r"(?![\w-])", text) is not None


def test_command_tree_is_walked():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {
        "matchmaker",
        "matchmaker network metrics",
        "matchmaker users set-active",
        "matchmaker serve",
    } <= names
    assert len(names) >= 30


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_and_options_documented(path: tuple[str, ...], cmd: click.Command):
    name = " ".join(path)
    docs = _docs_text()
    files = [p for p, text in docs.items() if _mentions(text, name)]
    assert files, f"`{name}` is not named in README.md or docs/*.md"
    help_text = CliRunner().invoke(cli_root, [*path[1:], "--help"], terminal_width=200).output
    undocumented = []
    for option in _long_options(cmd):
        assert option in help_text, f"{option} of `{name}` is not in its --help"
        if not any(_mentions(docs[p], option) for p in files):
            undocumented.append(option)
    assert undocumented == [], (
        f"options of `{name}` missing from the files naming it "
        f"({', '.join(p.name for p in files)}): {undocumented}"
    )


# --- every import/export column is documented ------------------------------------------------


def test_every_import_column_and_alias_in_formats():
    from matchmaker.ingest.schema import KINDS

    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    missing = [
        f"{kind}.{name}"
        for kind, schema in KINDS.items()
        for name in (*schema.columns, *schema.aliases)
        if not _mentions(text, name)
    ]
    assert missing == []
    examples = text[text.index("## Examples") : text.index("## Network exports")]
    for kind, schema in KINDS.items():  # each kind has an example with its exported header
        assert ",".join(schema.columns) in examples, kind
