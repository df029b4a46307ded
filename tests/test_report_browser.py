"""The HTML report in headless Chromium: it renders, prints to PDF and asks for nothing remote."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from safeaudit.audit import load_audit
from safeaudit.report.formats import render
from safeaudit.report.options import ReportOptions

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "secondary-ofsted-2016.yaml"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and shutil.which("chromium") is None,
        reason="headless Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = load_audit(EXAMPLE).score(as_of=dt.date(2025, 11, 2))
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render("html", result, ReportOptions()), encoding="utf-8")
    return path


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = str(CHROMIUM) if CHROMIUM.exists() else str(shutil.which("chromium"))
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_dump_dom_shows_verdict_and_headings(report: Path, tmp_path: Path) -> None:
    done = chromium(tmp_path, "--dump-dom", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "Met, with actions to complete" in dom
    for heading in (
        "Scores by area",
        "Statutory and critical gaps",
        "Action plan",
        "Reviews out of date",
        "Each area in detail",
        "Unanswered questions",
    ):
        assert re.search(rf"<h2[^>]*>{heading}</h2>", dom), heading
    assert "<script" not in dom.lower()


def test_screenshot(report: Path, tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    done = chromium(tmp_path, f"--screenshot={png}", "--window-size=1200,2400", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


def test_print_to_pdf(report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    done = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 2  # sections start on new pages


def test_no_remote_resources(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "default-src 'none'" in html
    # Nothing is loaded or linked from another host: every src/href is a local anchor.
    targets = re.findall(
        r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]*)""", html, re.IGNORECASE
    )
    assert targets and all(t.startswith("#") for t in targets), targets
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html, re.IGNORECASE)
    assert "@import" not in html
