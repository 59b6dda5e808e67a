"""The HTML views in a real browser: Debian's Chromium driven by Playwright (no browser download).

Each page must draw every node of its view graph without a console error and without a single request beyond
its own file; hovering a task shows the task's text; markup in a unit name stays text. Screenshots go to
tests/artifacts/views/ (git-ignored). Skipped when Chromium is missing, except under CI=true, where that fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_views import HOSTILE, hostile_documents

from conftest import CORPUS, GENRE
from kg.corpus import load_corpus
from kg.views import BUILD_VIEWS, view_graph, write_view

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "views"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def several():
    """Twelve documents: a forest of small trees, on which vis-network's own level sorting throws."""
    return load_corpus([CORPUS, GENRE], jobs=1)


@pytest.fixture(scope="module")
def pages(tmp_path_factory, corpus, several) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    files = {view: folder / f"{view}.html" for view in BUILD_VIEWS.values()}
    for view, path in files.items():
        write_view(corpus, path, view)
    files["deps-corpus"] = folder / "deps-corpus.html"
    write_view(several, files["deps-corpus"], "deps")
    files["hostile"] = folder / "hostile.html"
    write_view(hostile_documents(corpus.documents[0]), files["hostile"], "graph")
    return files


class Visit:
    """One page opened offline: console errors and every request the page makes are recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.url = path.as_uri()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)
        self.context.route("**/*", self._route)
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)

    def _request(self, request) -> None:
        if request.url != self.url and not request.url.startswith("data:"):
            self.foreign.append(request.url)

    def _route(self, route) -> None:
        if route.request.url == self.url or route.request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    def count(self, what: str) -> int:
        return int(self.page.get_attribute("body", f"data-{what}-count"))

    def hover(self, node: str) -> str:
        """Move the pointer onto ``node`` (zoomed in, found by its canvas position); the tooltip's text."""
        self.page.evaluate("""id => {
            const pos = kg.network.getPositions([id])[id];
            kg.network.moveTo({position: pos, scale: 2, animation: false});
        }""", node)
        point = self.page.evaluate("""id => {
            const dom = kg.network.canvasToDOM(kg.network.getPositions([id])[id]);
            const box = document.querySelector('#kg-network').getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""", node)
        self.page.mouse.move(point["x"] - 120, point["y"] - 90)
        self.page.mouse.move(point["x"], point["y"], steps=6)
        tooltip = self.page.wait_for_selector("div.vis-tooltip .kg-tip", state="visible", timeout=10_000)
        return tooltip.inner_html()

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("view", [*BUILD_VIEWS.values(), "deps-corpus"])
def test_each_view_draws_every_node_offline_without_errors(browser, pages, corpus, several, view):
    visit = Visit(browser, pages[view])
    try:
        visit.screenshot(view)
        graph = view_graph(several, "deps") if view == "deps-corpus" else view_graph(corpus, view)
        assert visit.count("node") == graph.number_of_nodes()
        assert visit.count("edge") == graph.number_of_edges()
        assert visit.errors == []
        assert visit.foreign == []
    finally:
        visit.close()


def test_hovering_a_task_shows_its_text(browser, pages, corpus):
    doc = corpus.documents[0]
    task = doc.tasks[5]
    visit = Visit(browser, pages["graph"])
    try:
        visit.hover(f"{doc.digest[:12]}:{task.id}")
        visit.screenshot("graph-hover-task")
        assert visit.page.text_content("div.vis-tooltip .kg-tip-text") == task.text
        assert visit.page.text_content("div.vis-tooltip .kg-tip-head") == f"Task {task.id} · 深入实施创新驱动战略"
        assert visit.errors == [] and visit.foreign == []
    finally:
        visit.close()


def test_markup_in_a_unit_name_stays_text(browser, pages):
    visit = Visit(browser, pages["hostile"])
    try:
        page = visit.page
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("n => kg.nodes.get({filter: x => x.label === n}).length", HOSTILE) == 1
        tooltip = visit.hover(f"unit:泰安市/{HOSTILE}")
        assert "<img" not in tooltip and "<script" not in tooltip
        assert page.text_content("div.vis-tooltip .kg-tip-head") == HOSTILE
        page.fill("#kg-search", "onerror")  # search results are Option texts, never markup
        page.wait_for_selector("#kg-hits option", state="attached")
        assert HOSTILE in page.eval_on_selector_all("#kg-hits option", "os => os.map(o => o.textContent)")
        assert page.eval_on_selector("h1", "h => h.textContent").startswith(HOSTILE)
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        visit.screenshot("hostile")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert visit.errors == [] and visit.foreign == []
    finally:
        visit.close()
