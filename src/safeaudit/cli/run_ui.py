"""The terminal side of `safeaudit run`: reads lines, prints questions; the logic is in the core."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import select
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TypeVar

from rich.table import Table
from rich.text import Text

from safeaudit.checklists import load_checklist
from safeaudit.cli._console import safe_console
from safeaudit.cli.score_table import VERDICT_STYLE
from safeaudit.display import long_date, percent_text
from safeaudit.errors import EXIT_INTERRUPTED, NotFound, ValidationFailed, WrongChecklist
from safeaudit.loading import read_text
from safeaudit.lock import AnswerLock
from safeaudit.model import Answers, Checklist
from safeaudit.output import check_output, handlers_installed
from safeaudit.questionnaire.navigation import Session, Step
from safeaudit.questionnaire.parsing import InputProblem
from safeaudit.questionnaire.prompts import SEVERITY_LABELS, answer_lines, help_lines
from safeaudit.questionnaire.starting import (
    PROVISION_CHOICES,
    asks_provision,
    check_area,
    check_same_checklist,
    current_checklists,
    new_answers,
    parse_checklist_choice,
    parse_provision_choice,
    parse_setting_choice,
    setting_choices,
)
from safeaudit.scoring import SELF_ASSESSMENT, judging_date, superseded_warning
from safeaudit.settings import setting_label
from safeaudit.store import save_answers

_SEVERITY_STYLE = {"statutory": "bold red", "expected": "bold yellow", "recommended": "cyan"}

_PROMPTS = {
    "reason": "Why does this not apply to your setting? (needed) ",
    "evidence": "Evidence: what shows this? (Enter to skip) ",
    "owner": "Who will act on it? (Enter to skip) ",
    "due": "By when? DD/MM/YYYY (Enter to skip) ",
    "note": "Notes: anything else to record? (Enter to skip) ",
}


class _Stop(Exception):
    """Ctrl-C, a closed terminal or `kill`: leave, with every answer given already saved."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: Signals that stop a run: Ctrl-C, `kill`, a closed terminal window (SIGHUP; Windows has
#: none, and Ctrl-Break or closing the console window there gives SIGBREAK).
T = TypeVar("T")

_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")


def exit_code_for(signum: int) -> int:
    """128 + the signal's number, as shells report it: 130 Ctrl-C, 129 SIGHUP, 143 SIGTERM."""
    return 128 + int(signum)


def terminal_reader() -> Callable[[str], str] | None:
    """A line reader for a real terminal that a signal always interrupts, or None to use input().

    input() writes the prompt and then blocks in C: a signal that arrives between the two is
    only acted on after the next Enter, so `kill` or Ctrl-C could seem to be ignored. Waiting
    with select() in short steps lets the signal handler run whenever it arrives.
    """
    if os.name != "posix":
        return None
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    if not os.isatty(fd):
        return None

    def read(prompt: str) -> str:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        line = b""
        while not line.endswith(b"\n"):
            ready, _write, _error = select.select([fd], [], [], 0.2)
            if not ready:
                continue
            data = os.read(fd, 65536)  # the terminal hands over one line at a time
            if not data:
                if line:
                    break
                raise EOFError
            line += data
        return line.decode("utf-8", errors="replace").removesuffix("\n")

    return read


