"""Plugin discovery: built-ins and entry points through the same hooks; broken plugins are skipped."""

from __future__ import annotations

import inspect
import math
import os
import subprocess
import sys
from dataclasses import replace
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from provenance import hookspecs, plugins
from provenance.domain import IngestedArticle
from provenance.plugins import PluginRegistry
from provenance.settings import Settings
from tests.installing import pip_install

ROOT = Path(__file__).resolve().parents[1]
HOOKS = [
    name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(fn, "provenance_spec")
]


def test_every_hook_is_in_the_architecture_map() -> None:
    architecture = (ROOT / "docs" / "architecture.md").read_text()
    for hook in HOOKS:
        assert f"`{hook}" in architecture, hook


def _fake_entry_points(monkeypatch: pytest.MonkeyPatch, *entries: EntryPoint) -> None:
    monkeypatch.setattr(plugins, "entry_points", lambda group: [e for e in entries if e.group == group])


def _module(name: str, source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))


PLUGIN_SOURCE = """
from provenance import hookimpl
from provenance.domain import ClaimKind, Extraction, MatchScore

class ShoutExtractor:
    name = "shouts"
    def extract(self, article):
        start = article.text.find("!!")
        if start >= 0:
            yield Extraction(kind=ClaimKind.QUOTE, text="!!", start=start, end=start + 2)

class AlwaysMatcher:
    name = "always"
    version = "2"
    threshold = 0.5
    def score(self, query, candidate):
        return MatchScore(0.75, "always")

class TextExporter:
    format = "txt"
    media_type = "text/plain"
    extension = "txt"
    def export(self, report):
        for claim in report.claims:
            yield claim.text.encode()

EVENTS = []

@hookimpl
def register_extractors(settings):
    return [ShoutExtractor()]

@hookimpl
def register_matchers(settings):
    return [AlwaysMatcher()]

@hookimpl
def register_exporters():
    return [TextExporter()]

@hookimpl
def article_ingested(article):
    EVENTS.append(article)
"""


