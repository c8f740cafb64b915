"""The plugin manager and the registry of extractors, matchers and exporters it yields.

Built-in plugins are registered from :data:`DEFAULT_PLUGINS`, by module name (the core never
imports a plugin itself); third-party plugins come from the ``provenance`` entry-point group.
Both go through the same hooks. A plugin that fails to import, whose hook raises, or that
provides something missing a required attribute or holding a bad value is reported in
:attr:`PluginRegistry.errors` and skipped: never a crash.

The registry is the one place that reads what a plugin provides: it checks the attributes the
protocols of :mod:`provenance.domain` require and reads the optional ones with their defaults,
so the core sees :class:`RegisteredExtractor` and :class:`RegisteredMatcher` values, every
attribute set.
"""

from __future__ import annotations

import importlib
import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TypeVar, cast

import pluggy

from provenance import PROJECT, __version__, hookspecs
from provenance.domain import (
    ArticleText,
    CandidateSource,
    ClaimText,
    Exporter,
    Extraction,
    IngestedArticle,
    MatchScore,
)
from provenance.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_PLUGINS = (
    "provenance.index",  # the built-in candidate source, in the core: editorial actions keep it too
    "provenance.extractors.quotes",
    "provenance.extractors.attributions",
    "provenance.extractors.figures",
    "provenance.matchers.exact",
    "provenance.matchers.figure",
    "provenance.matchers.fuzzy",
    "provenance.exporters.csv",
    "provenance.exporters.json",
)

T = TypeVar("T")
_MISSING = object()


class InvalidPlugin(ValueError):
    """Something a plugin provides lacks a required attribute or holds a bad value."""


def _required(item: object, attribute: str) -> object:
    value = getattr(item, attribute, _MISSING)
    if value is _MISSING:
        raise InvalidPlugin(f"has no {attribute!r}")
    return value


def _text(item: object, attribute: str) -> str:
    value = _required(item, attribute)
    if not isinstance(value, str) or not value:
        raise InvalidPlugin(f"{attribute} must be a non-empty string, not {value!r}")
    return value


