"""The plugin manager and the registry of extractors, matchers and exporters it yields.

Built-in plugins are registered from :data:`DEFAULT_PLUGINS`; third-party plugins come from the
``provenance`` entry-point group. Both go through the same hooks. A plugin that fails to import,
or whose hook raises, is reported in :attr:`PluginRegistry.errors` and skipped: never a crash.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, TypeVar

import pluggy

from provenance import PROJECT, __version__, hookspecs
from provenance.domain import Exporter, Extractor, IngestedArticle, Matcher
from provenance.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_PLUGINS = (
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
    """The validated extractors, matchers and exporters of one plugin manager."""

    pm: pluggy.PluginManager
    settings: Settings
    extractors: dict[str, Extractor] = field(default_factory=dict)
    matchers: dict[str, Matcher] = field(default_factory=dict)
    exporters: dict[str, Exporter] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)
    entrypoints: bool = True  # whether installed entry points were loaded, so workers load the same
    _providers: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings, load_entrypoints: bool = True) -> PluginRegistry:
        """Load every plugin and collect what each one provides."""
        pm, errors = get_plugin_manager(load_entrypoints)
        registry = cls(pm=pm, settings=settings, errors=errors, entrypoints=load_entrypoints)
        registry._collect(
            "register_extractors", "extractor", registry.extractors, Extractor, lambda e: e.name
        )
        registry._collect("register_matchers", "matcher", registry.matchers, Matcher, lambda m: m.name)
        registry._collect("register_exporters", "exporter", registry.exporters, Exporter, lambda e: e.format)
        registry.errors.extend(
            PluginError("settings", f"PROVENANCE_MATCHERS names {name!r}, which no plugin provides")
            for name in settings.matchers
            if name not in registry.matchers
        )
        return registry

    def _collect(
        self,
        hook_name: str,
        what: str,
        into: dict[str, T],
        protocol: type[Any],
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
            for item in items:
                if not isinstance(item, protocol):
                    self.errors.append(PluginError(impl.plugin_name, f"{item!r} is not a valid {what}"))
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

    def active_matchers(self) -> list[Matcher]:
        """The matchers named in settings, in that order (unknown names are skipped; see ``errors``)."""
        return [self.matchers[name] for name in self.settings.matchers if name in self.matchers]

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
