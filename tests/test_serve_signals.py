"""`safeaudit serve` stopped by SIGTERM says where the answers are, releases the lock, exits 143."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")


def test_sigterm_says_every_answer_is_saved_and_exits_143(tmp_path: Path) -> None:
    answers = tmp_path / "school.yaml"
    shutil.copy(ROOT / "examples" / "primary-kcsie-2026.yaml", answers)
    before = answers.read_bytes()
    server = subprocess.Popen(
        [sys.executable, "-m", "safeaudit", "serve", str(answers), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        ready = server.stdout.readline()  # blocks until the server is listening
        assert "safeaudit is ready at http://127.0.0.1:" in ready
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 128 + signal.SIGTERM
    assert f"Stopped. Every answer is saved in {answers}." in stderr
    assert "Traceback" not in stderr
    assert answers.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["school.yaml"]  # no lock left behind
