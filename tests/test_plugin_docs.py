"""docs/plugins.md documents every hook, and every hook is tested (Datasette's pattern).

The conventions these tests enforce:

- **One section per hook.** docs/plugins.md has, for every hook specification in
  :mod:`provenance.hookspecs`, a level-2 heading written exactly ``## hook_name(arg1, arg2)``: the
  hook's name and its parameters, in order, as ``inspect.signature`` reads them from the hookspec.
  Every level-2 heading of that shape must name an existing hook (no stale sections).
- **One example per hook.** The first ```python block of a hook's section is a complete plugin
  module for that hook. Every ```python block on the page compiles; each hook's example is loaded
  as a real plugin (an entry point of the ``provenance`` group, through ``PluginRegistry.create``)
  and exercised. The ``register_matchers`` example is, verbatim, the module of
  plugins/provenance-jaccard (installed and tested through the API in tests/test_jaccard_plugin.py).
- **One test per hook (at least).** Some ``tests/test_*.py`` defines a test function named
  ``test_hook_<hook_name>`` or ``test_hook_<hook_name>_<what it shows>`` (found by parsing the test
  files, so no test module is imported for it).
"""

from __future__ import annotations

import ast
import inspect
import json
import logging
import re
import sys
from datetime import UTC, datetime
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from provenance import hookspecs, plugins
from provenance.domain import (
    ArticleSummary,
    ArticleText,
    CandidateSource,
    ClaimKind,
    ClaimText,
    Exporter,
    Extractor,
    FirstSeen,
    IngestedArticle,
    Matcher,
    Passage,
    Report,
    ReportClaim,
    ReportMention,
    ReportSpeaker,
)
from provenance.matching import verdicts
from provenance.models import CandidateStatus
from provenance.plugins import PluginRegistry
from provenance.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "plugins.md"
TESTS = ROOT / "tests"
JACCARD_MODULE = ROOT / "plugins" / "provenance-jaccard" / "provenance_jaccard" / "__init__.py"

