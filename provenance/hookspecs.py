"""The hook specifications: every extension point of Provenance, in one place.

A plugin is a module or object with functions marked ``@provenance.hookimpl`` whose names match
these specs. Built-in extractors, matchers and exporters use the same hooks as third-party
plugins, which are found through the ``provenance`` entry-point group. Call hooks with keyword
arguments only; an implementation may accept fewer arguments than its spec.
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from provenance import PROJECT
from provenance.domain import CandidateSource, Exporter, Extractor, IngestedArticle, Matcher
from provenance.settings import Settings

hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def register_extractors(settings: Settings) -> Iterable[Extractor]:
    """Return extractors to run on every cleaned article.

    Each extractor has a unique ``name``, optionally the ``languages`` it reads (default: every
    language), and an ``extract(article)`` method returning
    :class:`~provenance.domain.Extraction` objects with offsets into ``article.text``.
    """


@hookspec
def register_matchers(settings: Settings) -> Iterable[Matcher]:
    """Return matchers that score a new claim text against a stored claim.

    Each matcher has a unique ``name``, a ``version``, a ``threshold`` (a pair scoring this
    much is linked), optionally a lower ``suggest_threshold`` (from which a pair is suggested for
    review), and a ``score(query, candidate)`` method returning a
    :class:`~provenance.domain.MatchScore` in [0, 1] with an explanation, or ``None`` when it does
    not apply. The guards in :mod:`provenance.matching` apply to every matcher first. Every
    registered matcher runs unless ``PROVENANCE_MATCHERS_ALLOW`` or ``PROVENANCE_MATCHERS_DENY``
    restrict them.
    """


@hookspec
def register_candidate_sources(settings: Settings) -> Iterable[CandidateSource]:
    """Return candidate sources: each proposes stored claims worth scoring for a new claim from
    an index of its own kept in the store (``setup``, ``propose``, ``add``, ``merged``; see
    :class:`~provenance.domain.CandidateSource`). Every registered source is asked, the built-in
    word-bigram index first, and every active matcher scores what they propose."""


@hookspec
def register_exporters(settings: Settings) -> Iterable[Exporter]:
    """Return exporters, each with a unique ``format`` (used in ``/v1/exports/{format}``),
    a ``media_type``, a file ``extension`` and an ``export(report)`` method yielding bytes."""


@hookspec
def article_ingested(article: IngestedArticle) -> None:
    """Called after an article and its claims are committed to the store.

    Errors raised here are logged and never undo or fail the ingest.
    """