def leave_now(code: int) -> None:
    """Exit at once after SIGTERM or SIGHUP, once the answers are saved and the lock removed.

    Nothing is left to tidy, and the terminal may be gone or blocked, so the interpreter's own
    shutdown (which writes to it) is skipped: the process always ends promptly.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


class StopSignals:
    """Ctrl-C, SIGTERM and SIGHUP stop a run, but only while it is waiting for the user to type.

    At any other moment (an answer being saved, the lock being taken) the signal is noted and
    acted on at the next prompt, so a save in progress always completes and "every answer you
    gave is saved" is true when it is printed.
    """

    def __init__(self) -> None:
        self.pending: int | None = None
        self._waiting = False

    def handler(self, signum: int, frame: FrameType | None) -> None:
        if self.pending is None:
            self.pending = signum
        if self._waiting:
            self._waiting = False
            raise _Stop(signum)

    def check(self) -> None:
        """Stop now if a signal came while the run was busy."""
        if self.pending is not None:
            raise _Stop(self.pending)

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """The block in which a signal stops the run at once: a prompt waiting for a line."""
        self.check()
        self._waiting = True
        try:
            yield
        finally:
            self._waiting = False

    @contextmanager
    def installed(self) -> Iterator[None]:
        # Outside the main thread nothing is installed; then Ctrl-C is the only way out anyway.
        with handlers_installed(_STOP_SIGNALS, self.handler):
            yield


def shell_command(*args: str) -> str:
    """A command line the user can paste back into their own shell."""
    if os.name == "nt":
        return subprocess.list2cmdline(list(args))
    return " ".join(shlex.quote(arg) for arg in args)


class Screen:
    """Printing and reading for the questionnaire: plain text, colour only when allowed."""

    def __init__(
        self,
        colour: bool,
        read: Callable[[str], str] = input,
        signals: StopSignals | None = None,
    ) -> None:
        self.signals = signals
        self.console = safe_console(
            no_color=not colour,
            highlight=False,
            emoji=False,
            color_system="auto" if colour else None,
        )
        self.read = read

    def say(self, text: str = "", style: str = "") -> None:
        # Wrap here, not in Rich, so list items keep a hanging indent in narrow terminals.
        width = max(self.console.width - 1, 20)
        lead = len(text) - len(text.lstrip(" -"))
        lines = textwrap.wrap(text, width, subsequent_indent=" " * lead) or [""]
        for line in lines:
            self.console.print(Text(line, style=style), markup=False, soft_wrap=True)

    def command(self, intro: str, command: str) -> None:
        """A command on a line of its own, never wrapped, so it can be copied whole."""
        self.say(intro)
        self.console.print(Text(f"  {command}", style="bold"), markup=False, soft_wrap=True)

    def ask(self, prompt: str) -> str:
        self.console.file.flush()
        if self.signals is None:
            return self.read(prompt)
        with self.signals.waiting():
            return self.read(prompt)

    def rule(self) -> None:
        self.say("─" * min(self.console.width - 1, 79), "dim")

    def show_step(self, step: Step, session: Session) -> None:
        question = step.question
        self.say()
        self.rule()
        self.say(step.position_text, "bold")
        tags = SEVERITY_LABELS[question.severity]
        if question.critical:  # as serve and the report mark it: this alone can stop "met"
            tags += " · Critical: unless this is fully in place, the verdict is Not met"
        self.say(tags, _SEVERITY_STYLE[question.severity])
        self.say(question.text)
        self.say()
        for line in answer_lines(question, session.today):
            self.say(line, "dim" if line.startswith(("Type n/a", "Type dk")) else "")
        default = session.default()
        if default:
            self.say(f"Current answer: {default} (press Enter to keep it)", "green")
            answer = step.answer
            if answer is not None:
                recorded = [
                    f"{label}: {text}"
                    for label, text in (
                        ("reason", answer.reason),
                        ("evidence", answer.evidence),
                        ("owner", answer.owner),
                        ("due", answer.due.strftime("%d/%m/%Y") if answer.due else ""),
                        ("notes", answer.note),
                    )
                    if text
                ]
                if recorded:
                    self.say("  " + "; ".join(recorded), "dim")
        self.say("? help · b back · s skip · note add a note · q save and stop", "dim")

    def show_follow_up(self, session: Session) -> None:
        default = session.default()
        if default and session.stage != "reason":
            self.say(f"Now: {default} (Enter keeps it, - clears it)", "dim")


def _setup(
    screen: Screen, checklist: Checklist | None, output: Path, today: dt.date
) -> tuple[Answers, Checklist]:
    """Ask for the setting's details (and, with no checklist given, which one to answer)."""
    if checklist is not None:
        screen.say(f"New audit: {checklist.title} (version {checklist.version})", "bold")
    else:
        screen.say("New audit", "bold")
    screen.say(f"Your answers are saved to {output} after every answer.")
    screen.say("Press Ctrl-C at any time to stop; you can carry on later.")
    screen.say()
    while not (name := screen.ask("Name of your school, college or setting: ").strip()):
        screen.say("Please type the name.", "yellow")
    choices = setting_choices(checklist)
    screen.say()
    screen.say("What kind of setting is it?")
    for number, (_kind, label) in enumerate(choices, 1):
        screen.say(f"  {number}  {label}")
    setting_type = _ask_until(
        screen, "Type a number: ", lambda text: parse_setting_choice(text, choices)
    )
    if checklist is None:
        checklist = _choose_checklist(screen, setting_type, today)
    provision: list[str] = []
    # Early-years settings and nursery schools are early years already, with no sixth form.
    if asks_provision(checklist) and setting_type not in ("early-years", "nursery-school"):
        screen.say()
        screen.say("Does it also have any of these? Some questions apply only to them.")
        for number, (_kind, label) in enumerate(PROVISION_CHOICES, 1):
            screen.say(f"  {number}  {label}")
        provision = _ask_until(
            screen,
            "Type the numbers, separated by spaces (Enter for none): ",
            parse_provision_choice,
        )
    screen.say()
    answers = _ask_until(
        screen,
        "URN, the 6-digit number the DfE gives your setting (Enter to skip): ",
        lambda urn: new_answers(checklist, name, setting_type, urn, today, provision),
    )
    return answers, checklist