@pytest.fixture
def third_party(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PluginRegistry:
    _module("third_party_plugin", PLUGIN_SOURCE, tmp_path, monkeypatch)
    _module("broken_plugin", "raise ImportError('missing dependency: lasers')", tmp_path, monkeypatch)
    _module(
        "raising_plugin",
        "from provenance import hookimpl\n\n@hookimpl\ndef register_exporters():\n"
        "    raise RuntimeError('boom')\n",
        tmp_path,
        monkeypatch,
    )
    _module(
        "clashing_plugin",
        "from provenance import hookimpl\nfrom provenance.exporters.csv import CSVExporter\n"
        "@hookimpl\ndef register_exporters():\n    return [CSVExporter()]\n",
        tmp_path,
        monkeypatch,
    )
    _fake_entry_points(
        monkeypatch,
        EntryPoint("third", "third_party_plugin", "provenance"),
        EntryPoint("broken", "broken_plugin", "provenance"),
        EntryPoint("raising", "raising_plugin", "provenance"),
        EntryPoint("clashing", "clashing_plugin", "provenance"),
        EntryPoint("elsewhere", "third_party_plugin", "other_group"),
    )
    return PluginRegistry.create(Settings())


def test_hook_register_extractors(third_party: PluginRegistry) -> None:
    assert set(third_party.extractors) == {"quotes", "attributions", "figures", "shouts"}
    shouts = third_party.extractors["shouts"]
    assert shouts.languages is None and shouts.reads("fr") and shouts.reads(None)  # optional: every language
    assert third_party.extractors["quotes"].languages == {"en"}
    assert [e.name for e in third_party.extractors_for("fr")] == ["shouts"]


def test_hook_register_matchers(third_party: PluginRegistry) -> None:
    # every installed matcher is active unless settings restrict them
    assert [m.name for m in third_party.active_matchers()] == ["exact", "figure", "fuzzy", "always"]
    always = third_party.matchers["always"]
    assert (always.version, always.threshold, always.suggest_threshold) == ("2", 0.5, math.inf)
    assert third_party.matchers["fuzzy"].suggest_threshold == 0.65


def test_settings_allow_and_deny_matchers_by_name(
    third_party: PluginRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    def active(**settings: tuple[str, ...]) -> list[str]:
        registry = replace(third_party, settings=Settings(**settings))  # type: ignore[arg-type]
        return [m.name for m in registry.active_matchers()]

    assert active(matchers_allow=("always", "exact")) == ["exact", "always"]  # in registration order
    assert active(matchers_deny=("fuzzy", "always")) == ["exact", "figure"]
    assert active(matchers_allow=("exact", "fuzzy"), matchers_deny=("fuzzy",)) == ["exact"]
    monkeypatch.setenv("PROVENANCE_MATCHERS_ALLOW", " exact, fuzzy ,")
    monkeypatch.setenv("PROVENANCE_MATCHERS_DENY", "figure")
    settings = Settings.from_env()
    assert (settings.matchers_allow, settings.matchers_deny) == (("exact", "fuzzy"), ("figure",))
    monkeypatch.setenv("PROVENANCE_MATCHERS", "exact")  # the old variable: refused, never ignored
    with pytest.raises(ValueError, match="PROVENANCE_MATCHERS was replaced by PROVENANCE_MATCHERS_ALLOW"):
        Settings.from_env()


def test_hook_register_exporters(third_party: PluginRegistry) -> None:
    assert third_party.exporter("TXT") is not None and third_party.exporter("csv") is not None


def test_hook_article_ingested(third_party: PluginRegistry) -> None:
    import third_party_plugin  # type: ignore[import-not-found]

    event = IngestedArticle(article_id=7, url=None, mention_ids=[1], new_claim_ids=[1])
    third_party.notify_ingested(event)
    assert [event] == third_party_plugin.EVENTS


def test_broken_raising_and_clashing_plugins_are_reported_and_skipped(third_party: PluginRegistry) -> None:
    errors = {e.plugin: e.error for e in third_party.errors}
    assert "lasers" in errors["broken"]
    assert "boom" in errors["raising"]
    assert "already provided" in errors["clashing"]
    listed = {p.name: p for p in third_party.describe()}
    assert "broken" not in listed and listed["third"].provides["exporters"] == ["txt"]
    assert listed["provenance.exporters.csv"].builtin


def test_unknown_matcher_names_in_settings_are_reported() -> None:
    registry = PluginRegistry.create(
        Settings(matchers_allow=("exact", "semantic"), matchers_deny=("lexical",)), load_entrypoints=False
    )
    assert [m.name for m in registry.active_matchers()] == ["exact"]
    errors = [e.error for e in registry.errors if e.plugin == "settings"]
    assert any("ALLOW" in e and "'semantic'" in e for e in errors)
    assert any("DENY" in e and "'lexical'" in e for e in errors)


INVALID_SOURCE = """
from provenance import hookimpl

class NoThreshold:
    name = "no-threshold"
    version = "1"
    def score(self, query, candidate):
        return None

class Overconfident(NoThreshold):
    name = "overconfident"
    threshold = 1.5

class SuggestsText(NoThreshold):
    name = "suggests-text"
    threshold = 0.8
    suggest_threshold = "0.6"

class Unscored:
    name = "unscored"
    version = "1"
    threshold = 0.8
    score = 0.9

class Fine(NoThreshold):
    name = "fine"
    threshold = 0.9
    suggest_threshold = 0.7

class OneLanguage:
    name = "one-language"
    languages = "en"
    def extract(self, article):
        return []

class Nameless:
    format = ""
    media_type = "text/plain"
    extension = "txt"
    def export(self, report):
        yield b""

@hookimpl
def register_matchers():
    return [NoThreshold(), Overconfident(), SuggestsText(), Unscored(), Fine()]

@hookimpl
def register_extractors():
    return [OneLanguage()]

@hookimpl
def register_exporters():
    return [Nameless()]
"""


def test_missing_attributes_and_bad_values_are_reported_and_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _module("invalid_plugin", INVALID_SOURCE, tmp_path, monkeypatch)
    _fake_entry_points(monkeypatch, EntryPoint("invalid", "invalid_plugin", "provenance"))
    registry = PluginRegistry.create(Settings())
    errors = [e.error for e in registry.errors if e.plugin == "invalid"]
    assert len(errors) == 6, errors
    for reason in (
        "has no 'threshold'",
        "threshold must be a number in [0, 1], not 1.5",
        "suggest_threshold must be a number in [0, 1], not '0.6'",
        "score must be a method",
        "languages must be a set of language codes, not 'en'",
        "format must be a non-empty string",
    ):
        assert any(reason in e for e in errors), reason
    assert [m.name for m in registry.active_matchers()] == ["exact", "figure", "fuzzy", "fine"]
    assert registry.matchers["fine"].suggest_threshold == 0.7
    assert set(registry.extractors) == {"quotes", "attributions", "figures"}
    assert set(registry.exporters) == {"csv", "json"}
    assert {p.name: p for p in registry.describe()}["invalid"].provides == {"matchers": ["fine"]}


def test_a_failing_event_handler_never_fails_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _module(
        "bad_listener",
        "from provenance import hookimpl\n@hookimpl\ndef article_ingested(article):\n"
        "    raise RuntimeError('listener down')\n",
        tmp_path,
        monkeypatch,
    )
    _fake_entry_points(monkeypatch, EntryPoint("listener", "bad_listener", "provenance"))
    registry = PluginRegistry.create(Settings())
    registry.notify_ingested(IngestedArticle(1, None, [], []))


def test_example_plugin_installs_and_works_through_its_entry_point(tmp_path: Path) -> None:
    """Install plugins/provenance-markdown for real and use it from the command line."""
    target = pip_install(ROOT / "plugins" / "provenance-markdown", tmp_path / "site")
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "PROVENANCE_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
    }
    article = tmp_path / "article.txt"
    article.write_text("“The new library will open its doors to readers in May,” the culture minister said.")

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "provenance", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "markdown 0.1.0 (installed) hooks=register_exporters exporters: md" in cli("plugins")
    cli("db", "upgrade")
    cli("ingest", str(article))
    report = cli("export", "--format", "md")
    assert report.startswith("# Provenance report")
    assert "The new library will open its doors to readers in May" in report
    assert article.resolve().as_uri() in report
