"""`safeaudit serve` without a browser: privacy checks, saving answers, the lock, the report."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import yaml
from starlette.testclient import TestClient

from safeaudit.audit import load_audit
from safeaudit.errors import LockHeld
from safeaudit.lock import AnswerLock
from safeaudit.report.formats import render
from safeaudit.report.options import ReportOptions
from safeaudit.serve.app import create_app
from safeaudit.serve.guard import Keys
from safeaudit.serve.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "primary-kcsie-2025.yaml"
HOST = "127.0.0.1:8765"
SAFEAUDIT = Path(sys.executable).with_name("safeaudit")

# The suite forbids network connections (conftest.py); these tests talk to the server on
# 127.0.0.1 only, so they put back a connect that allows loopback addresses and nothing else.
_CONNECT = socket.socket.connect
_CREATE = socket.create_connection


def _loopback_only(address: object) -> None:
    host = address[0] if isinstance(address, tuple) else address
    assert isinstance(host, str) and host.startswith("127."), f"connection to {host} refused"


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    def connect(self: socket.socket, address: object) -> None:
        _loopback_only(address)
        _CONNECT(self, address)  # type: ignore[arg-type]

    def create(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        _loopback_only(address)
        return _CREATE(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / "school.yaml")
    return tmp_path


@pytest.fixture
def workspace(folder: Path) -> Iterator[Workspace]:
    ws = Workspace(folder)
    yield ws
    ws.close()


@pytest.fixture
def keys() -> Keys:
    return Keys(HOST)


def client(workspace: Workspace, keys: Keys, *, login: bool = True) -> TestClient:
    app = create_app(workspace, keys)
    c = TestClient(app, base_url=f"http://{HOST}", follow_redirects=False)
    if login:
        assert c.get(f"/?token={keys.token}").status_code == 303
    return c


@pytest.fixture
def web(workspace: Workspace, keys: Keys, folder: Path) -> TestClient:
    c = client(workspace, keys)
    opened = c.post("/open", data={"csrf": keys.csrf, "file": "school.yaml"})
    assert opened.status_code == 303, opened.text
    return c


def saved(folder: Path) -> dict[str, object]:
    data = yaml.safe_load((folder / "school.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --------------------------------------------------------------------------- privacy


def test_token_is_exchanged_for_a_cookie_and_dropped_from_the_address(
    workspace: Workspace, keys: Keys
) -> None:
    c = client(workspace, keys, login=False)
    first = c.get(f"/review?token={keys.token}")
    assert first.status_code == 303
    assert first.headers["location"] == "/review"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert cookie.startswith("safeaudit_8765=")  # one per port: two sessions side by side
    assert keys.token not in cookie
    assert c.get("/").status_code == 200


def test_no_token_is_refused_with_a_clear_message(workspace: Workspace, keys: Keys) -> None:
    c = client(workspace, keys, login=False)
    for path in ("/", "/review", "/report", "/static/serve.css", "/?token=wrong"):
        response = c.get(path)
        assert response.status_code == 403
        assert "needs the key in the address" in response.text
    refused = c.post("/open", data={"csrf": keys.csrf, "file": "school.yaml"})
    assert refused.status_code == 403
    assert workspace.audit is None


def test_wrong_host_is_refused_even_with_the_cookie(workspace: Workspace, keys: Keys) -> None:
    c = client(workspace, keys)
    for host in ("localhost:8765", "evil.example:8765", "127.0.0.1:9999", "127.0.0.1"):
        response = c.get("/", headers={"host": host})
        assert response.status_code == 400
        assert "asked for under another address" in response.text


def test_post_without_csrf_token_is_refused_and_saves_nothing(
    web: TestClient, folder: Path, keys: Keys
) -> None:
    before = (folder / "school.yaml").read_bytes()
    url = "/area/leadership/leadership.governor-lead"
    for data in ({"value": "yes"}, {"value": "yes", "csrf": "not-the-token"}):
        response = web.post(url, data=data)
        assert response.status_code == 403
        assert "nothing was saved" in response.text
    assert (folder / "school.yaml").read_bytes() == before


def test_post_from_another_origin_is_refused(web: TestClient, keys: Keys) -> None:
    response = web.post(
        "/area/leadership/leadership.governor-lead",
        data={"value": "yes", "csrf": keys.csrf},
        headers={"origin": "http://evil.example"},
    )
    assert response.status_code == 403
    assert "sent from another web page" in response.text


def test_every_response_forbids_framing_caching_and_other_sites(web: TestClient) -> None:
    for path in ("/", "/setting", "/area/leadership", "/review", "/report", "/static/serve.css"):
        response = web.get(path)
        assert response.status_code == 200, path
        headers = response.headers
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "http" not in csp  # nothing from elsewhere, not even one named site
    web.cookies.clear()
    anonymous = web.get("/")
    assert anonymous.status_code == 403
    assert anonymous.headers["x-frame-options"] == "DENY"


def test_answer_text_is_always_escaped(web: TestClient, keys: Keys, folder: Path) -> None:
    nasty = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = web.post(
        "/area/leadership/leadership.governor-lead",
        data={"csrf": keys.csrf, "value": "partial", "evidence": nasty, "owner": nasty},
    )
    assert response.status_code == 303
    for path in ("/area/leadership", "/review", "/report"):
        page = web.get(path).text
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    assert "&lt;script&gt;" in web.get("/area/leadership").text


def test_websockets_and_other_methods_are_refused(web: TestClient) -> None:
    assert web.request("PUT", "/").status_code == 405
    assert web.request("DELETE", "/").status_code == 405


# --------------------------------------------------------------------------- answering


def test_answer_is_in_the_file_at_once_private_and_score_agrees(
    web: TestClient, keys: Keys, folder: Path
) -> None:
    response = web.post(
        "/area/leadership/leadership.governor-lead",
        data={
            "csrf": keys.csrf,
            "value": "yes",
            "evidence": "Minutes of the governing body, March",
            "owner": "Chair of governors",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/area/leadership?saved=")
    answers = saved(folder)["answers"]
    assert isinstance(answers, dict)
    assert answers["leadership.governor-lead"]["value"] == "yes"
    assert answers["leadership.governor-lead"]["owner"] == "Chair of governors"
    assert (folder / "school.yaml").stat().st_mode & 0o777 == 0o600
    # The page and `safeaudit score` give the same score and verdict.
    page = web.get(response.headers["location"]).text
    assert "Saved your answer to question" in page
    done = subprocess.run(
        [str(SAFEAUDIT), "score", str(folder / "school.yaml"), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)
    assert f"Score so far <strong>{result['percent']:.1f}%</strong>" in page
    assert f'<span class="verdict v-{result["verdict"]}">{result["verdict_label"]}</span>' in page


def test_does_not_apply_needs_a_reason(web: TestClient, keys: Keys, folder: Path) -> None:
    url = "/area/leadership/leadership.risk-assessment"
    refused = web.post(url, data={"csrf": keys.csrf, "na": "1"})
    assert refused.status_code == 400
    assert "Say briefly why this does not apply" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert saved(folder)["answers"]["leadership.risk-assessment"].get("value") is None  # type: ignore[index]
    ok = web.post(url, data={"csrf": keys.csrf, "na": "1", "reason": "We have no internet"})
    assert ok.status_code == 303
    answer = saved(folder)["answers"]["leadership.risk-assessment"]  # type: ignore[index]
    assert answer["value"] == "n/a"
    assert answer["reason"] == "We have no internet"


def test_statutory_questions_cannot_be_marked_not_applying(
    web: TestClient, keys: Keys, folder: Path
) -> None:
    page = web.get("/area/leadership").text
    block = page.split('id="q-leadership.cp-policy-online"')[1].split("</section>")[0]
    assert 'value="n/a"' not in block
    refused = web.post(
        "/area/leadership/leadership.cp-policy-online",
        data={"csrf": keys.csrf, "value": "n/a", "reason": "no"},
    )
    assert refused.status_code == 400
    assert "statutory requirement" in refused.text


def test_a_date_and_a_due_date(web: TestClient, keys: Keys, folder: Path) -> None:
    today = dt.date.today()
    last = today - dt.timedelta(days=20)
    due = today + dt.timedelta(days=30)
    response = web.post(
        "/area/leadership/leadership.risk-assessment",
        data={"csrf": keys.csrf, "value": last.isoformat(), "due": due.isoformat()},
    )
    assert response.status_code == 303
    answer = saved(folder)["answers"]["leadership.risk-assessment"]  # type: ignore[index]
    assert answer["value"] == last
    assert answer["due"] == due
    future = web.post(
        "/area/leadership/leadership.risk-assessment",
        data={"csrf": keys.csrf, "value": (today + dt.timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 400
    assert "in the future" in future.text
    never = web.post(
        "/area/leadership/leadership.risk-assessment",
        data={"csrf": keys.csrf, "never": "1"},
    )
    assert never.status_code == 303
    assert saved(folder)["answers"]["leadership.risk-assessment"]["value"] == "never"  # type: ignore[index]


def test_an_overdue_due_date_can_be_kept(web: TestClient, keys: Keys, folder: Path) -> None:
    text = (folder / "school.yaml").read_text(encoding="utf-8")
    (folder / "school.yaml").write_text(
        text.replace("    due: 2025-12-11", "    due: 2020-01-10"), encoding="utf-8"
    )
    page = web.get("/area/leadership").text  # re-read: the file changed on disk
    assert 'value="2020-01-10"' in page
    kept = web.post(
        "/area/leadership/leadership.cp-policy-online",
        data={"csrf": keys.csrf, "value": "partial", "due": "2020-01-10"},
    )
    assert kept.status_code == 303
    new = web.post(
        "/area/leadership/leadership.cp-policy-online",
        data={"csrf": keys.csrf, "value": "partial", "due": "2020-01-11"},
    )
    assert new.status_code == 400
    assert "today or later" in new.text


def test_next_question_and_resume(web: TestClient, keys: Keys) -> None:
    start = web.get("/").text
    carry_on = re.search(r'href="(/area/[^"]+)">Carry on', start)
    assert carry_on is not None
    page = web.get(carry_on.group(1).replace("&amp;", "&")).text
    assert page.count(" autofocus") == 1


def test_new_audit_from_the_start_page(
    workspace: Workspace, keys: Keys, folder: Path, tmp_path: Path
) -> None:
    c = client(workspace, keys)
    start = c.get("/").text
    assert "Start a new audit" in start
    assert "Open school.yaml" in start
    form = {
        "csrf": keys.csrf,
        "name": "Oak & <Ash> Primary",
        "type": "primary",
        "urn": "",
        "checklist": "kcsie-2026-online-safety",
        "file": "oak.yaml",
    }
    bad = c.post("/new", data={**form, "file": "../escape.yaml"})
    assert bad.status_code == 400
    assert "cannot be used as a file name" in bad.text
    assert not (tmp_path.parent / "escape.yaml").exists()
    made = c.post("/new", data=form)
    assert made.status_code == 303
    path = folder / "oak.yaml"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (
        yaml.safe_load(path.read_text(encoding="utf-8"))["setting"]["name"] == "Oak & <Ash> Primary"
    )
    setting = c.get("/setting?created=1").text
    assert "Oak &amp; &lt;Ash&gt; Primary" in setting
    again = c.post("/close", data={"csrf": keys.csrf})
    assert again.status_code == 303
    exists = c.post("/new", data=form)
    assert exists.status_code == 400
    assert "already exists" in exists.text


def test_setting_details_are_saved(web: TestClient, keys: Keys, folder: Path) -> None:
    response = web.post(
        "/setting",
        data={
            "csrf": keys.csrf,
            "name": "Fernhollow Primary",
            "type": "primary",
            "urn": "123456",
            "provision": "early-years",
            "completed_by": "A. Lead (DSL)",
            "audit_date": "2026-11-20",
        },
    )
    assert response.status_code == 303
    data = saved(folder)
    assert data["setting"] == {
        "name": "Fernhollow Primary",
        "type": "primary",
        "urn": "123456",
        "provision": ["early-years"],
    }
    assert data["completed_by"] == "A. Lead (DSL)"
    bad = web.post(
        "/setting", data={"csrf": keys.csrf, "name": "X", "type": "primary", "urn": "12"}
    )
    assert bad.status_code == 400
    assert "6-digit" in bad.text


# --------------------------------------------------------------------------- review and report


def test_review_links_back_to_each_question(web: TestClient) -> None:
    page = web.get("/review").text
    assert "Still to answer" in page and "Partly met" in page
    assert 'href="/area/leadership?at=leadership.cp-policy-online"' in page


def test_report_page_is_the_html_report_plus_downloads(web: TestClient, folder: Path) -> None:
    from safeaudit import __version__

    page = web.get("/report").text
    audit = load_audit(folder / "school.yaml")
    expected = render("html", audit.score(), ReportOptions(generator=f"safeaudit {__version__}"))
    bar = re.search(r'<nav class="serve-bar".*?</nav>\n', page, re.S)
    assert bar is not None
    assert page.replace(bar.group(0), "") == expected
    for kind in ("md", "csv", "json", "xlsx"):
        assert f'href="/report/download/{kind}"' in bar.group(0)
        response = web.get(f"/report/download/{kind}")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
    assert web.get("/report/download/md").text == render(
        "md", audit.score(), ReportOptions(generator=f"safeaudit {__version__}")
    )
    assert web.get("/report/download/xlsx").content[:2] == b"PK"


# --------------------------------------------------------------------------- one writer


def test_a_held_lock_is_refused_with_a_clear_message(
    workspace: Workspace, keys: Keys, folder: Path
) -> None:
    with AnswerLock(folder / "school.yaml"):
        c = client(workspace, keys)
        response = c.post("/open", data={"csrf": keys.csrf, "file": "school.yaml"})
        assert response.status_code == 409
        assert "is being used by another safeaudit run" in response.text
        assert workspace.audit is None


def test_serve_holds_the_lock_so_a_second_writer_is_refused(web: TestClient, folder: Path) -> None:
    with pytest.raises(
        LockHeld, match=r"is being used by another safeaudit command \(`safeaudit serve`"
    ):
        AnswerLock(folder / "school.yaml").acquire()


@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX terminal")
def test_run_on_the_same_file_is_refused_while_serving(web: TestClient, folder: Path) -> None:
    import pexpect

    before = (folder / "school.yaml").read_bytes()
    child = pexpect.spawn(
        str(SAFEAUDIT),
        ["run", "kcsie-2025-online-safety", "-o", str(folder / "school.yaml")],
        encoding="utf-8",
        timeout=30,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "is being used by another safeaudit command (`safeaudit serve`" in (child.before or "")
    assert (folder / "school.yaml").read_bytes() == before


def test_serve_on_a_locked_file_stops_with_a_clear_message(folder: Path) -> None:
    with AnswerLock(folder / "school.yaml"):
        done = subprocess.run(
            [str(SAFEAUDIT), "serve", str(folder / "school.yaml"), "--no-browser"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert "is being used by another safeaudit run" in done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- the real server


def test_bound_to_loopback_only(workspace: Workspace, loopback: None) -> None:
    from safeaudit.serve.server import bind, make_server

    sock = bind()
    host, port = sock.getsockname()[:2]
    assert host == "127.0.0.1"
    server, keys = make_server(workspace, sock)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        page = httpx.get(keys.address, follow_redirects=True, timeout=10)
        assert page.status_code == 200
        assert "Safeguarding self-audit" in page.text
        # Another loopback address on the same port is not listening.
        with pytest.raises(OSError), socket.create_connection(("127.0.0.2", port), timeout=2):
            pass
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_command_prints_only_the_address_and_stops_on_ctrl_c(folder: Path, loopback: None) -> None:
    target = folder / "school.yaml"
    process = subprocess.Popen(
        [str(SAFEAUDIT), "serve", str(target), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=[\w-]+", line)
        assert match is not None, line
        with httpx.Client(base_url=match.group(1), timeout=10) as web:
            assert web.get(match.group(0)).status_code == 303
            page = web.get("/area/leadership")
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert csrf is not None
            answer = web.post(
                "/area/leadership/leadership.governor-lead",
                data={"csrf": csrf.group(1), "value": "yes", "note": "secret note"},
            )
            assert answer.status_code == 303
        assert "leadership.governor-lead:\n    value: 'yes'" in target.read_text(encoding="utf-8")
        assert (folder / "school.yaml.lock").exists()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out == ""
    assert "secret note" not in err and "GET" not in err and "POST" not in err
    assert "Stopped. Every answer is saved" in err
    assert not (folder / "school.yaml.lock").exists()


def test_help_does_not_load_the_web_framework() -> None:
    code = (
        "import sys; from safeaudit.cli import load_app; load_app(); "
        "print(sorted(m for m in ('starlette', 'uvicorn', 'multipart', 'jinja2') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_pages_carry_no_script() -> None:
    templates = ROOT / "src" / "safeaudit" / "serve" / "templates"
    for template in templates.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script|\son\w+=|javascript:", text, re.I), template


def test_current_checklists_come_first_and_replaced_ones_are_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: Keys
) -> None:
    local = tmp_path / "local"
    local.mkdir()
    text = (ROOT / "checklists" / "kcsie-2025-online-safety.yaml").read_text(encoding="utf-8")
    text = text.replace("id: kcsie-2025-online-safety\n", "id: old-school-checklist\n", 1)
    # The shipped file may already say what replaces it; this copy says so once, itself.
    text = "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith("superseded_")
    )
    text = text.replace(
        'version: "2025.1"\n',
        'version: "2025.1"\nsuperseded_by: kcsie-2026-online-safety\nsuperseded_from: 2025-09-01\n',
        1,
    )
    (local / "old-school-checklist.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(local))
    workspace = Workspace(tmp_path, today=lambda: dt.date(2026, 11, 1))
    choices = workspace.checklist_choices()
    ids = [c.checklist.id for c in choices]
    assert ids.index("kcsie-2026-online-safety") < ids.index("old-school-checklist")
    assert choices[0].current and not choices[0].superseded
    page = client(workspace, keys).get("/").text
    first = re.search(r'name="checklist" value="([^"]+)" checked', page)
    assert first is not None and first.group(1) == ids[0]
    assert "replaced by kcsie-2026-online-safety" in page


def test_a_newly_met_answer_drops_its_owner_and_due_date(
    web: TestClient, keys: Keys, folder: Path
) -> None:
    """As in `run`: once met, the action it carried is done (issue 13's coherent answers)."""
    qid = "leadership.cp-policy-online"
    before = saved(folder)["answers"][qid]  # type: ignore[index]
    assert before["value"] == "partial" and before["owner"] and before["due"]
    met = web.post(
        f"/area/leadership/{qid}",
        data={
            "csrf": keys.csrf,
            "value": "yes",
            "owner": before["owner"],
            "due": before["due"].isoformat(),
        },
    )
    assert met.status_code == 303
    after = saved(folder)["answers"][qid]  # type: ignore[index]
    assert after["value"] == "yes"
    assert not after.get("owner") and not after.get("due")
