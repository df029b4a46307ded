"""`safeaudit merge` and `signoff`: combining answers from several staff, and governor sign-off."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeaudit.cli._app import app, err, fail, out, parse_day

if TYPE_CHECKING:
    from safeaudit.merge import MergeResult

#: Seconds a short command waits for another short one (signoff, merge) to finish with a file.
LOCK_WAIT = 3.0


@app.command("merge")
def merge_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILES",
            help="Two or more partial answer files for the same setting and checklist version.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the combined answer file here.",
            show_default=False,
        ),
    ],
    prefer: Annotated[
        Path | None,
        typer.Option(
            "--prefer",
            metavar="FILE",
            help="When files disagree, use "
            "the answer from this one (one of the files being merged).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE given with -o if it already exists.")
    ] = False,
) -> None:
    """Combine partial answer files, for example the IT lead's filtering answers and the DSL's.

    Answers that agree are merged silently, and every answer keeps who gave it. When two files
    answer the same question differently, each conflict is listed (question, each file's
    answer, who answered and when) and nothing is written, unless --prefer says whose answers
    win. Exit 0 when written, 1 when conflicts remain, 2 when the files are for different
    settings or checklist versions, or cannot be read.

    Examples:

      safeaudit merge it-lead.yaml dsl.yaml -o answers.yaml

      safeaudit merge it-lead.yaml dsl.yaml -o answers.yaml --prefer dsl.yaml
    """
    from safeaudit.audit import load_audit
    from safeaudit.lock import AnswerLock
    from safeaudit.merge import Part, merge
    from safeaudit.store import save_answers

    preferred = _check_merge_options(files, output, prefer, force)
    audits = [load_audit(path) for path in files]
    for audit in audits:
        for warning in audit.warnings:
            err(f"safeaudit: warning: {warning}")
    parts = [Part(str(path), audit.answers) for path, audit in zip(files, audits, strict=True)]
    result = merge(parts, audits[0].checklist, preferred)
    _show_conflicts(result)
    # The output may be an answer file someone is working on: take its lock, and look again.
    with AnswerLock(output, command="merge", wait=LOCK_WAIT):
        if output.exists() and not force:
            fail(f"merge: {output} already exists; choose another name, or add --force")
        save_answers(output, result.answers)
    answered = len(result.answers.answers)
    settled = f", {len(result.settled)} settled by --prefer" if result.settled else ""
    err(
        f"safeaudit: wrote {output}: {answered} answers from {len(files)} files "
        f"({result.agreed} answered alike{settled})"
    )


def _check_merge_options(
    files: list[Path], output: Path, prefer: Path | None, force: bool
) -> str | None:
    """Refuse unusable files or options before any file is read; the preferred file's name."""
    from safeaudit.output import check_output, same_file

    if len(files) < 2:
        fail("merge: give at least two answer files to merge")
    check_output(output)
    for path in files:
        if same_file(path, output):
            fail(
                f"merge: {output} is one of the files being merged; write the merged answers "
                "to another file (the files being merged are never changed)"
            )
    if output.exists() and not force:
        fail(f"merge: {output} already exists; choose another name, or add --force to replace it")
    if len({path.resolve() for path in files}) != len(files):
        fail("merge: the same file is given twice")
    if prefer is None:
        return None
    matches = [str(p) for p in files if p.resolve() == prefer.resolve()]
    if not matches:
        fail(f"merge: --prefer {prefer} is not one of the files being merged")
    return matches[0]


def _show_conflicts(result: "MergeResult") -> None:
    """Every conflict, settled or not; stop (exit 1) if any is unsettled."""
    from safeaudit.merge import describe

    for conflict in [*result.conflicts, *result.settled]:
        out("\n".join(describe(conflict)))
    if result.conflicts:
        count = len(result.conflicts)
        fail(
            f"merge: {count} question{'s' * (count != 1)} answered differently; nothing was "
            "written. Agree the answers and correct one file, or choose whose answers win "
            "with --prefer FILE",
            1,
        )
    for name in result.dropped_signoffs:
        err(f"safeaudit: note: {name} was signed off; the merged file needs signing off again")


@app.command("signoff")
def signoff_command(
    answers: Annotated[
        Path, typer.Argument(metavar="ANSWERS", help="The answer file (YAML).", show_default=False)
    ],
    name: Annotated[
        str,
        typer.Option("--name", metavar="NAME", help="Who reviewed the audit.", show_default=False),
    ],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            metavar="ROLE",
            help='Their role, e.g. "Chair of governors".',
            show_default=False,
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="DATE", help="The date of the review (YYYY-MM-DD); default: today."
        ),
    ] = None,
) -> None:
    """Record that someone reviewed the audit: their name, role and the date.

    A fingerprint of the answers is stored with the sign-off, so the report can say if any
    answer changed afterwards, and which. Several sign-offs can be recorded; the report shows
    the latest. The answer file is updated in one step and its comments are kept.

    Examples:

      safeaudit signoff answers.yaml --name "A. Patel" --role "Chair of governors"

      safeaudit signoff answers.yaml --name "A. Patel" --role "Chair of governors" --date 2026-11-20
    """
    day = parse_day(date) or dt.date.today()
    if not name.strip() or not role.strip():
        fail("signoff: --name and --role must not be blank")
    if day > dt.date.today():
        fail(f"signoff: the date {day.isoformat()} is in the future; give the date of the review")

    from safeaudit.audit import load_audit
    from safeaudit.loading import read_text
    from safeaudit.lock import AnswerLock
    from safeaudit.output import real_target, write_file
    from safeaudit.signoff import signed_text

    # A missing file, a link to nothing, a device or a pipe is refused (as every command that
    # reads a file refuses it) before a lock is made beside it.
    read_text(answers)
    real_target(answers)
    # Read, sign and write under the answer file's lock, so a `run` in progress (which saves
    # after every answer) cannot overwrite the sign-off: while it runs, signoff is refused.
    with AnswerLock(answers, command="signoff", wait=LOCK_WAIT):
        audit = load_audit(answers)
        for warning in audit.warnings:
            err(f"safeaudit: warning: {warning}")
        text, record = signed_text(
            read_text(answers), audit.answers, audit.doc.root, name.strip(), role.strip(), day
        )
        write_file(answers, text)  # through a link, the file it points to

    unanswered = len(audit.score().unanswered)
    if unanswered:
        err(
            f"safeaudit: note: {unanswered} question{'s' * (unanswered != 1)} still "
            "unanswered at sign-off"
        )
    err(
        f"safeaudit: signed off by {record.name} ({record.role}) on {record.date.isoformat()}; "
        f"fingerprint {record.fingerprint[:19]}…"
    )
