"""The provenance explorer: web pages for editors over the same read models the API serves.

Server-rendered Jinja templates (``templates/``) and a small script and stylesheet
(``static/``), with no build step; editorial actions go through the API with the editor's key.
The pages are left out of the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.exceptions import HTTPException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from provenance.api.auth import PAGE_OPT
from provenance.web.markup import article_label, when
from provenance.web.pages import article_page, articles_page, claim_page, error_page, review_page, search

HERE = Path(__file__).parent


def _filters(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters["when"] = when
    engine.engine.globals["label"] = article_label


TEMPLATES: TemplateConfig[JinjaTemplateEngine] = TemplateConfig(
    directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=_filters
)
"""The pages' templates, with the ``when`` filter (a time in UTC) and ``label`` (an article's name)."""

router = Router(
    path="/",
    route_handlers=[
        search,
        claim_page,
        articles_page,
        article_page,
        review_page,
        create_static_files_router(  # the login page needs them: never keyed
            "/static", directories=[HERE / "static"], include_in_schema=False, opt={PAGE_OPT: False}
        ),
    ],
    include_in_schema=False,
    exception_handlers={HTTPException: error_page},
    opt={PAGE_OPT: True},
)
"""Every page and its static files."""
