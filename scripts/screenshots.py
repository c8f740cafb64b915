"""Screenshots of every explorer view at desktop and phone widths, into ``docs/screenshots/``.

    .venv/bin/python scripts/screenshots.py [--corpus DIR] [--output DIR] [--chromium PATH]

Ingests the seed corpus into a temporary SQLite store, serves the app on a free loopback port
and drives Debian's chromium through Playwright (no browser download): search for the
"balanced position" quote, the claim, seed 000 (a rewrite of seed 001), the article list and
the review queue, each as ``VIEW-desktop.png`` (1280 px wide) and ``VIEW-phone.png`` (390 px).
Long pages are cut at ``MAX_HEIGHT`` CSS pixels.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select
from sqlmodel import Session, col

from provenance.api.app import create_app
from provenance.cli import SEED_CORPUS
from provenance.corpus import CorpusError, discover, read_articles
from provenance.db import create_db_engine, upgrade
from provenance.models import Claim
from provenance.plugins import PluginRegistry
from provenance.services import ArticleService
from provenance.settings import Settings
from provenance.web.serving import serving

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
MAX_HEIGHT = 2400
QUOTE = "balanced position"


def store(folder: Path, corpus: Path) -> Settings:
    """A migrated SQLite store in ``folder`` holding the articles of ``corpus``."""
    settings = Settings(database_url=f"sqlite:///{folder / 'screenshots.db'}")
    upgrade(settings.database_url)
    engine = create_db_engine(settings.database_url)
    registry = PluginRegistry.create(settings, load_entrypoints=False)
    articles = [
        (where, article)
        for path in discover([corpus])
        for where, article in read_articles(path)
        if not isinstance(article, CorpusError)
    ]
    for where, result in ArticleService(engine, registry).ingest_many(articles, workers=0):
        if isinstance(result, Exception):
            sys.exit(f"{where}: {result}")
    engine.dispose()
    return settings


def views(settings: Settings) -> dict[str, str]:
    """Each view's name and path."""
    engine = create_db_engine(settings.database_url)
    with Session(engine) as session:
        claim = session.execute(select(col(Claim.id)).where(col(Claim.text).contains(QUOTE))).scalar_one()
    engine.dispose()
    return {
        "search": "/?q=balanced+position",
        "claim": f"/claims/{claim}",
        "article": "/articles/1",
        "articles": "/articles",
        "review": "/review",
    }


def shoot(page: Page, path: str, target: Path) -> None:
    page.goto(path)
    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    width = page.viewport_size["width"] if page.viewport_size else 1280
    page.screenshot(path=target, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=SEED_CORPUS)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    args = parser.parse_args()
    if not args.chromium:
        sys.exit("no chromium found: apt-get install chromium, or pass --chromium PATH")
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = store(Path(folder), args.corpus)
        paths = views(settings)
        app = create_app(settings, PluginRegistry.create(settings, load_entrypoints=False))
        with serving(app) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium)
            for size, (width, height) in WIDTHS.items():
                page = browser.new_page(base_url=base, viewport={"width": width, "height": height})
                for name, path in paths.items():
                    target = args.output / f"{name}-{size}.png"
                    shoot(page, path, target)
                    print(target)
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
