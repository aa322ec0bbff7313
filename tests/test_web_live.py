"""The dashboard against a live server: concurrent writers, and a real headless Chromium."""

import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from detente.web.app import create_app
from tests.support import build_event_store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, db: Path):
        self.port = _free_port()
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="error")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


WRITER = textwrap.dedent(
    """
    import sys, time
    from detente.records import Article
    from detente.store import Store
    from detente.store.articles import upsert_articles
    store = Store(sys.argv[1])
    with store.writer():
        print("writing", flush=True)
        for batch in range(25):
            upsert_articles(store, [Article(id=f"w{batch}-{i}", text=f"Batch {batch} text {i}.") for i in range(20)])
            time.sleep(0.04)
    print("done", flush=True)
    """
)


def _hammer(url: str, until: subprocess.Popen) -> list[int]:
    statuses = []
    with httpx.Client(timeout=30) as client:
        while until.poll() is None:
            statuses.append(client.get(f"{url}/api/articles", params={"limit": 5}).status_code)
            statuses.append(client.get(f"{url}/api/relations", params={"dyad": "USA,RUS"}).status_code)
    return statuses


def test_dashboard_keeps_answering_while_a_run_writes(tmp_path):
    store = build_event_store(tmp_path / "live.duckdb")
    with LiveServer(store.path) as live:  # dashboard first, then the writer
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store.path)], stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "writing"
        statuses = _hammer(live.url, writer)
        assert writer.wait(timeout=120) == 0, "the writer must not fail because the dashboard is open"
        assert len(statuses) >= 4 and set(statuses) == {200}
        total = httpx.get(f"{live.url}/api/articles", params={"limit": 1}).json()["total"]
        assert total == 7 + 25 * 20


def test_dashboard_starts_while_a_run_is_writing(tmp_path):
    store = build_event_store(tmp_path / "live2.duckdb")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store.path)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "writing"  # the writer first, then the dashboard
    with LiveServer(store.path) as live:
        statuses = _hammer(live.url, writer)
    assert writer.wait(timeout=120) == 0
    assert statuses and set(statuses) == {200}


@pytest.mark.browser
def test_browser_pick_dyad_click_point_and_see_evidence(tmp_path):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing: .ci/run installs it with apt-get install chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    store = build_event_store(tmp_path / "browser.duckdb")
    with LiveServer(store.path) as live, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(f"{live.url}/")
            page.select_option("[data-testid=side-a]", "USA")
            page.select_option("[data-testid=side-b]", "RUS")
            page.click("[data-testid=show]")
            page.wait_for_selector("[data-testid=point]")
            page.click("circle[data-period='2021-04-01']")
            page.wait_for_selector("[data-testid=event]")
            events = page.locator("[data-testid=event]")
            assert events.count() == 2
            text = page.locator("[data-testid=events]").inner_text()
            assert "USA acted against RUS (e2)." in text and "RUS acted against USA (e3)." in text
            assert page.locator("[data-testid=events] mark").first.inner_text() == "acted"
            assert "a=USA" in page.url and "b=RUS" in page.url and "point=2021-04-01" in page.url

            # the view is shareable: opening the URL again shows the same evidence
            shared = browser.new_page()
            shared.goto(page.url)
            shared.wait_for_selector("[data-testid=event]")
            assert shared.locator("[data-testid=event]").count() == 2

            page.locator("[data-testid=event] a.article-link").first.click()
            page.wait_for_selector("[data-testid=article-title]:has-text('Headline')")
            assert page.locator("#article-text mark.event-sentence").count() >= 1
            page.click("text=Tit for tat")
            page.wait_for_selector("[data-testid=chain]")
            assert "in response" in page.locator("[data-testid=chains]").inner_text()
        finally:
            browser.close()
