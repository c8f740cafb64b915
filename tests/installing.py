"""Installing the example plugin distributions of ``plugins/`` for a test, for real, with pip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def pip_install(package: Path, target: Path) -> Path:
    """Install the distribution at ``package`` (no dependencies, no build isolation) into the
    directory ``target``, which is returned; it is on no path until a test puts it there."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(package),
        ],
        check=True,
        capture_output=True,
    )
    return target