HOOKS = {
    name: fn
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "provenance_spec")
}
HOOK_HEADING_RE = re.compile(r"^## (?P<name>\w+)\((?P<args>[^)]*)\)[ \t]*$", re.MULTILINE)
SECTION_RE = re.compile(r"^## ", re.MULTILINE)
PYTHON_BLOCK_RE = re.compile(r"^```python\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def _text() -> str:
    return DOCS.read_text(encoding="utf-8")


def hook_sections(text: str) -> dict[str, tuple[list[str], str]]:
    """Each hook section of the page: its name -> (heading arguments, body up to the next ``## ``)."""
    sections: dict[str, tuple[list[str], str]] = {}
    for heading in HOOK_HEADING_RE.finditer(text):
        following = SECTION_RE.search(text, heading.end())
        body = text[heading.end() : following.start() if following else len(text)]
        args = [arg.strip() for arg in heading["args"].split(",") if arg.strip()]
        sections[heading["name"]] = (args, body)
    return sections


def python_blocks(text: str) -> list[tuple[int, str]]:
    """Every ```python block with the line its code starts on."""
    return [(text.count("\n", 0, m.start("code")) + 1, m["code"]) for m in PYTHON_BLOCK_RE.finditer(text)]


def example(hook: str) -> str:
    """The first ```python block of ``hook``'s section."""
    sections = hook_sections(_text())
    assert hook in sections, f"docs/plugins.md has no '## {hook}(...)' section"
    blocks = python_blocks(sections[hook][1])
    assert blocks, f"the '## {hook}(...)' section of docs/plugins.md has no ```python example"
    return blocks[0][1]


def hook_tests(tests_dir: Path = TESTS) -> dict[str, list[str]]:
    """Test function names starting ``test_hook_``, by test file."""
    found = {}
    for path in sorted(tests_dir.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found[path.name] = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_hook_")
        ]
    return found


def hook_tests_for(hook: str, found: dict[str, list[str]]) -> list[str]:
    """The tests of ``hook`` by the naming convention: ``test_hook_<hook>`` or ``test_hook_<hook>_…``."""
    exact = f"test_hook_{hook}"
    return [
        f"{file}::{name}"
        for file, names in found.items()
        for name in names
        if name == exact or name.startswith(exact + "_")
    ]


# --- (a) and (b): one section per hook, headed by the hook's signature --------------------------------


def test_there_are_hooks_to_document() -> None:
    assert HOOKS, "no hookspecs found in provenance.hookspecs"


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_has_a_section(hook: str) -> None:
    documented = set(hook_sections(_text()))
    assert hook in documented, (
        f"hook {hook!r} has no section in docs/plugins.md: add a heading "
        f"'## {hook}({', '.join(inspect.signature(HOOKS[hook]).parameters)})' with an explanation and "
        "a ```python example"
    )


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_section_heading_has_the_hookspec_arguments(hook: str) -> None:
    sections = hook_sections(_text())
    if hook not in sections:
        pytest.fail(f"hook {hook!r} has no '## {hook}(...)' section in docs/plugins.md")
    documented = sections[hook][0]
    specified = list(inspect.signature(HOOKS[hook]).parameters)
    assert documented == specified, (
        f"docs/plugins.md documents hook {hook!r} as '## {hook}({', '.join(documented)})', but its hookspec "
        f"takes ({', '.join(specified)}): make the heading '## {hook}({', '.join(specified)})'"
    )


def test_every_hook_section_names_an_existing_hook() -> None:
    stale = sorted(set(hook_sections(_text())) - set(HOOKS))
    assert not stale, f"docs/plugins.md has sections for hooks that provenance.hookspecs lacks: {stale}"


# --- (c): every hook has a test -------------------------------------------------------------------------


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_has_a_test(hook: str) -> None:
    assert hook_tests_for(hook, hook_tests()), (
        f"hook {hook!r} has no test: name one 'test_hook_{hook}' or 'test_hook_{hook}_<what it shows>' "
        "in a tests/test_*.py file"
    )


def test_the_hook_test_finder_reports_a_hook_without_tests(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(
        "def test_hook_article_ingested_fires():\n    pass\n\n"
        "class TestHooks:\n    def test_hook_register_exporters(self):\n        pass\n\n"
        "def test_hook_register_matchers_v2_is_another_hook():\n    pass\n"
    )
    found = hook_tests(tmp_path)
    assert hook_tests_for("article_ingested", found) == ["test_sample.py::test_hook_article_ingested_fires"]
    assert hook_tests_for("register_exporters", found) == ["test_sample.py::test_hook_register_exporters"]
    assert hook_tests_for("register_matchers_v2", found) and not hook_tests_for("register_extractors", found)


# --- (d): the examples compile, load as plugins and work ------------------------------------------------


@pytest.mark.parametrize(
    "line,code", [pytest.param(line, code, id=f"line{line}") for line, code in python_blocks(_text())]
)
def test_python_example_compiles(line: int, code: str) -> None:
    try:
        compile(code, "docs/plugins.md", "exec")
    except SyntaxError as exc:
        where = line + (exc.lineno or 1) - 1
        pytest.fail(
            f"the ```python block at line {line} of docs/plugins.md does not compile: "
            f"{exc.msg} (line {where})"
        )


def load_example(hook: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PluginRegistry:
    """A registry with ``hook``'s documented example installed as an entry-point plugin named ``docs``."""
    module = f"plugin_docs_example_{hook}"
    (tmp_path / f"{module}.py").write_text(example(hook), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop(module, None)  # loaded afresh from this test's copy of the page
    entry = EntryPoint("docs", module, "provenance")
    monkeypatch.setattr(plugins, "entry_points", lambda group: [entry] if group == entry.group else [])
    registry = PluginRegistry.create(Settings())
    assert [e for e in registry.errors if e.plugin == "docs"] == [], f"the {hook} example fails to load"
    (info,) = [p for p in registry.describe() if p.name == "docs"]
    assert hook in info.hooks, f"the example of {hook} does not implement {hook}"
    return registry


def test_the_register_extractors_example_extracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extractor = load_example("register_extractors", tmp_path, monkeypatch).extractors["german_quotes"]
    assert isinstance(extractor, Extractor)
    text = "Der Stadtrat tagte am Montag. „Die Mieten werden im Frühjahr sinken“, sagte Anna Becker danach."
    (found,) = extractor.extract(ArticleText(text, language="de"))
    assert (found.kind, found.speaker, found.cue) == (ClaimKind.QUOTE, "Anna Becker", "sagte")
    assert found.text == text[found.start : found.end] == "„Die Mieten werden im Frühjahr sinken“"
    assert text[found.speaker_offset :].startswith("„Die")
    assert getattr(extractor, "languages", None) == {"de"}


def test_the_register_matchers_example_is_the_jaccard_package() -> None:
    assert example("register_matchers") == JACCARD_MODULE.read_text(encoding="utf-8"), (
        "the register_matchers example of docs/plugins.md must be the module of "
        "plugins/provenance-jaccard, verbatim"
    )


def test_the_register_matchers_example_links_what_fuzzy_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = load_example("register_matchers", tmp_path, monkeypatch)
    jaccard, fuzzy = registry.matchers["jaccard"], registry.matchers["fuzzy"]
    assert isinstance(jaccard, Matcher)
    query = ClaimText(ClaimKind.QUOTE, "Next spring rents will fall")
    stored = ClaimText(ClaimKind.QUOTE, "“Rents will fall next spring,”", speaker="Ann Lee", claim_id=7)
    (linked,) = verdicts(query, [stored], [jaccard])
    assert (linked.matcher, linked.score, linked.status) == ("jaccard", 1.0, CandidateStatus.LINKED)
    assert [v.status for v in verdicts(query, [stored], [fuzzy])] == [CandidateStatus.CONSIDERED]
    other_words = ClaimText(ClaimKind.QUOTE, "Next spring rents will rise")
    assert verdicts(other_words, [stored], [jaccard])[0].status == CandidateStatus.SUGGESTED  # 4 of 6
    other_speaker = ClaimText(ClaimKind.QUOTE, "Next spring rents will fall", speaker="Bo Chen")
    assert verdicts(other_speaker, [stored], [jaccard]) == []  # the core's guards come first
    figure = ClaimText(ClaimKind.FIGURE, "12 ferries", value=12, counted="ferries", claim_id=8)
    assert jaccard.score(figure, figure) is None


def test_the_register_candidate_sources_example_proposes_the_same_words_in_any_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> None:
    source = load_example("register_candidate_sources", tmp_path, monkeypatch).candidate_sources["same_words"]
    assert isinstance(source, CandidateSource)
    reworded = [
        ClaimText(ClaimKind.QUOTE, "Council will cut taxes on fuel"),
        ClaimText(ClaimKind.QUOTE, "Ferries"),
    ]
    try:
        with engine.begin() as connection:
            source.setup(connection)
            source.setup(connection)  # idempotent
            stored = ClaimText(ClaimKind.QUOTE, "“Fuel taxes will be cut by the council,”", claim_id=7)
            source.add(connection, [stored, ClaimText(ClaimKind.QUOTE, "Bus fares rise", claim_id=8)])
            assert [list(ids) for ids in source.propose(connection, reworded)] == [[7], []]
            source.merged(connection, 7, 9)  # an editor folded claim 7 into claim 9
            assert [list(ids) for ids in source.propose(connection, reworded)] == [[9], []]
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS same_words"))


def test_the_register_exporters_example_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exporter = load_example("register_exporters", tmp_path, monkeypatch).exporter("ndjson")
    assert isinstance(exporter, Exporter)
    published = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    mention = ReportMention(
        id=3,
        article=ArticleSummary(
            1, "https://harbour.example/rents", None, "Harbour Times", published, published
        ),
        text="“Rents will fall next spring,”",
        start=43,
        end=73,
        passage=Passage(43, 73, "“Rents will fall next spring,”"),
        speaker="she",
        resolved_speaker=ReportSpeaker(4, "Ann Lee"),
        cue="said",
        matcher=None,
        score=None,
    )
    claims = [
        ReportClaim(
            id=n,
            kind="quote",
            text="Rents will fall next spring",
            speaker=ReportSpeaker(4, "Ann Lee"),
            first_seen=FirstSeen(1, published, published),
            value=None,
            unit=None,
            counted=None,
            mentions=(mention,),
            mention_count=1,
        )
        for n in (1, 2)
    ]
    output = b"".join(exporter.export(Report(generated_at=published, claims=iter(claims))))
    lines = [json.loads(line) for line in output.decode().splitlines()]
    assert [line["id"] for line in lines] == [1, 2]
    assert lines[0]["speaker"] == {"id": 4, "name": "Ann Lee", "kind": "unknown"}
    assert lines[0]["mentions"][0]["article"]["published_at"] == "2024-03-01T09:30:00+00:00"


def test_the_article_ingested_example_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    registry = load_example("article_ingested", tmp_path, monkeypatch)
    with caplog.at_level(logging.INFO):
        registry.notify_ingested(IngestedArticle(5, "https://harbour.example/rents", [11, 12], [12]))
        registry.notify_ingested(IngestedArticle(6, None, [13], []))
    assert [r.getMessage() for r in caplog.records if r.name == "newsroom_alerts"] == [
        "article 5 (https://harbour.example/rents) brings 1 new claims among its 2 mentions"
    ]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "the example raised"


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_example_is_exercised(hook: str) -> None:
    exercised = {
        name.removeprefix("test_the_").split("_example_")[0]
        for name in globals()
        if name.startswith("test_the_") and "_example_" in name
    }
    assert hook in exercised, f"the docs/plugins.md example of hook {hook!r} is not exercised by a test here"