def _choose_checklist(screen: Screen, setting_type: str, today: dt.date) -> Checklist:
    """Offer the checklists in force for the setting type; Enter takes the first (the newest)."""
    choices = current_checklists(setting_type, today)
    if not choices:
        raise NotFound(
            f"no checklist in force on {long_date(today)} covers "
            f"{setting_label(setting_type).lower()}s; run `safeaudit checklists` to see them, "
            "then `safeaudit run CHECKLIST -o FILE`"
        )
    screen.say()
    screen.say("Which checklist? These are in force now for this kind of setting:")
    for number, item in enumerate(choices, 1):
        screen.say(f"  {number}  {item.title} ({item.id}, version {item.version})")
    chosen = _ask_until(
        screen,
        "Press Enter for the first, or type a number: ",
        lambda text: parse_checklist_choice(text, choices),
    )
    screen.say(f"Using {chosen.title}.", "green")
    return chosen


def _ask_until(screen: Screen, prompt: str, parse: Callable[[str], T]) -> T:
    """Ask until `parse` accepts what is typed, saying why each refused answer was refused."""
    while True:
        try:
            return parse(screen.ask(prompt))
        except InputProblem as exc:
            screen.say(str(exc), "yellow")


def _walk(screen: Screen, session: Session) -> None:
    """Ask questions until the walk ends or the user quits."""
    shown: str | None = None
    while (step := session.current()) is not None:
        if step.question.id != shown:
            screen.show_step(step, session)
            shown = step.question.id
        stage = session.stage
        if stage == "value":
            prompt = "Answer: "
        else:
            screen.show_follow_up(session)
            prompt = _PROMPTS[stage]
        try:
            raw = screen.ask(prompt)
        except EOFError:
            return
        try:
            event = session.respond(raw)
        except InputProblem as exc:
            screen.say(str(exc), "yellow")
            continue
        if event in ("answered", "follow-up") and session.last_note:
            screen.say(session.last_note, "yellow")
        if event == "help":
            screen.say()
            for line in help_lines(step.question, session.checklist):
                screen.say(line)
            # The help may have pushed the question off the screen: repeat it.
            screen.say()
            screen.say(step.question.text, "bold")
        elif event == "quit":
            return
        elif event == "at-start":
            screen.say("This is the first question.", "yellow")
        elif event == "back":
            shown = None
        elif event == "skip":
            screen.say("Skipped." if stage == "value" else "Moving on.", "dim")
        elif event == "noted" and stage == "note" and _still_at(session, step):
            # A note written from the answer prompt: the question is asked again.
            answer = session.answers.answers.get(step.question.id)
            kept = "Note saved." if answer is not None and answer.note else "No note."
            screen.say(f"{kept} Now the answer:", "dim")
            screen.say(step.question.text, "bold")


def _still_at(session: Session, step: Step) -> bool:
    """Whether the same question is still asked, at its answer prompt."""
    now = session.current()
    return now is not None and now.question.id == step.question.id and session.stage == "value"


def _summary(screen: Screen, session: Session, output: Path, resume: str) -> None:
    summary = session.summary()
    result = summary.result
    screen.say()
    screen.rule()
    screen.say(f"Saved to {output}.", "bold")
    screen.say(
        f"This time: {summary.answered_now} answered, {summary.skipped_now} skipped. "
        f"Altogether: {summary.answered} of {summary.total} questions answered, "
        f"{summary.to_answer} still to answer"
        + (f"; {summary.not_applicable} do not apply." if summary.not_applicable else ".")
    )
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("Area", overflow="fold")
    table.add_column("Score", justify="right")
    table.add_column("Still to answer", justify="right")
    for area in result.areas:
        if not area.applicable:
            continue
        table.add_row(area.area.title, percent_text(area.percent), str(area.count("unanswered")))
    table.add_row("Overall", percent_text(result.percent), str(summary.to_answer), style="bold")
    screen.say()
    screen.console.print(table)
    if summary.to_answer:
        screen.say("Questions still to answer count as gaps in the score.", "dim")
    screen.say()
    screen.say(f"Verdict: {result.verdict_label}", VERDICT_STYLE[result.verdict])
    screen.say(result.verdict_explanation)
    screen.say(SELF_ASSESSMENT, "dim")
    if summary.to_answer:
        screen.command("To carry on:", resume)
    screen.command(
        "To write the report:",
        shell_command("safeaudit", "report", str(output), "--html", "report.html"),
    )


