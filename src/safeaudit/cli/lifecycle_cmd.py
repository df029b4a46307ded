"""`safeaudit diff`, `migrate` and `rollup`: checklist versions and many audits at once."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeaudit.cli._app import app, chosen_format, err, fail, format_choices, out
from safeaudit.errors import EXIT_FINDINGS
from safeaudit.report.formats import DIFF

if TYPE_CHECKING:
    from safeaudit.migrate import Migration
    from safeaudit.model import Checklist
    from safeaudit.rollup import Rollup

# diff's --format choices, from the registry (made here, so other commands never pay for the
# Enum). Typer needs the Enum itself in the signature; to mypy a choice is the str it is.
if TYPE_CHECKING:
    DiffFormat = str
else:
    DiffFormat = format_choices(DIFF)


@app.command("diff")
def diff_command(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD", help="The earlier checklist: id or path.", show_default=False
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(metavar="NEW", help="The later checklist: id or path.", show_default=False),
    ],
    output_format: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help=f"{DIFF.help()}.",
        ),
    ] = DiffFormat(DIFF.names()[0]),
) -> None:
    """Show what changed between two versions of a checklist.

    Lists areas and questions added, removed, reworded, re-weighted, re-classified (severity),
    re-scoped (applies_to, when) and re-referenced. Questions that list old ids in `replaces`
    are shown as renamed (one replaces one), split (several replace one) or merged.

    Exit 0 when nothing changed, 1 when something did, 2 when a checklist cannot be used.

    Examples:

      safeaudit diff kcsie-2025-online-safety kcsie-2026-online-safety

      safeaudit diff old.yaml new.yaml --format md > what-changed.md
    """
    from safeaudit.checklists import load_checklist
    from safeaudit.diff import diff_checklists

    result = diff_checklists(load_checklist(old), load_checklist(new))
    out(DIFF.text(chosen_format(output_format), result), nl=False)
    if result.changed:
        raise typer.Exit(EXIT_FINDINGS)


@app.command("migrate")
def migrate_command(
    answers: Annotated[
        Path,
        typer.Argument(
            metavar="ANSWERS", help="The answer file to carry forward.", show_default=False
        ),
    ],
    to: Annotated[
        str, typer.Option("--to", help="The new checklist: id or path.", show_default=False)
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Where to write the new answer file.", show_default=False
        ),
    ],
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The checklist the answers were made against: id or path; "
            "default: the one named in the answer file.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists.")
    ] = False,
) -> None:
    """Carry answers forward to a new checklist version; the original file is never changed.

    Answers move through identical question ids and `replaces`. Answers to questions that were
    reworded, split, merged, changed kind or changed severity are kept but marked
    `review: true`; `safeaudit run NEW_CHECKLIST -o NEW_FILE --review` asks those first.
    Answers that no longer fit their question, and answers to removed questions, are dropped
    and listed. A summary goes to standard error.

    Exit 0 when every answer was carried, 1 when the new file was written but some answers
    were dropped, 2 when a file cannot be used or the output exists (use --force).

    Examples:

      safeaudit migrate answers-2025.yaml --to kcsie-2026-online-safety -o answers-2026.yaml

      safeaudit run kcsie-2026-online-safety -o answers-2026.yaml --review
    """
    from safeaudit.answers import load_answers, validate_answers
    from safeaudit.audit import checklist_for
    from safeaudit.checklists import load_checklist
    from safeaudit.lock import AnswerLock
    from safeaudit.migrate import migrate_answers
    from safeaudit.store import save_answers

    _check_migrate_output(output, answers, force)
    old_answers, doc = load_answers(answers)
    old = checklist_for(old_answers, doc, from_)
    # A file that does not fit its own checklist is unusable input (exit 2), not answers to drop.
    validate_answers(old, old_answers, doc)
    new = load_checklist(to)
    migration = migrate_answers(old_answers, old, new)
    # The output may be an answer file someone is working on: take its lock, and look again.
    with AnswerLock(output, command="migrate", wait=3.0):
        if output.exists() and not force:
            fail(f"{output}: already exists; choose another file or add --force to replace it")
        save_answers(output, migration.answers)
    _report_migration(migration, output, new)
    if migration.dropped:
        raise typer.Exit(EXIT_FINDINGS)


def _check_migrate_output(output: Path, answers: Path, force: bool) -> None:
    """Refuse an output that is the file being migrated, or exists (without --force)."""
    from safeaudit.output import check_output, same_file

    check_output(output)
    if output.exists() and same_file(output, answers):
        fail(
            f"{output}: is the answer file being migrated; write the new answers to "
            "another file (the original is never changed)"
        )
    if output.exists() and not force:
        fail(f"{output}: already exists; choose another file or add --force to replace it")


def _report_migration(migration: "Migration", output: Path, new: "Checklist") -> None:
    """What was carried, marked for review and dropped, on standard error."""
    for warning in migration.warnings:
        err(f"safeaudit: warning: {warning}")
    marked = migration.marked
    unchanged = len(migration.carried) - len(marked)
    err(
        f"Wrote {output} for {new.id} {new.version}: carried {len(migration.carried)} "
        f"answer{'s' * (len(migration.carried) != 1)} ({unchanged} as they were, "
        f"{len(marked)} marked for review), dropped {len(migration.dropped)}."
    )
    if marked:
        err("Marked for review (run with --review to go through them first):")
        for item in marked:
            moved = f" (was {item.old_id})" if item.old_id != item.new_id else ""
            err(f"  {item.new_id}{moved}: {item.why}")
    if migration.dropped:
        err("Dropped:")
        for dropped in migration.dropped:
            err(f"  {dropped.old_id}: {dropped.reason}")


def _stderr_is_terminal() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


@app.command("rollup")
def rollup_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATHS",
            help="Answer files, folders (searched for *.yaml and *.yml) or patterns such as "
            "'audits/*.yaml'.",
            show_default=False,
        ),
    ],
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            metavar="FILE",
            help="Write a self-contained HTML page here ('-': the screen).",
        ),
    ] = None,
    csv_path: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            metavar="FILE",
            help="Write a CSV file (UTF-8, for Excel) here ('-': the screen).",
        ),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx", metavar="FILE", help="Write an Excel workbook here (needs safeaudit[xlsx])."
        ),
    ] = None,
    setting: Annotated[
        str | None,
        typer.Option("--setting", metavar="TYPE", help="Only settings of this type, e.g. primary."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes, at most one per CPU; default: one per CPU.",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Score every file again, ignoring what the last run of the same roll-up kept "
            "(the index is still brought up to date).",
        ),
    ] = False,
) -> None:
    """Many audits in one table: one row per setting, most urgent first.

    Each row shows the score for every area, the overall score, the verdict, the number of
    statutory gaps, reviews out of date and actions past their due date, grouped by checklist
    version, followed by the gaps most settings share. Prints a table when none of --html,
    --csv or --xlsx is given. Files that cannot be used are listed on standard error (file and
    reason) and left out.

    A second roll-up of the same folders only reads the files that changed: the rows of the
    others are kept in an index in your own cache folder (~/.cache/safeaudit/rollup, or
    $SAFEAUDIT_CACHE_DIR), readable only by you. The result is the same as scoring every file;
    --no-cache scores every file anyway. The summary says how many were scored and reused.

    Exit 0 when every file was used, 1 when some were skipped, 2 when none could be used.

    Examples:

      safeaudit rollup audits/ --html trust-rollup.html

      safeaudit rollup "audits/**/*.yaml" --csv rollup.csv --setting primary

      safeaudit rollup audits/ --no-cache      # score all 24,000 files again
    """
    from safeaudit.report.rollup import summary
    from safeaudit.rollup import discover, index_file

    _check_rollup_options(setting, jobs, html, csv_path, xlsx)
    files, missing = discover(paths)
    if not files:
        for item in missing:
            err(f"safeaudit: {item.path}: {item.reason}")
        fail("no answer files to roll up")
    with _score_all(files, setting, jobs, index_file(paths), fresh=no_cache) as result:
        result.skipped[:0] = missing
        for item in result.skipped:
            err(f"safeaudit: skipped {item.path}: {item.reason}")
        if not result.groups and result.skipped:
            fail("none of the files could be used")
        _write_rollup(result, html, csv_path, xlsx)
        for line in summary(result):
            err(line)
    if result.skipped:
        raise typer.Exit(EXIT_FINDINGS)


def _check_rollup_options(
    setting: str | None,
    jobs: int | None,
    html: Path | None,
    csv_path: Path | None,
    xlsx: Path | None,
) -> None:
    """Refuse unusable rollup options before any file is read."""
    from safeaudit.output import STDOUT, check_output
    from safeaudit.rollup import max_jobs
    from safeaudit.settings import SETTING_TYPES

    if setting is not None and setting not in SETTING_TYPES:
        fail(f"--setting {setting}: use one of {', '.join(SETTING_TYPES)}")
    if jobs is not None and jobs > max_jobs():
        limit = max_jobs()  # more worker processes than CPUs only cost memory and time
        fail(
            f"--jobs {jobs}: this computer has {limit} CPU{'s' * (limit != 1)}, so use at most "
            f"-j {limit} (more worker processes only use more memory)"
        )
    if xlsx is not None and str(xlsx) == STDOUT:
        fail("--xlsx needs a file name; a workbook cannot go to standard output")
    if [str(p) for p in (html, csv_path) if p is not None].count(STDOUT) > 1:
        fail("only one of --html and --csv can go to standard output ('-')")
    for target in (html, csv_path):
        if target is not None:
            check_output(target, stream_ok=True)
    if xlsx is not None:
        check_output(xlsx)


def _score_all(
    files: list[str], setting: str | None, jobs: int | None, index: Path, *, fresh: bool
) -> "Rollup":
    """Score every file (reusing the index unless `fresh`), with a progress bar on a terminal
    that counts files scored and rows reused."""
    from safeaudit.rollup import rollup

    if not _stderr_is_terminal():
        return rollup(files, setting=setting, workers=jobs, index_path=index, reuse=not fresh)
    from rich.progress import Progress

    from safeaudit.cli._console import safe_console

    counts = [0, 0]
    with Progress(console=safe_console(stderr=True), transient=True) as bar:
        task = bar.add_task("Scoring", total=len(files))

        def advance(scored: int, reused: int) -> None:
            counts[0] += scored
            counts[1] += reused
            label = f"Scoring: {counts[0]} scored, {counts[1]} unchanged"
            bar.update(task, advance=scored + reused, description=label)

        return rollup(
            files,
            setting=setting,
            workers=jobs,
            progress=advance,
            index_path=index,
            reuse=not fresh,
        )


def _write_rollup(
    result: "Rollup", html: Path | None, csv_path: Path | None, xlsx: Path | None
) -> None:
    """Each output asked for, or the table on the screen when none was. Files are written as
    they are drawn, each beside its target, and put in place only once all are done (so a
    failure writes none); then standard output ('-'), if asked for."""
    from safeaudit.output import STDOUT, PendingFile, write_stdout
    from safeaudit.report.formats import ROLLUP
    from safeaudit.report.rollup import text_chunks

    given = {"html": html, "csv": csv_path, "xlsx": xlsx}
    outputs = {name: target for name, target in given.items() if target is not None}
    pending: list[PendingFile] = []
    try:
        for name, target in outputs.items():
            if str(target) != STDOUT:
                pending.append(PendingFile(target, ROLLUP.pieces(name, result)))
        for item in pending:
            item.commit()
    finally:
        for item in pending:
            item.discard()
    for name, target in outputs.items():
        if str(target) == STDOUT:
            for piece in ROLLUP.pieces(name, result):
                write_stdout(piece)
    if not outputs:
        for piece in text_chunks(result):
            out(piece, nl=False)
