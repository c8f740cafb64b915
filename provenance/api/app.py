"""The Litestar application factory."""

from __future__ import annotations

import json
from functools import partial

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from sqlalchemy import Engine
from swagger_ui_bundle import swagger_ui_path

from provenance import __version__, candidates, web
from provenance.api import auth
from provenance.api.articles import ArticleController
from provenance.api.background import background
from provenance.api.claims import ClaimController, list_conflicts, match
from provenance.api.deps import (
    check_request,
    provide_articles,
    provide_decisions,
    provide_engine,
    provide_registry,
    provide_session,
)
from provenance.api.editorial import EditorialController
from provenance.api.errors import EXCEPTION_HANDLERS
from provenance.api.jobs import JobController
from provenance.api.system import export, health, plugins
from provenance.api.webhooks import WebhookController
from provenance.db import create_db_engine
from provenance.plugins import PluginRegistry
from provenance.queue import job_queue
from provenance.services import ArticleService, EditorialService
from provenance.settings import Settings
from provenance.workers import WorkerPool

ASSETS = "/schema/assets"
"""Where the docs page's Swagger UI files are served from (the swagger-ui-bundle package), so
``/schema`` needs no CDN."""


def create_app(
    settings: Settings | None = None, registry: PluginRegistry | None = None, engine: Engine | None = None
) -> Litestar:
    """Build the app; tests pass their own settings, registry or engine."""
    settings = settings or Settings.from_env()
    registry = registry or PluginRegistry.create(settings)
    workers = WorkerPool(registry, settings.ingest_workers, preload=["provenance.services"])
    engine = engine or create_db_engine(settings.database_url, background_checkpoints=True, settings=settings)
    jobs = job_queue(engine, registry, settings)
    state = {
        "engine": engine,
        "registry": registry,
        "settings": settings,
        "articles": ArticleService(engine, registry, workers),
        "decisions": EditorialService(engine, registry),
        "jobs": jobs,
    }
    app = Litestar(
        route_handlers=[
            ArticleController,
            ClaimController,
            EditorialController,
            WebhookController,
            JobController,
            match,
            list_conflicts,
            export,
            plugins,
            health,
            create_static_files_router(ASSETS, directories=[swagger_ui_path]),
            web.router,
        ],
        template_config=web.TEMPLATES,
        before_request=check_request,
        guards=[auth.authorize],
        middleware=auth.middleware(settings),
        dependencies={
            "session": Provide(provide_session),
            "engine": Provide(provide_engine, sync_to_thread=False),
            "registry": Provide(provide_registry, sync_to_thread=False),
            "articles": Provide(provide_articles, sync_to_thread=False),
            "decisions": Provide(provide_decisions, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        # room for the longest accepted text at 4 bytes a character, plus metadata
        request_max_body_size=settings.max_text_chars * 4 + 2**16,
        openapi_config=OpenAPIConfig(
            title="Provenance",
            version=__version__,
            description="Claim provenance and fact tracking for newsrooms.",
            components=auth.SECURITY_COMPONENTS,
            path="/schema",
            render_plugins=[
                SwaggerRenderPlugin(
                    path="/",
                    js_url=f"{ASSETS}/swagger-ui-bundle.js",
                    css_url=f"{ASSETS}/swagger-ui.css",
                    standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
                    favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
                )
            ],
        ),
        state=State(state),
        on_startup=[partial(candidates.setup, engine, registry.sources())],
        lifespan=[background(engine, settings, jobs)],
        on_shutdown=[workers.close, engine.dispose],
    )
    auth.document(app, settings)
    return app


def openapi_document() -> str:
    """The OpenAPI document as stable, sorted JSON (what ``openapi/openapi.json`` holds)."""
    settings = Settings(database_url="sqlite://")
    app = create_app(settings, PluginRegistry.create(settings, load_entrypoints=False))
    return json.dumps(app.openapi_schema.to_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