def run_interactive(
    checklist_ref: str | None, output: Path, *, review: bool, area: str | None, colour: bool
) -> int:
    """The whole `run` command; returns the exit code.

    With no checklist, an existing answer file carries on with its own checklist, and a new one
    is offered the checklists in force for its kind of setting.
    """
    signals = StopSignals()
    screen = Screen(colour, terminal_reader() or input, signals=signals)
    today = dt.date.today()
    if os.path.lexists(output):
        read_text(output)  # a device, pipe or link to nothing: refused before a lock is made
    check_output(output)
    if checklist_ref is None and output.exists():
        from safeaudit.answers import load_answers

        checklist_ref = load_answers(output)[0].checklist.id
    checklist = load_checklist(checklist_ref) if checklist_ref is not None else None
    if checklist is not None:
        check_area(checklist, area)
    resume = shell_command(
        "safeaudit", "run", *([checklist_ref] if checklist_ref else []), "-o", str(output)
    )
    session: Session | None = None
    with signals.installed(), AnswerLock(output) as lock:
        for notice in lock.notices:
            screen.say(f"Note: {notice}.", "yellow")
        try:
            if checklist is not None and output.exists():
                answers = _resume(checklist, output)
                screen.say(
                    f"Carrying on with {answers.setting.name}: {checklist.title} "
                    f"(version {checklist.version}).",
                    "bold",
                )
                screen.say(f"Answers are saved to {output} after every answer.")
            else:
                answers, checklist = _setup(screen, checklist, output, today)
                check_area(checklist, area)
                if checklist_ref is None:
                    resume = shell_command("safeaudit", "run", checklist.id, "-o", str(output))
                save_answers(output, answers)
            warning = superseded_warning(checklist, max(judging_date(answers), today))
            if warning:
                screen.say(f"Note: {warning}.", "yellow")
            session = Session(
                checklist,
                answers,
                review=review,
                area=area,
                save=lambda new: save_answers(output, new),
                today=today,
            )
            if session.finished:
                screen.say(
                    "Every question that applies has an answer. Use --review to go "
                    "through them again.",
                    "green",
                )
            _walk(screen, session)
            signals.check()
        except _Stop as stop:
            _interrupted(screen, session, resume)
            return exit_code_for(stop.signum)
        except KeyboardInterrupt:  # Ctrl-C where signal handlers cannot be set
            _interrupted(screen, session, resume)
            return EXIT_INTERRUPTED
        except EOFError:
            if session is None:
                _interrupted(screen, None, resume)
                return EXIT_INTERRUPTED
        _summary(screen, session, output, resume)
    return exit_code_for(signals.pending) if signals.pending is not None else 0


def _interrupted(screen: Screen, session: Session | None, resume: str) -> None:
    try:
        screen.say()
        if session is None:
            screen.say("Stopped before any answers were given.")
        else:
            screen.say("Stopped. Every answer you gave is saved.")
        screen.command("To carry on later, run:", resume)
    except OSError:  # the terminal has gone
        pass


def _resume(checklist: Checklist, output: Path) -> Answers:
    from safeaudit.answers import check_answers, load_answers

    answers, doc = load_answers(output)
    try:
        check_same_checklist(checklist, answers, output)
    except WrongChecklist as exc:
        ref = answers.checklist
        advice = (
            f"give another file with -o, or run `safeaudit run {ref.id} -o {output}` to carry "
            "on with it"
            if ref.id != checklist.id
            else "give another file with -o to start afresh (your file is unchanged)"
        )
        raise WrongChecklist(f"{exc.message}; {advice}") from None
    problems = check_answers(checklist, answers, doc)
    if problems:
        raise ValidationFailed("an answer file", problems)
    return answers
