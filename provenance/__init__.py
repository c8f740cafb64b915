"""Provenance: claim provenance and fact tracking for newsrooms."""

from importlib.metadata import PackageNotFoundError, version

import pluggy

try:
    __version__ = version("claim-provenance")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

PROJECT = "provenance"
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = ["PROJECT", "__version__", "hookimpl"]