def _share(value: object, attribute: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidPlugin(f"{attribute} must be a number in [0, 1], not {value!r}")
    return float(value)


def _method(item: object, attribute: str) -> Callable[..., object]:
    value = _required(item, attribute)
    if not callable(value):
        raise InvalidPlugin(f"{attribute} must be a method, not {value!r}")
    return cast(Callable[..., object], value)


@dataclass(frozen=True, slots=True)
class RegisteredExtractor:
    """An extractor as the core runs it (see :class:`~provenance.domain.Extractor`), every
    attribute read: ``languages`` is ``None`` when it reads every language."""

    name: str
    languages: frozenset[str] | None
    extract: Callable[[ArticleText], Iterable[Extraction]]
    plugin: object  # what the plugin registered

    @classmethod
    def of(cls, extractor: object) -> RegisteredExtractor:
        """Check ``extractor`` and read its attributes; raises :class:`InvalidPlugin`."""
        languages = getattr(extractor, "languages", None)
        if languages is not None:
            if isinstance(languages, str) or not isinstance(languages, Iterable):
                raise InvalidPlugin(f"languages must be a set of language codes, not {languages!r}")
            languages = frozenset(languages)
            if not all(isinstance(code, str) for code in languages):
                raise InvalidPlugin(f"languages must be language codes, not {sorted(languages, key=str)!r}")
        return cls(
            name=_text(extractor, "name"),
            languages=languages or None,  # an empty set, like None, reads every language
            extract=cast(Callable[[ArticleText], Iterable[Extraction]], _method(extractor, "extract")),
            plugin=extractor,
        )

    def reads(self, language: str | None) -> bool:
        """Whether this extractor runs on an article in ``language``."""
        return self.languages is None or language in self.languages


@dataclass(frozen=True, slots=True)
class RegisteredMatcher:
    """A matcher as the core runs it (see :class:`~provenance.domain.Matcher`), every attribute
    read: ``suggest_threshold`` is ``math.inf`` when the matcher suggests nothing, so that
    ``min(suggest_threshold, threshold)`` is where suggestions start, whatever threshold applies."""

    name: str
    version: str
    threshold: float
    suggest_threshold: float
    score: Callable[[ClaimText, ClaimText], MatchScore | None]
    plugin: object  # what the plugin registered

    @classmethod
    def of(cls, matcher: object) -> RegisteredMatcher:
        """Check ``matcher`` and read its attributes; raises :class:`InvalidPlugin`."""
        version = _required(matcher, "version")
        if not isinstance(version, str):
            raise InvalidPlugin(f"version must be a string, not {version!r}")
        suggest = getattr(matcher, "suggest_threshold", None)
        return cls(
            name=_text(matcher, "name"),
            version=version,
            threshold=_share(_required(matcher, "threshold"), "threshold"),
            suggest_threshold=math.inf if suggest is None else _share(suggest, "suggest_threshold"),
            score=cast(Callable[[ClaimText, ClaimText], MatchScore | None], _method(matcher, "score")),
            plugin=matcher,
        )


def checked_exporter(exporter: object) -> Exporter:
    """``exporter`` once its attributes are checked (an exporter has no optional ones); raises
    :class:`InvalidPlugin`."""
    for attribute in ("format", "media_type", "extension"):
        _text(exporter, attribute)
    _method(exporter, "export")
    return cast(Exporter, exporter)


def checked_source(source: object) -> CandidateSource:
    """``source`` once its attributes are checked (a candidate source has no optional ones);
    raises :class:`InvalidPlugin`."""
    _text(source, "name")
    for method in ("setup", "propose", "add", "merged"):
        _method(source, method)
    return cast(CandidateSource, source)


@dataclass(frozen=True)
class PluginInfo:
    """A registered plugin as listed by ``GET /v1/plugins`` and ``provenance plugins``."""

    name: str
    version: str | None
    builtin: bool
    hooks: tuple[str, ...]
    provides: dict[str, list[str]]


@dataclass(frozen=True)
class PluginError:
    """A plugin that was skipped, and why."""

    plugin: str
    error: str


def get_plugin_manager(load_entrypoints: bool = True) -> tuple[pluggy.PluginManager, list[PluginError]]:
    """A fresh plugin manager with the built-ins and, unless told not to, every installed entry point."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    errors: list[PluginError] = []
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    if load_entrypoints:
        for ep in entry_points(group=PROJECT):
            if pm.has_plugin(ep.name):
                errors.append(PluginError(ep.name, f"a plugin named {ep.name!r} is already registered"))
                continue
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
                pm.check_pending()
            except Exception as exc:  # a broken plugin is reported, never fatal
                if pm.has_plugin(ep.name):
                    pm.unregister(name=ep.name)
                errors.append(PluginError(ep.name, f"{type(exc).__name__}: {exc}"))
                log.warning("skipping plugin %s: %s", ep.name, exc)
                continue
            if ep.dist is not None:
                pm._plugin_distinfo.append((plugin, ep.dist))  # as pluggy's own entry-point loader records it
    return pm, errors


@dataclass
class PluginRegistry:
    """The validated extractors, matchers, exporters and candidate sources of one plugin manager."""

    pm: pluggy.PluginManager
    settings: Settings
    extractors: dict[str, RegisteredExtractor] = field(default_factory=dict)
    matchers: dict[str, RegisteredMatcher] = field(default_factory=dict)
    exporters: dict[str, Exporter] = field(default_factory=dict)
    candidate_sources: dict[str, CandidateSource] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)
    entrypoints: bool = True  # whether installed entry points were loaded, so workers load the same
    _providers: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings, load_entrypoints: bool = True) -> PluginRegistry:
        """Load every plugin and collect what each one provides."""
        pm, errors = get_plugin_manager(load_entrypoints)
        registry = cls(pm=pm, settings=settings, errors=errors, entrypoints=load_entrypoints)
        registry._collect(
            "register_extractors", "extractor", registry.extractors, RegisteredExtractor.of, lambda e: e.name
        )
        registry._collect(
            "register_matchers", "matcher", registry.matchers, RegisteredMatcher.of, lambda m: m.name
        )
        registry._collect(
            "register_exporters", "exporter", registry.exporters, checked_exporter, lambda e: e.format
        )
        registry._collect(
            "register_candidate_sources",
            "candidate_source",
            registry.candidate_sources,
            checked_source,
            lambda c: c.name,
        )
        registry.errors.extend(
            PluginError("settings", f"PROVENANCE_MATCHERS_{which} names {name!r}, which no plugin provides")
            for which, names in (("ALLOW", settings.matchers_allow), ("DENY", settings.matchers_deny))
            for name in names
            if name not in registry.matchers
        )
        return registry

    def _collect(
        self,
        hook_name: str,
        what: str,
        into: dict[str, T],
        check: Callable[[object], T],
        name_of: Callable[[T], str],
    ) -> None:
        hook = getattr(self.pm.hook, hook_name)
        for impl in hook.get_hookimpls():  # registration order: built-ins first
            try:
                kwargs = {arg: self.settings for arg in impl.argnames if arg == "settings"}
                items = list(impl.function(**kwargs) or ())
            except Exception as exc:
                self.errors.append(PluginError(impl.plugin_name, f"{hook_name} raised {exc!r}"))
                continue
            for provided in items:
                try:
                    item = check(provided)
                except Exception as exc:  # a missing attribute, a bad value, or a property that raised
                    self.errors.append(
                        PluginError(impl.plugin_name, f"{provided!r} is not a valid {what}: {exc}")
                    )
                    continue
                name = name_of(item)
                if name in into:
                    self.errors.append(
                        PluginError(
                            impl.plugin_name, f"{what} {name!r} is already provided by another plugin"
                        )
                    )
                    continue
                into[name] = item
                self._providers.setdefault(impl.plugin_name, {}).setdefault(what + "s", []).append(name)

    def extractors_for(self, language: str | None) -> list[RegisteredExtractor]:
        """The extractors that read articles in ``language``, in registration order."""
        return [e for e in self.extractors.values() if e.reads(language)]

    def active_matchers(self) -> list[RegisteredMatcher]:
        """Every registered matcher, in registration order (built-ins first), unless settings
        restrict them: only those ``PROVENANCE_MATCHERS_ALLOW`` names, when it names any, and
        never those ``PROVENANCE_MATCHERS_DENY`` names (unknown names are in ``errors``)."""
        allow, deny = self.settings.matchers_allow, self.settings.matchers_deny
        return [m for name, m in self.matchers.items() if (not allow or name in allow) and name not in deny]

    def sources(self) -> list[CandidateSource]:
        """Every registered candidate source, in registration order (the built-in first)."""
        return list(self.candidate_sources.values())

    def exporter(self, fmt: str) -> Exporter | None:
        """The exporter for ``fmt``, or ``None``."""
        return self.exporters.get(fmt.lower())

    def notify_ingested(self, article: IngestedArticle) -> None:
        """Fire ``article_ingested`` on every plugin; failures are logged, never raised."""
        for impl in self.pm.hook.article_ingested.get_hookimpls():
            try:
                impl.function(article=article)
            except Exception:
                log.exception("plugin %s failed in article_ingested", impl.plugin_name)

    def describe(self) -> list[PluginInfo]:
        """Every registered plugin with its version, hooks and what it provides, built-ins first."""
        dists = {id(plugin): dist for plugin, dist in self.pm.list_plugin_distributions()}
        infos = []
        for name, plugin in self.pm.list_name_plugin():
            dist = dists.get(id(plugin))
            hooks = tuple(sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ()))
            infos.append(
                PluginInfo(
                    name=name,
                    version=dist.version
                    if dist is not None
                    else (__version__ if name in DEFAULT_PLUGINS else None),
                    builtin=name in DEFAULT_PLUGINS,
                    hooks=hooks,
                    provides=self._providers.get(name, {}),
                )
            )
        return sorted(infos, key=lambda info: (not info.builtin, info.name))
