"""`safeaudit run` in a real pseudo-terminal: typing, going back, quitting, resuming, crashes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

if sys.platform == "win32":  # pragma: no cover
    pytest.skip("pexpect needs a POSIX pseudo-terminal", allow_module_level=True)

import pexpect
import yaml

SMALL = str(Path(__file__).parent / "fixtures" / "run" / "small.yaml")
ENV = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "80", "LINES": "24"}
ANSWER = "Answer: "


def spawn(tmp_path: Path, *extra: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "safeaudit", "run", SMALL, "-o", "a.yaml", *extra],
        cwd=str(tmp_path),
        env=ENV,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=60,  # generous: the machine may be busy; a hang still fails
    )
    return child


def step(child: pexpect.spawn, line: str, then: str = ANSWER) -> str:
    child.sendline(line)
    child.expect_exact(then)
    return str(child.before)


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None
    return int(child.exitstatus)


def set_up(child: pexpect.spawn) -> None:
    child.expect_exact("Name of your school, college or setting: ")
    step(child, "Oak Lane Primary", "Type a number: ")
    step(child, "2", "Enter to skip): ")
    step(child, "123456")


def answers(tmp_path: Path) -> dict[str, dict[str, object]]:
    data = yaml.safe_load((tmp_path / "a.yaml").read_text(encoding="utf-8"))
    return dict(data["answers"])


def test_answer_back_skip_quit_and_resume(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    set_up(child)
    assert "Policy · 1/3 · 1 of 8 overall" in str(child.before)
    help_text = step(child, "?")
    assert "What an inspector would expect to see: The policy document." in help_text
    assert "A statutory source para 1" in help_text
    step(child, "y", "Enter to skip) ")  # evidence after a met answer, and no notes prompt
    shown = step(child, "The policy")
    assert "When was the policy last reviewed?" in shown
    assert "more than 12 months ago counts as out of date" in shown
    shown = step(child, "b")
    assert "Is there a written online safety policy?" in shown
    assert "Current answer: yes" in shown
    step(child, "note", "Notes: anything else to record? (Enter to skip) ")  # asked for
    shown = step(child, "Agreed by governors in September")  # then the question again
    assert "Note saved. Now the answer:" in shown
    assert "Is there a written online safety policy?" in shown
    step(child, "")  # Enter keeps it
    step(child, "s")  # skip the date
    step(child, "n", "Who will act on it? (Enter to skip) ")  # no evidence after "no"
    step(child, "Deputy head", "By when? DD/MM/YYYY (Enter to skip) ")
    step(child, "31/12/2099", "Notes: anything else to record? (Enter to skip) ")
    step(child, "Waiting for the new template")
    child.sendline("q")
    out = child.read()
    assert "This time: 2 answered, 1 skipped." in out
    assert "safeaudit report a.yaml --html report.html" in out
    assert finish(child) == 0
    saved = answers(tmp_path)
    assert saved["policy.written"]["value"] == "yes"
    assert saved["policy.written"]["evidence"] == "The policy"
    assert saved["policy.written"]["note"] == "Agreed by governors in September"
    assert saved["policy.school-only"]["owner"] == "Deputy head"
    assert saved["policy.school-only"]["note"] == "Waiting for the new template"
    assert "evidence" not in saved["policy.school-only"]
    assert "policy.reviewed" not in saved
    assert (tmp_path / "a.yaml").stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "a.yaml.lock").exists()

    # Resuming starts at the first question still unanswered.
    child = spawn(tmp_path)
    child.expect_exact(ANSWER)
    assert "Carrying on with Oak Lane Primary" in str(child.before)
    assert "When was the policy last reviewed?" in str(child.before)
    child.sendline("q")
    assert finish(child) == 0


def test_ctrl_c_saves_and_exits_130(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    set_up(child)
    step(child, "p", "Enter to skip) ")
    step(child, "Draft policy", "Who will act on it? (Enter to skip) ")
    child.sendintr()
    out = child.read()
    assert f"To carry on later, run:\r\n  safeaudit run {SMALL} -o a.yaml\r\n" in out
    assert "Traceback" not in out
    assert finish(child) == 130
    assert answers(tmp_path)["policy.written"] == {
        **answers(tmp_path)["policy.written"],
        "value": "partial",
        "evidence": "Draft policy",
    }
    assert not (tmp_path / "a.yaml.lock").exists()


def test_killed_run_loses_nothing_and_its_lock_is_recovered(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    set_up(child)
    step(child, "y", "Enter to skip) ")
    step(child, "")  # evidence
    step(child, "today", "Enter to skip) ")  # the prompt after the save
    child.kill(signal.SIGKILL)
    child.close(force=True)
    saved = answers(tmp_path)
    assert saved["policy.written"]["value"] == "yes"
    assert saved["policy.reviewed"]["value"] == dt.date.today()
    assert (tmp_path / "a.yaml.lock").exists()  # SIGKILL leaves it behind

    child = spawn(tmp_path)
    child.expect_exact(ANSWER)
    assert "the lock has been cleared" in str(child.before)
    assert "Do pupils sign an acceptable use agreement?" in str(child.before)
    child.sendline("q")
    assert finish(child) == 0


def test_a_second_run_on_the_same_file_is_refused(tmp_path: Path) -> None:
    first = spawn(tmp_path)
    set_up(first)
    second = spawn(tmp_path)
    out = second.read()
    assert "is being used by another safeaudit run" in out
    assert f"process {first.pid}" in out
    assert finish(second) == 2
    first.sendline("q")
    assert finish(first) == 0


def test_answers_for_another_version_are_refused(tmp_path: Path) -> None:
    original = (
        "checklist: {id: run-small, version: '0.9'}\n"
        "setting: {name: Oak, type: primary}\nanswers: {policy.written: 'yes'}\n"
    )
    (tmp_path / "a.yaml").write_text(original, encoding="utf-8")
    child = spawn(tmp_path)
    out = child.read()
    assert "version 0.9" in out and "version 1.0" in out
    assert finish(child) == 2
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == original
    assert not (tmp_path / "a.yaml.lock").exists()


def test_unknown_area_lists_the_areas(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "checklist: {id: run-small, version: '1.0'}\nsetting: {name: Oak, type: primary}\n",
        encoding="utf-8",
    )
    child = spawn(tmp_path, "--area", "nope")
    out = child.read()
    assert "the areas are: policy, filtering" in out
    assert finish(child) == 2


def test_review_and_area(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "checklist: {id: run-small, version: '1.0'}\nsetting: {name: Oak, type: primary}\n"
        "answers: {filtering.access: filtered}\n",
        encoding="utf-8",
    )
    child = spawn(tmp_path, "--review", "--area", "filtering")
    child.expect_exact(ANSWER)
    assert "Filtering · 1/5 · 1 of 5 overall" in str(child.before)
    assert "Current answer: Through a filtered network" in str(child.before)
    shown = step(child, "")
    assert "Is the filter checked each term?" in shown
    child.sendline("q")
    assert finish(child) == 0


def test_without_a_terminal_run_refuses_in_one_sentence(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "safeaudit", "run", SMALL, "-o", "a.yaml"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    assert result.returncode == 2
    assert "safeaudit template" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "a.yaml").exists()


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
@pytest.mark.parametrize("where", ["answer", "follow-up", "setting-up"])
def test_terminated_or_hung_up_exits_promptly_with_answers_and_lock_in_order(
    tmp_path: Path, sig: int, code: int, where: str
) -> None:
    """`kill` or a closed terminal window: saved, lock removed, exit 128 + signal, no hang."""
    child = spawn(tmp_path)
    if where == "setting-up":
        child.expect_exact("Name of your school, college or setting: ")
    else:
        set_up(child)
        step(child, "y", "Enter to skip) ")
        if where == "answer":
            step(child, "")  # evidence
    child.kill(sig)
    child.expect(pexpect.EOF, timeout=30)  # it used to print the message, then hang (for ever)
    out = str(child.before)
    child.close()
    assert child.exitstatus == code, out
    assert "Traceback" not in out
    assert not (tmp_path / "a.yaml.lock").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if where == "setting-up":
        assert "Stopped before any answers were given." in out
        assert not (tmp_path / "a.yaml").exists()
    else:
        assert "Stopped. Every answer you gave is saved." in out
        assert answers(tmp_path)["policy.written"]["value"] == "yes"


def test_a_signal_while_saving_is_acted_on_once_the_save_is_done(tmp_path: Path) -> None:
    """SIGTERM in the middle of a save: the save completes, then the run stops, and says so."""
    slow = tmp_path / "slow"
    slow.mkdir()
    # Make every save slow (a sitecustomize that delays fsync), so the signal lands inside one.
    (slow / "sitecustomize.py").write_text(
        "import os, time\n"
        "_fsync = os.fsync\n"
        "def fsync(fd):\n"
        "    open(os.path.join(os.getcwd(), 'saving'), 'w').close()\n"
        "    time.sleep(1.5)\n"
        "    _fsync(fd)\n"
        "os.fsync = fsync\n",
        encoding="utf-8",
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "safeaudit", "run", SMALL, "-o", "a.yaml"],
        cwd=str(tmp_path),
        env={**ENV, "PYTHONPATH": str(slow)},
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=30,
    )
    set_up(child)
    (tmp_path / "saving").unlink()
    child.sendline("n")  # answered: the save starts
    for _ in range(200):
        if (tmp_path / "saving").exists():
            break
        child.expect(pexpect.TIMEOUT, timeout=0.05)
    child.kill(signal.SIGTERM)
    child.expect(pexpect.EOF)
    out = str(child.before)
    child.close()
    assert child.exitstatus == 143, out
    assert "Stopped. Every answer you gave is saved." in out
    assert answers(tmp_path)["policy.written"]["value"] == "no"  # the answer being saved
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".lock"))]


def test_a_shipped_checklist_end_to_end_then_score(tmp_path: Path) -> None:
    """Answer every question of a shipped checklist through the terminal; score reads the file."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "safeaudit", "run", "ofsted-2016-online-safety", "-o", "a.yaml"],
        cwd=str(tmp_path),
        env=ENV,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=60,
    )
    child.expect_exact("Name of your school, college or setting: ")
    step(child, "Little Acorns Nursery", "Type a number: ")
    step(child, "1", "Enter to skip): ")  # early years
    child.sendline("")
    asked = 0
    while True:
        found = child.expect_exact([ANSWER, "Enter to skip) ", pexpect.EOF])
        if found == 2:
            break
        if found == 1:  # optional follow-ups: evidence, owner, due date
            child.sendline("")
            continue
        asked += 1
        question = str(child.before).rsplit("───", 1)[-1]
        if "Type y for yes" in question:
            child.sendline("y")
        elif "Type the date" in question:
            child.sendline("today")
        elif "Type a level" in question:
            child.sendline("5")
        elif "Type a number from" in question:
            child.sendline("1")
        else:
            child.sendline("10")
        assert asked < 200, "the questionnaire kept asking"
    child.close()
    assert child.exitstatus == 0
    assert asked >= 10
    result = subprocess.run(
        [sys.executable, "-m", "safeaudit", "score", "a.yaml", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert result.returncode in (0, 1), result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["setting"]["type"] == "early-years"
    assert data["counts"]["unanswered"] == 0
    assert data["counts"]["not-applicable"] > 0  # school-only questions left out


def test_run_without_a_checklist_offers_the_current_one(tmp_path: Path) -> None:
    local = tmp_path / "local"
    local.mkdir()
    text = Path(SMALL).read_text(encoding="utf-8")
    # Newer than every shipped checklist, so it is offered first.
    (local / "run-small.yaml").write_text(
        text.replace("effective: 2025-09-01", f"effective: {dt.date.today().isoformat()}"),
        encoding="utf-8",
    )

    def run_without_id() -> pexpect.spawn:
        return pexpect.spawn(
            sys.executable,
            ["-m", "safeaudit", "run", "-o", "a.yaml"],
            cwd=str(tmp_path),
            env={**ENV, "SAFEAUDIT_CHECKLIST_PATH": str(local)},
            dimensions=(24, 80),
            encoding="utf-8",
            timeout=60,
        )

    child = run_without_id()
    child.expect_exact("Name of your school, college or setting: ")
    step(child, "Oak Lane Primary", "Type a number: ")
    offered = step(child, "3", "Press Enter for the first, or type a number: ")  # primary
    assert "1  Small test checklist (run-small, version 1.0)" in offered
    step(child, "", "Enter to skip): ")
    step(child, "123456")
    child.sendline("q")
    out = child.read()
    assert "safeaudit run run-small -o a.yaml" in out
    assert finish(child) == 0
    saved = yaml.safe_load((tmp_path / "a.yaml").read_text(encoding="utf-8"))
    assert saved["checklist"]["id"] == "run-small"
    # Carrying on needs no checklist id either: the file names it.
    child = run_without_id()
    child.expect_exact(ANSWER)
    assert "Carrying on with Oak Lane Primary" in str(child.before)
    child.sendline("q")
    child.read()
    assert finish(child) == 0


def test_signoff_racing_a_run_never_loses_a_sign_off(tmp_path: Path) -> None:
    """`signoff` while `run` is saving answer after answer: every sign-off reported as made is
    in the file at the end (while the run holds the file, signoff is refused and says so)."""

    def signoff(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "safeaudit",
                "signoff",
                "a.yaml",
                "--name",
                name,
                "--role",
                "Chair",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**ENV, "SAFEAUDIT_CHECKLIST_PATH": str(folder)},
            timeout=60,
            check=False,
        )

    folder = tmp_path / "checklists"
    folder.mkdir()
    (folder / "run-small.yaml").write_bytes(Path(SMALL).read_bytes())  # found by its id
    made: list[str] = []
    child = spawn(tmp_path)
    set_up(child)
    for number, (line, then) in enumerate(
        [
            ("y", "Enter to skip) "),  # evidence after a met answer
            ("", ANSWER),
            ("today", "Enter to skip) "),
            ("", ANSWER),
        ]
    ):
        child.sendline(line)  # the run saves while the sign-off is attempted
        done = signoff(f"During {number}")
        child.expect_exact(then)
        if done.returncode == 0:
            made.append(f"During {number}")
        else:
            assert done.returncode == 2
            assert "is being used by another safeaudit run" in done.stderr
            assert "finish that run first" in done.stderr
    child.sendline("q")
    assert finish(child) == 0
    done = signoff("After the run")
    assert done.returncode == 0, done.stderr
    made.append("After the run")

    # Carrying on afterwards keeps the sign-off (and the report then shows what changed).
    child = spawn(tmp_path)
    child.expect_exact(ANSWER)
    step(child, "n", "Enter to skip) ")
    child.sendline("q")
    assert finish(child) == 0
    data = yaml.safe_load((tmp_path / "a.yaml").read_text(encoding="utf-8"))
    assert [s["name"] for s in data["signoffs"]] == made
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".lock"))]


def test_closing_the_terminal_window_saves_removes_the_lock_and_exits_129(tmp_path: Path) -> None:
    """The terminal itself goes away (nothing can be printed any more): still no hang."""
    child = spawn(tmp_path)
    set_up(child)
    step(child, "y", "Enter to skip) ")
    os.close(child.child_fd)  # what closing the window does: the terminal hangs up
    for _ in range(200):  # up to 10 seconds; it takes a fraction of one
        pid, status = os.waitpid(child.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.05)
    else:
        child.kill(signal.SIGKILL)
        pytest.fail("run did not exit after its terminal was closed")
    assert os.waitstatus_to_exitcode(status) == 129
    assert answers(tmp_path)["policy.written"]["value"] == "yes"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".lock"))]
