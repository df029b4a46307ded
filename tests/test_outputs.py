"""Writing files: never over a device, pipe or folder; through links; locked; signal-safe."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from safeaudit.errors import LockHeld, WriteError
from safeaudit.lock import AnswerLock, LockInfo, lock_path
from safeaudit.output import real_target, signals_held, write_file, write_output

GOOD = Path(__file__).resolve().parent / "bad_inputs" / "good"
POSIX = pytest.mark.skipif(os.name != "posix", reason="named pipes and devices are POSIX")


@pytest.fixture(autouse=True)
def _checklists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(GOOD))


def answers_copy(folder: Path, name: str = "answers.yaml") -> Path:
    target = folder / name
    shutil.copy(GOOD / "answers.yaml", target)
    return target


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".lock")))


def fifo(folder: Path, name: str = "pipe.yaml") -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


def stand_in_device(folder: Path) -> Path:
    """A character device like /dev/null, made where it can do no harm (needs root)."""
    if os.geteuid() != 0:
        pytest.skip("making a device needs root")
    path = folder / "null"
    os.mknod(path, 0o666 | stat.S_IFCHR, os.stat("/dev/null").st_rdev)
    return path


# --------------------------------------------------------------------------- the helper


def test_a_new_file_and_an_ordinary_file_are_written_privately(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    write_file(target, "one")
    write_file(target, b"two")
    assert target.read_text(encoding="utf-8") == "two"
    assert target.stat().st_mode & 0o777 == 0o600
    assert leftovers(tmp_path) == []


@POSIX
def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = fifo(tmp_path)
    with pytest.raises(WriteError, match="is a named pipe, not an ordinary file"):
        write_file(pipe, "x")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert leftovers(tmp_path) == []


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="is a folder"):
        write_file(tmp_path, "x")


@POSIX
def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert write_file(link, "new") == real
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


@POSIX
def test_a_link_to_nothing_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere" / "x.txt")
    with pytest.raises(WriteError, match="which does not exist"):
        write_file(link, "x")
    assert link.is_symlink()


@POSIX
def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "out.html"
    link.symlink_to("/dev/null")
    with pytest.raises(WriteError, match="is a device"):
        real_target(link)


def test_dash_is_standard_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    os.chdir(tmp_path)
    write_output("-", "to the screen\n")
    assert capsys.readouterr().out == "to the screen\n"
    assert not (tmp_path / "-").exists()


@POSIX
def test_signals_are_held_while_a_file_is_replaced_then_delivered() -> None:
    got: list[int] = []
    old = signal.signal(signal.SIGTERM, lambda signum, frame: got.append(signum))
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.01)
            assert got == []  # held while the file is being replaced
        assert got == [signal.SIGTERM]  # then delivered to the handler that was there
    finally:
        signal.signal(signal.SIGTERM, old)


# --------------------------------------------------------------------------- every command


Command = Callable[[Path, Path], list[object]]

#: Every command that writes a file, with T the target and F a scratch folder.
WRITERS: dict[str, Command] = {
    "report --html": lambda t, f: ["report", answers_copy(f), "--html", t],
    "report --md": lambda t, f: ["report", answers_copy(f), "--md", t],
    "report --json": lambda t, f: ["report", answers_copy(f), "--json", t],
    "report --csv": lambda t, f: ["report", answers_copy(f), "--csv", t],
    "report --xlsx": lambda t, f: ["report", answers_copy(f), "--xlsx", t],
    "rollup --html": lambda t, f: ["rollup", answers_copy(f), "--html", t],
    "rollup --csv": lambda t, f: ["rollup", answers_copy(f), "--csv", t],
    "rollup --xlsx": lambda t, f: ["rollup", answers_copy(f), "--xlsx", t],
    "merge -o": lambda t, f: [
        "merge",
        answers_copy(f, "a.yaml"),
        answers_copy(f, "b.yaml"),
        "-o",
        t,
        "--force",
    ],
    "migrate -o": lambda t, f: [
        "migrate",
        answers_copy(f),
        "--to",
        GOOD / "run-small.yaml",
        "-o",
        t,
        "--force",
    ],
    "template -o": lambda t, f: [
        "template",
        "run-small",
        "--setting",
        "primary",
        "-o",
        t,
        "--force",
    ],
}


@POSIX
@pytest.mark.parametrize("command", list(WRITERS))
def test_no_command_writes_to_a_named_pipe(command: str, cli: Any, tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    pipe = fifo(tmp_path, "out")
    result = cli(*WRITERS[command](pipe, scratch))
    assert result.code == 2, result.err
    assert f"{pipe}: is a named pipe, not an ordinary file" in result.err
    assert "Traceback" not in result.err
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert leftovers(tmp_path) == [] and leftovers(scratch) == []


@POSIX
@pytest.mark.parametrize("command", list(WRITERS))
def test_no_command_replaces_a_device(command: str, cli: Any, tmp_path: Path) -> None:
    device = stand_in_device(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    result = cli(*WRITERS[command](device, scratch))
    assert result.code == 2, result.err
    assert f"{device}: is a device, not an ordinary file" in result.err
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert leftovers(tmp_path) == []


@POSIX
def test_report_html_dev_null_as_root_leaves_dev_null_alone(cli: Any, tmp_path: Path) -> None:
    device = stand_in_device(tmp_path)  # as root only; the stand-in first, so nothing is risked
    assert cli("report", answers_copy(tmp_path), "--html", device).code == 2
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    before = os.stat("/dev/null")
    result = cli("report", answers_copy(tmp_path), "--html", "/dev/null")
    assert result.code == 2
    assert "/dev/null: is a device, not an ordinary file" in result.err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino
    assert not [p for p in Path("/dev").glob(".null.*.tmp")]


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{answers}", "--csv", "-"],
        ["rollup", "{answers}", "--csv", "-"],
        ["template", "run-small", "--setting", "primary", "-o", "-"],
    ],
)
def test_dash_writes_to_standard_output(
    args: list[str], cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    answers = answers_copy(tmp_path)
    result = cli(*[a.replace("{answers}", str(answers)) for a in args])
    assert result.code == 0, result.err
    assert result.out.strip()
    assert not (tmp_path / "-").exists()


def test_rollup_workbook_cannot_go_to_standard_output(cli: Any, tmp_path: Path) -> None:
    result = cli("rollup", answers_copy(tmp_path), "--xlsx", "-")
    assert result.code == 2 and "needs a file name" in result.err


def test_report_never_overwrites_the_answer_file(cli: Any, tmp_path: Path) -> None:
    answers = answers_copy(tmp_path)
    before = answers.read_bytes()
    result = cli("report", answers, "--html", answers)
    assert result.code == 2 and "is an answer file being read" in result.err
    assert answers.read_bytes() == before


# --------------------------------------------------------------------------- answer files


def test_merge_never_overwrites_one_of_its_inputs(cli: Any, tmp_path: Path) -> None:
    first, second = answers_copy(tmp_path, "a.yaml"), answers_copy(tmp_path, "b.yaml")
    before = first.read_bytes()
    result = cli("merge", first, second, "-o", first, "--force")
    assert result.code == 2
    assert "is one of the files being merged" in result.err
    assert first.read_bytes() == before


@POSIX
@pytest.mark.parametrize("how", ["symlink", "hardlink"])
def test_merge_sees_an_input_under_another_name(how: str, cli: Any, tmp_path: Path) -> None:
    first, second = answers_copy(tmp_path, "a.yaml"), answers_copy(tmp_path, "b.yaml")
    other = tmp_path / "other.yaml"
    if how == "symlink":
        other.symlink_to(first)
    else:
        os.link(first, other)
    before = first.read_bytes()
    result = cli("merge", first, second, "-o", other, "--force")
    assert result.code == 2 and "is one of the files being merged" in result.err
    assert first.read_bytes() == before


@POSIX
def test_signoff_through_a_link_signs_the_real_file(cli: Any, tmp_path: Path) -> None:
    real = answers_copy(tmp_path, "real.yaml")
    link = tmp_path / "answers.yaml"
    link.symlink_to(real)
    result = cli("signoff", link, "--name", "A. Patel", "--role", "Chair of governors")
    assert result.code == 0, result.err
    assert link.is_symlink()
    data = yaml.safe_load(real.read_text(encoding="utf-8"))
    assert data["signoffs"][0]["name"] == "A. Patel"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "command",
    [
        lambda a, f: ["signoff", a, "--name", "A. Patel", "--role", "Chair"],
        lambda a, f: [
            "merge",
            answers_copy(f, "x.yaml"),
            answers_copy(f, "y.yaml"),
            "-o",
            a,
            "--force",
        ],
        lambda a, f: [
            "migrate",
            answers_copy(f, "x.yaml"),
            "--to",
            "run-small",
            "-o",
            a,
            "--force",
        ],
        lambda a, f: ["template", "run-small", "--setting", "primary", "-o", a, "--force"],
    ],
    ids=["signoff", "merge", "migrate", "template"],
)
def test_every_answer_file_writer_respects_a_runs_lock(
    command: Callable[[Path, Path], list[object]], cli: Any, tmp_path: Path
) -> None:
    answers = answers_copy(tmp_path)
    before = answers.read_bytes()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    # A run in progress on this computer (this test's own process, so it is running).
    with AnswerLock(answers):
        result = cli(*command(answers, scratch))
        assert result.code == 2, result.err
        assert "is being used by another safeaudit run" in result.err
        assert answers.read_bytes() == before
    assert not lock_path(answers).exists()


def test_short_writers_wait_for_each_other(tmp_path: Path) -> None:
    answers = answers_copy(tmp_path)
    holder = AnswerLock(answers, command="signoff")
    holder.acquire()
    waiting = AnswerLock(answers, command="merge", wait=0.3)
    with pytest.raises(LockHeld, match=r"`safeaudit signoff`"):
        waiting.acquire()  # still held after 0.3 s
    holder.release()
    with AnswerLock(answers, command="merge", wait=0.3):
        info = LockInfo.parse(lock_path(answers).read_text(encoding="utf-8"))
        assert info is not None and info.command == "merge"


@POSIX
def test_a_link_and_its_file_share_one_lock(tmp_path: Path) -> None:
    real = answers_copy(tmp_path, "real.yaml")
    link = tmp_path / "answers.yaml"
    link.symlink_to(real)
    with AnswerLock(real), pytest.raises(LockHeld):
        AnswerLock(link).acquire()


def test_a_command_name_from_a_lock_file_is_only_letters() -> None:
    info = LockInfo.parse("pid: 1\nhost: h\nsince: 2026-01-01T00:00:00\ncommand: \x1b]0;x\x07run\n")
    assert info is not None and info.command == "xrun"


# --------------------------------------------------------------------------- inputs


@POSIX
@pytest.mark.parametrize(
    "args",
    [
        ["score", "{pipe}"],
        ["report", "{pipe}", "--json", "-"],
        ["lint", "{pipe}"],
        ["show", "{pipe}"],
        ["signoff", "{pipe}", "--name", "A", "--role", "B"],
        ["migrate", "{pipe}", "--to", "run-small", "-o", "{folder}/m.yaml"],
    ],
)
def test_a_named_pipe_given_as_input_is_refused_not_waited_on(
    args: list[str], tmp_path: Path
) -> None:
    pipe = fifo(tmp_path)
    env = {**os.environ, "SAFEAUDIT_CHECKLIST_PATH": str(GOOD)}
    argv = [a.replace("{pipe}", str(pipe)).replace("{folder}", str(tmp_path)) for a in args]
    # Nobody ever writes to the pipe: a command that opened it to read would wait for ever.
    done = subprocess.run(
        [sys.executable, "-m", "safeaudit", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "is a named pipe, not an ordinary file" in done.stdout + done.stderr
    assert leftovers(tmp_path) == []


@POSIX
def test_a_named_pipe_on_the_checklist_path_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "checklists"
    folder.mkdir()
    shutil.copy(GOOD / "run-small.yaml", folder / "run-small.yaml")
    fifo(folder, "piped.yaml")
    env = {**os.environ, "SAFEAUDIT_CHECKLIST_PATH": str(folder)}
    listed = subprocess.run(
        [sys.executable, "-m", "safeaudit", "checklists"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0
    assert "run-small" in listed.stdout and "piped" not in listed.stdout
    assert f"skipped {folder / 'piped.yaml'}: not an ordinary file" in listed.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "safeaudit", "show", "piped"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert shown.returncode == 2 and "no checklist with that id" in shown.stderr


@pytest.mark.parametrize("checklist_id", ["../good/run-small.yaml", str(GOOD / "run-small.yaml")])
def test_the_checklist_id_in_an_answer_file_is_never_a_path(
    checklist_id: str, cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(GOOD)
    answers = answers_copy(tmp_path)
    text = answers.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["checklist"]["id"] = checklist_id
    answers.write_text(yaml.safe_dump(data), encoding="utf-8")
    for args in (["score", answers], ["report", answers, "--json", "-"]):
        result = cli(*args)
        assert result.code == 2, result.err
        assert "SA122" in result.err and "which is not installed" in result.err
    rolled = cli("rollup", answers)
    assert rolled.code == 2 and "no checklist with that id" in rolled.err


# --------------------------------------------------------------------------- signals


SLOW_FSYNC = (
    "import os, time\n"
    "_fsync = os.fsync\n"
    "def fsync(fd):\n"
    "    open(os.path.join(os.getcwd(), 'saving'), 'w').close()\n"
    "    time.sleep(1.5)\n"
    "    _fsync(fd)\n"
    "os.fsync = fsync\n"
)


@POSIX
def test_sigterm_while_report_is_saving_leaves_a_whole_file_and_no_temporary_file(
    tmp_path: Path,
) -> None:
    slow = tmp_path / "slow"
    slow.mkdir()
    (slow / "sitecustomize.py").write_text(SLOW_FSYNC, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    answers = answers_copy(work)
    env = {**os.environ, "SAFEAUDIT_CHECKLIST_PATH": str(GOOD), "PYTHONPATH": str(slow)}
    # Fill the checklist cache first, so the slowed save below is the report's, not the cache's.
    warm = {**env, "PYTHONPATH": ""}
    command = [sys.executable, "-m", "safeaudit", "report", str(answers), "--md"]
    subprocess.run([*command, str(tmp_path / "warm.md")], env=warm, check=True, capture_output=True)
    report = subprocess.Popen(
        [sys.executable, "-m", "safeaudit", "report", str(answers), "--html", "r.html"],
        cwd=work,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(600):
        if (work / "saving").exists() or report.poll() is not None:
            break
        time.sleep(0.05)
    report.send_signal(signal.SIGTERM)
    _out, err = report.communicate(timeout=60)
    assert report.returncode == 143, err
    assert "safeaudit: stopped" in err
    assert "</html>" in (work / "r.html").read_text(encoding="utf-8")
    assert leftovers(work) == []


# --------------------------------------------------------------------------- rollup


def test_rollup_jobs_are_bounded_by_the_cpus(cli: Any, tmp_path: Path) -> None:
    too_many = (os.cpu_count() or 1) + 1
    result = cli("rollup", answers_copy(tmp_path), "-j", too_many)
    assert result.code == 2
    assert f"--jobs {too_many}: this computer has" in result.err
    assert cli("rollup", answers_copy(tmp_path), "-j", os.cpu_count() or 1).code == 0


@POSIX
def test_rollup_lists_what_it_skipped_and_why(cli: Any, tmp_path: Path) -> None:
    folder = tmp_path / "audits"
    folder.mkdir()
    answers_copy(folder)
    (folder / "gone.yaml").symlink_to(tmp_path / "deleted.yaml")
    fifo(folder, "pipe.yaml")
    result = cli("rollup", folder)
    assert result.code == 1, result.err
    assert f"skipped {folder / 'gone.yaml'}: is a link to" in result.err
    assert f"skipped {folder / 'pipe.yaml'}: is a named pipe, not an ordinary file" in result.err


# --------------------------------------------------------------------------- checklists


def test_checklists_lists_from_the_heading_only(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing reads only the top of each file: many files list quickly, broken ones are named."""
    folder = tmp_path / "many"
    folder.mkdir()
    text = (GOOD / "run-small.yaml").read_text(encoding="utf-8")
    for n in range(60):  # each named after its id, as the catalogue finds them (SA223)
        local = text.replace("\nid: run-small\n", f"\nid: local-{n}\n", 1)
        (folder / f"local-{n}.yaml").write_text(local, encoding="utf-8")
    (folder / "misnamed.yaml").write_text(text, encoding="utf-8")
    (folder / "no-title.yaml").write_text("id: no-title\nversion: '1'\nareas: []\n", "utf-8")
    (folder / "not-yaml.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("SAFEAUDIT_CHECKLIST_PATH", str(folder))
    result = cli("checklists")
    assert result.code == 0
    for n in range(60):
        assert f"local-{n} " in result.out
    assert "no-title.yaml: SA103 has no `title`" in result.err
    assert "not-yaml.yaml" in result.err and "SA005" in result.err
    assert "misnamed " not in result.out and "run-small" not in result.out
    assert (
        "misnamed.yaml:2: SA223 the id `run-small` is not the file's name, misnamed.yaml"
        in result.err
    )


@pytest.mark.parametrize(
    "path",
    [
        *sorted((Path(__file__).resolve().parents[1] / "checklists").glob("*.yaml")),
        GOOD / "run-small.yaml",
        Path(__file__).resolve().parent / "fixtures" / "lifecycle" / "old.yaml",
        Path(__file__).resolve().parent / "fixtures" / "lifecycle" / "new.yaml",
        Path(__file__).resolve().parents[1]
        / "examples"
        / "overlays"
        / "checklists"
        / "westshire-kcsie-2025.yaml",
    ],
    ids=lambda p: p.stem,
)
def test_the_listing_reads_what_the_full_loader_reads(path: Path) -> None:
    from safeaudit.checklists import load_checklist_file, read_listing

    full = load_checklist_file(path)
    listed = read_listing(path)
    assert (listed.id, listed.version, listed.title, listed.effective) == (
        full.id,
        full.version,
        full.title,
        full.effective,
    )
    assert listed.settings == tuple(full.settings)
    assert (listed.superseded_by, listed.superseded_from) == (
        full.superseded_by,
        full.superseded_from,
    )


def test_the_listing_finds_keys_written_after_the_questions(tmp_path: Path) -> None:
    from safeaudit.checklists import load_checklist_file, read_listing

    text = (GOOD / "run-small.yaml").read_text(encoding="utf-8")
    text = "".join(line for line in text.splitlines(True) if not line.startswith("settings:"))
    moved = tmp_path / "moved.yaml"
    moved.write_text(
        text + "\nsettings: [primary, secondary]\nsuperseded_by: other\n"
        "superseded_from: 2026-09-01\n",
        encoding="utf-8",
    )
    full = load_checklist_file(moved)
    listed = read_listing(moved)
    assert listed.settings == tuple(full.settings) == ("primary", "secondary")
    assert listed.superseded_by == "other" and str(listed.superseded_from) == "2026-09-01"
