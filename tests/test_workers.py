"""Worker processes that prepare articles: the time budget, and no worker outliving its parent."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from provenance.articles import ArticleInput, InvalidArticle
from provenance.plugins import PluginRegistry
from provenance.services import worker_prepare
from provenance.settings import Settings
from provenance.workers import ArticleTooSlow, WorkerPool

LONG = "“We will keep the clinics open all winter,” the mayor said on Monday. " * 2000


def registry(budget: float) -> PluginRegistry:
    return PluginRegistry.create(Settings(article_time_budget=budget), load_entrypoints=False)


def test_an_article_over_its_time_budget_is_refused_and_the_pool_goes_on() -> None:
    pool = WorkerPool(registry(0.001), workers=1, start_method="forkserver")
    try:
        with pytest.raises(ArticleTooSlow, match=r"time budget of 0\.001 s"):
            pool.run(worker_prepare, ArticleInput(text=LONG)).result(timeout=60)
        with pytest.raises(
            InvalidArticle, match="text is empty"
        ):  # a new worker took the stopped one's place
            pool.run(worker_prepare, ArticleInput(text=" ")).result(timeout=60)
    finally:
        pool.close()


def test_a_prepared_article_comes_back_from_the_worker() -> None:
    pool = WorkerPool(registry(30), workers=1, start_method="spawn")
    try:
        prepared = pool.run(
            worker_prepare, ArticleInput(text=LONG[:500], url="https://news.example/1")
        ).result(timeout=120)
    finally:
        pool.close()
    assert prepared.article.url == "https://news.example/1"
    assert any(e.text.startswith("“We will keep the clinics open") for e in prepared.extractions)


@pytest.mark.parametrize("start_method", ["spawn", "forkserver"])
def test_workers_end_with_their_parent_after_kill_9(tmp_path: Path, start_method: str) -> None:
    ready = tmp_path / "ready"
    script = textwrap.dedent(
        f"""
        import os, sys, time
        from pathlib import Path
        from provenance.articles import ArticleInput
        from provenance.plugins import PluginRegistry
        from provenance.services import worker_prepare
        from provenance.settings import Settings
        from provenance.workers import WorkerPool

        if __name__ == "__main__":
            pool = WorkerPool(PluginRegistry.create(Settings(), load_entrypoints=False), 2, {start_method!r})
            pool.run(worker_prepare, ArticleInput(text="“Fine,” she said.")).result()
            Path({str(ready)!r}).write_text("ready")
            time.sleep(600)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert time.monotonic() < deadline, "the pool did not start"
            assert parent.poll() is None, "the parent failed"
            time.sleep(0.1)
        workers = descendants(parent.pid)
        assert len(workers) >= 2
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "a worker outlived its parent"


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (workers, and the fork server or resource tracker)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its parent to read its status does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
