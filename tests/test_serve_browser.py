"""`safeaudit serve` in headless Chromium: keyboard only, no JavaScript needed, accessible, local."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright import sync_api

from safeaudit.checklists import load_checklist
from safeaudit.questionnaire.starting import new_answers
from safeaudit.serve.guard import Keys
from safeaudit.serve.workspace import Workspace
from safeaudit.store import save_answers

CHROMIUM = Path("/usr/bin/chromium")
BINARY = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHECKLIST = "kcsie-2026-online-safety"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        BINARY is None,
        reason="headless Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@dataclass
class Served:
    keys: Keys
    folder: Path
    workspace: Workspace
    #: Every address the browser asked for, to check that none is elsewhere.
    requests: list[str] = field(default_factory=list)

    @property
    def file(self) -> Path:
        return self.folder / "audit.yaml"

    def url(self, path: str) -> str:
        return f"{self.keys.origin}{path}"

    def answers(self) -> dict[str, dict[str, object]]:
        data = yaml.safe_load(self.file.read_text(encoding="utf-8"))
        return data.get("answers") or {}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from safeaudit.serve.server import bind, make_server

    folder = tmp_path_factory.mktemp("serve")
    checklist = load_checklist(CHECKLIST)
    save_answers(
        folder / "audit.yaml",
        new_answers(checklist, "Birchwood Primary", "primary", None, dt.date.today()),
    )
    workspace = Workspace(folder)
    workspace.open(folder / "audit.yaml")
    sock = bind()
    server, keys = make_server(workspace, sock)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield Served(keys, folder, workspace)
    server.should_exit = True
    thread.join(10)
    sock.close()
    workspace.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=BINARY, args=ARGS)
        yield launched
        launched.close()


def _context(browser: object, served: Served, **options: object) -> object:
    options.setdefault("locale", "en-GB")
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    origin = served.keys.origin

    def check(route: object, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        served.requests.append(url)
        if url.startswith(origin + "/"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", check)
    page = context.new_page()
    page.goto(served.keys.address)  # the printed address: token swapped for a cookie
    assert page.url == served.url("/")
    return context


@pytest.fixture
def page(browser: object, served: Served) -> Iterator[object]:
    """A page with JavaScript turned off: everything must work without it."""
    context = _context(browser, served, java_script_enabled=False)
    yield context.pages[0]  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]
    _nothing_left_the_machine(served)


@pytest.fixture
def scripted(browser: object, served: Served) -> Iterator[object]:
    """A page with JavaScript on (and the page's CSP bypassed) so axe-core can run in it."""
    context = _context(browser, served, bypass_csp=True)
    yield context.pages[0]  # type: ignore[attr-defined]
    context.close()  # type: ignore[attr-defined]
    _nothing_left_the_machine(served)


def _nothing_left_the_machine(served: Served) -> None:
    elsewhere = [u for u in served.requests if urlsplit(u).netloc != served.keys.host]
    assert elsewhere == [], f"requests to other addresses: {elsewhere}"
    assert served.requests, "no requests were seen"


def _focused(page: object) -> object:
    return page.locator(":focus")  # type: ignore[attr-defined]


def _follow(page: object, target: object) -> None:
    """Click a link or button and wait for the page it leads to (a bare click returns as soon
    as the navigation starts, so under load the old page could still be there)."""
    with page.expect_navigation():  # type: ignore[attr-defined]
        target.click()  # type: ignore[attr-defined]


def _enter(page: object) -> None:
    """Press Enter on a link or button and wait for the page it leads to."""
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.keyboard.press("Enter")  # type: ignore[attr-defined]


def _tab_to_save(page: object) -> None:
    for _ in range(25):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        focused = _focused(page)
        if focused.count() and (focused.text_content() or "").startswith("Save answer"):  # type: ignore[attr-defined]
            return
    raise AssertionError("the Save button was not reached with Tab")


def test_a_whole_area_with_the_keyboard_only(page: object, served: Served) -> None:
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    # From the start page, Tab to "Carry on where you left off" and press Enter.
    for _ in range(30):
        if (_focused(page).text_content() or "").startswith("Carry on"):  # type: ignore[attr-defined]
            break
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
    _enter(page)
    assert "/area/leadership" in page.url  # type: ignore[attr-defined]
    # A day whose day and month are the same number, so typing it works whether the browser
    # orders the date's boxes day-month-year or month-day-year.
    day = dt.date.today()
    while day.day != day.month:
        day -= dt.timedelta(days=1)
    answered = 0
    for _ in range(40):
        focused = _focused(page)
        assert focused.count() == 1, "nothing has the focus after the page loaded"  # type: ignore[attr-defined]
        if focused.get_attribute("id") == "next":  # type: ignore[attr-defined]
            break
        kind = focused.get_attribute("type")  # type: ignore[attr-defined]
        if kind == "radio":
            page.keyboard.press("Space")  # type: ignore[attr-defined]
        elif kind == "date":
            page.keyboard.type(day.strftime("%d%m%Y"))  # type: ignore[attr-defined]
        else:
            raise AssertionError(f"unexpected control {kind}")
        _tab_to_save(page)
        _enter(page)
        answered += 1
        assert f"Saved your answer to question {answered}." in page.locator(".saved").text_content()  # type: ignore[attr-defined]
    else:
        raise AssertionError("the walk through the area did not end")
    # Every question shown in the area is answered, in the file itself.
    answers = served.answers()
    ids = [
        (section.get_attribute("id") or "")[2:]
        for section in page.locator("section.question").all()  # type: ignore[attr-defined]
    ]
    assert len(ids) == answered
    for qid in ids:
        assert answers[qid]["value"] is not None, qid
    dates = [a["value"] for qid, a in answers.items() if isinstance(a["value"], dt.date)]
    assert dates and all(d == day for d in dates)
    # Enter on the focused link goes on to the next area.
    _enter(page)
    assert page.url.endswith("/area/dsl")  # type: ignore[attr-defined]


def test_reload_resumes_where_it_was(page: object, served: Served) -> None:
    page.goto(served.url("/area/filtering"))  # type: ignore[attr-defined]
    for number in (1, 2):
        section = page.locator("section.question").nth(number - 1)  # type: ignore[attr-defined]
        section.get_by_label("Partly").check()
        section.get_by_role("button", name=f"Save answer {number}").click()
    before = page.url  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    assert page.url == before  # type: ignore[attr-defined]
    third = page.locator("section.question").nth(2)  # type: ignore[attr-defined]
    sync_api.expect(third.locator(":focus")).to_have_count(1)
    first = page.locator("section.question").nth(0)  # type: ignore[attr-defined]
    assert first.get_by_label("Partly").is_checked()
    assert "Answer saved: partly" in first.text_content()
    # The start page carries on from the first question still to answer.
    page.goto(served.url("/"))  # type: ignore[attr-defined]
    _follow(page, page.get_by_role("link", name="Carry on where you left off"))  # type: ignore[attr-defined]
    focused = _focused(page)
    sync_api.expect(focused).to_have_count(1)  # type: ignore[call-overload]
    section_id = focused.locator("xpath=ancestor::section[1]").get_attribute("id")  # type: ignore[attr-defined]
    qid = section_id[2:]
    assert served.answers().get(qid, {}).get("value") is None


def test_does_not_apply_with_a_reason_and_a_date(page: object, served: Served) -> None:
    page.goto(served.url("/area/parents"))  # type: ignore[attr-defined]
    section = page.locator("section.question").nth(1)  # type: ignore[attr-defined]
    qid = (section.get_attribute("id") or "")[2:]
    section.get_by_label("Does not apply to our setting").check()
    section.get_by_role("button", name="Save answer 2").click()
    summary = page.locator(".error-summary")  # type: ignore[attr-defined]
    assert "Say briefly why this does not apply" in summary.text_content()
    assert served.answers().get(qid) is None
    section = page.locator(f'[id="q-{qid}"]')  # type: ignore[attr-defined]
    section.get_by_label("If it does not apply: why not?").fill("We are a <small> setting")
    section.get_by_role("button", name="Save answer 2").click()
    answer = served.answers()[qid]
    assert answer["value"] == "n/a"
    assert answer["reason"] == "We are a <small> setting"
    assert "Answer saved: n/a (does not apply)" in page.locator(f'[id="q-{qid}"]').text_content()  # type: ignore[attr-defined]
    # A date question, with a due date for the action.
    page.goto(served.url("/area/training"))  # type: ignore[attr-defined]
    section = page.locator("section.question").nth(1)  # type: ignore[attr-defined]
    qid = (section.get_attribute("id") or "")[2:]
    last = dt.date.today() - dt.timedelta(days=500)
    due = dt.date.today() + dt.timedelta(days=60)
    section.get_by_label("Date it last happened").fill(last.isoformat())
    section.locator("summary", has_text="Evidence, notes").click()
    section.get_by_label("Who will act on it?").fill("DSL")
    section.get_by_label("Due by").fill(due.isoformat())
    section.get_by_role("button", name="Save answer 2").click()
    answer = served.answers()[qid]
    assert answer["value"] == last and answer["due"] == due and answer["owner"] == "DSL"


def test_report_page_and_downloads(page: object, served: Served) -> None:
    page.goto(served.url("/report"))  # type: ignore[attr-defined]
    assert page.locator("h1").first.text_content() == "Birchwood Primary"  # type: ignore[attr-defined]
    assert "Verdict" in page.locator("main").text_content()  # type: ignore[attr-defined]
    for kind, start in (("md", b"#"), ("csv", b""), ("json", b"{"), ("xlsx", b"PK")):
        with page.expect_download() as info:  # type: ignore[attr-defined]
            page.locator(f'a[href="/report/download/{kind}"]').click()  # type: ignore[attr-defined]
        download = info.value
        assert download.suggested_filename == f"audit-report.{kind}"
        data = Path(download.path()).read_bytes()
        assert data.startswith(start) and len(data) > 100
    _follow(page, page.get_by_role("link", name="Back to the review"))  # type: ignore[attr-defined]
    assert page.url.endswith("/review")  # type: ignore[attr-defined]


def _pages(served: Served) -> list[str]:
    areas = [area.id for area in load_checklist(CHECKLIST).areas]
    return ["/", "/setting", *[f"/area/{a}" for a in areas], "/review", "/report", "/area/none"]


def _page_kinds(served: Served) -> list[str]:
    """One page of each kind: every area page is the same template, so axe checks the first
    area (it has every kind of question) and the last (no next area), not all seventeen."""
    pages = _pages(served)
    areas = [p for p in pages if p.startswith("/area/") and p != "/area/none"]
    return [p for p in pages if p not in areas or p in (areas[0], areas[-1])]


def test_axe_finds_no_violations_on_any_page(scripted: object, served: Served) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = {}
    kinds = {q.kind for q in load_checklist(CHECKLIST).areas[0].questions}
    assert kinds == {"yes-partial-no", "level", "choice", "date", "number", "text"} & {
        q.kind for _, q in load_checklist(CHECKLIST).questions()
    }
    for path in _page_kinds(served):
        scripted.goto(served.url(path))  # type: ignore[attr-defined]
        results = axe.run(scripted)
        if results.violations_count:
            problems[path] = results.generate_report()
    # A page with a form error on it, and the start page with no file open.
    scripted.goto(served.url("/area/parents"))  # type: ignore[attr-defined]
    section = scripted.locator("section.question").nth(2)  # type: ignore[attr-defined]
    section.get_by_label("Does not apply to our setting").check()
    section.get_by_role("button", name="Save answer 3").click()
    assert scripted.locator(".error-summary").count() == 1  # type: ignore[attr-defined]
    results = axe.run(scripted)
    if results.violations_count:
        problems["form error"] = results.generate_report()
    _follow(scripted, scripted.get_by_role("link", name="Start").first)  # type: ignore[attr-defined]
    close = scripted.get_by_role("button", name="Close this file and choose another")  # type: ignore[attr-defined]
    _follow(scripted, close)
    try:
        assert "Start a new audit" in scripted.locator("main").text_content()  # type: ignore[attr-defined]
        results = axe.run(scripted)
        if results.violations_count:
            problems["start, no file open"] = results.generate_report()
    finally:
        served.workspace.open(served.file)
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_pages_fit_a_400_pixel_wide_screen(browser: object, served: Served) -> None:
    context = _context(browser, served, viewport={"width": 400, "height": 800})
    page = context.pages[0]  # type: ignore[attr-defined]
    try:
        for path in _pages(served):
            page.goto(served.url(path))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 400, f"{path} is {width} pixels wide"
    finally:
        context.close()  # type: ignore[attr-defined]
    _nothing_left_the_machine(served)


def test_a_report_with_long_review_dates_fits_a_400_pixel_wide_screen(
    browser: object, tmp_path: Path
) -> None:
    """The example's "Out of date since … (N days)" cells once made the report 449 px wide."""
    from safeaudit.audit import load_audit
    from safeaudit.report.formats import render

    example = Path(__file__).resolve().parents[1] / "examples" / "primary-kcsie-2026.yaml"
    result = load_audit(example, None).score()
    html = render("html", result)
    assert "Out of date since" in html
    report = tmp_path / "report.html"
    report.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 400, "height": 800})  # type: ignore[attr-defined]
    try:
        page.goto(report.as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"the report is {width} pixels wide"
    finally:
        page.close()
