"""What the API process does beside answering requests: deliver webhooks (unless
``PROVENANCE_WEBHOOK_DISPATCH=off``) and, on SQLite, do background jobs in a thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from litestar import Litestar
from sqlalchemy import Engine

from provenance.queue import LocalQueue, PostgresQueue
from provenance.settings import Settings
from provenance.webhooks import Dispatcher


def background(
    engine: Engine, settings: Settings, queue: LocalQueue | PostgresQueue
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the dispatcher and the local job thread run while the app does."""

    @asynccontextmanager
    async def running(_: Litestar) -> AsyncIterator[None]:
        stopping = asyncio.Event()
        dispatcher = (
            asyncio.create_task(Dispatcher(engine, settings).run(stopping))
            if settings.webhook_dispatch
            else None
        )
        if isinstance(queue, LocalQueue):
            queue.start()
        try:
            yield
        finally:
            stopping.set()
            if dispatcher is not None:
                await dispatcher
            await asyncio.to_thread(queue.close)

    return running
