"""`safeaudit report`: the governors' report in HTML, Markdown, JSON and CSV."""

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeaudit.cli._app import app, err, fail
from safeaudit.report.formats import REPORT

if TYPE_CHECKING:
    from safeaudit.audit import Audit
    from safeaudit.report.compare import Comparison
    from safeaudit.report.options import ReportOptions
    from safeaudit.scoring import AuditResult

#: Where a format's output goes when its option is "-".
STDOUT = "-"


def _output_option(name: str, what: str) -> typer.models.OptionInfo:
    option: typer.models.OptionInfo = typer.Option(
        f"--{name}",
        metavar="FILE",
        help=f"Write {what} ('-' for standard output).",
        show_default=False,
    )
    return option


@app.command("report")
def report_command(
    answers: Annotated[
        Path, typer.Argument(metavar="ANSWERS", help="The answer file (YAML).", show_default=False)
    ],
    html: Annotated[
        str | None,
        _output_option("html", "the governors' report to FILE as one self-contained web page"),
    ] = None,
    md: Annotated[
        str | None, _output_option("md", "the report in Markdown to FILE, for governors' papers")
    ] = None,
    json_out: Annotated[
        str | None, _output_option("json", "the full result as JSON to FILE (docs/json-output.md)")
    ] = None,
    csv_out: Annotated[
        str | None, _output_option("csv", "the action plan to FILE as CSV for spreadsheets")
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            metavar="FILE",
            help="Write an Excel workbook to FILE "
            "(answers, action plan, area scores), e.g. for a local "
            "authority return. Needs `pip install 'safeaudit[xlsx]'`.",
            show_default=False,
        ),
    ] = None,
    checklist: Annotated[
        str | None,
        typer.Option(
            "--checklist",
            "-c",
            metavar="ID|PATH",
            help="Checklist id or path; default: the one named in the answer file.",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge review and due dates as "
            "at this date (YYYY-MM-DD); default: the audit date in the file, "
            "else today.",
        ),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            metavar="PREVIOUS",
            help="An earlier answer file "
            "for the same setting: show the change in each area and which "
            "gaps are new, closed or still open (areas with unanswered questions "
            "are not compared).",
            show_default=False,
        ),
    ] = None,
    allow_other_setting: Annotated[
        bool,
        typer.Option(
            "--allow-other-setting",
            help="With --compare: allow the previous audit to be of another setting "
            "(a different name or URN), for example after a school changes its name.",
        ),
    ] = False,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Mask the details that could identify people that safeaudit recognises "
            "(email addresses, phone numbers, dates of birth, pupil numbers, postcodes, names "
            "beside a year group or with a title) in every output; the report says what was "
            "masked. Read it before sharing: no automatic check finds everything.",
        ),
    ] = False,
    omit_notes: Annotated[
        bool,
        typer.Option(
            "--omit-notes",
            help="Leave all free text (evidence, notes, reasons and written answers) out of "
            "every output, for reports that go beyond the governing body.",
        ),
    ] = False,
) -> None:
    """Write the governors' gap-analysis report: verdict, area scores, statutory gaps, action
    plan, out-of-date reviews and every answer with its evidence and sources.

    Give at least one output; several can be written at once. Warnings (details that could
    identify people, a checklist version that differs from the answers) go to standard error.
    Exit code 0 when the report is written, 2 for unusable input or wrong usage.

    Examples:

      safeaudit report answers.yaml --html report.html

      safeaudit report answers.yaml --html report.html --md report.md --csv actions.csv

      safeaudit report answers.yaml --html report.html --compare last-year.yaml --redact

      safeaudit report answers.yaml --xlsx return.xlsx

      safeaudit report answers.yaml --json - | jq .verdict
    """
    given = {"html": html, "md": md, "json": json_out, "csv": csv_out, "xlsx": xlsx}
    outputs = {name: str(given[name]) for name in REPORT if given[name] is not None}
    _check_outputs(outputs, [answers, compare])
    with _without_cycle_collection():
        _report(
            answers, outputs, checklist, as_of, compare, allow_other_setting, redact, omit_notes
        )


def _report(
    answers: Path,
    outputs: dict[str, str],
    checklist: str | None,
    as_of: str | None,
    compare: Path | None,
    allow_other_setting: bool,
    redact: bool,
    omit_notes: bool,
) -> None:
    from safeaudit import __version__
    from safeaudit.cli.score_cmd import scored_audit
    from safeaudit.report.options import ReportOptions

    audit, result = scored_audit(answers, checklist, as_of)
    comparison = None
    if compare is not None:
        comparison = _compare(result, compare, checklist, audit, allow_other_setting)
    options = ReportOptions(
        redact=redact,
        comparison=comparison,
        generator=f"safeaudit {__version__}",
        omit_notes=omit_notes,
    )
    _privacy_notes(result, options, answers)
    _write_all(result, options, outputs)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while the report is made, then as it was.

    Making a report creates many objects that live until it is written (safeaudit's modules
    and models, the checklist, the rows): at Python's usual rate the collector runs about 30
    times meanwhile, examining them for almost no garbage (issue 17). The input is at most
    5 MB and the run short, so the little cyclic garbage waits until the end; objects without
    cycles are freed at once as always.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_outputs(outputs: dict[str, str], sources: list[Path | None]) -> None:
    """Refuse a missing, shared or unusable output before anything is read."""
    if not outputs:
        listed = ", ".join(f"--{name} FILE" for name in REPORT.names()[:-1])
        fail(
            f"report: give at least one output: {listed} or --{REPORT.names()[-1]} FILE "
            "('-' for standard output); see `safeaudit report --help`"
        )
    if [name for name in REPORT.names(binary=False) if outputs.get(name) == STDOUT][1:]:
        fail("report: only one output can go to standard output ('-')")
    for name in REPORT.names(binary=True):
        if outputs.get(name) == STDOUT:
            fail(f"report: --{name} needs a file name; a workbook cannot go to standard output")
    files = [Path(target).resolve() for target in outputs.values() if target != STDOUT]
    if len(set(files)) != len(files):
        fail("report: each output needs its own file")
    from safeaudit.output import check_output, same_file

    for target in outputs.values():
        check_output(target, stream_ok=True)  # never a device, pipe or folder
        if any(same_file(Path(target), source) for source in sources if source):
            fail(f"report: {target} is an answer file being read; write the report elsewhere")


def _compare(
    result: "AuditResult",
    compare: Path,
    checklist: str | None,
    audit: "Audit",
    allow_other_setting: bool,
) -> "Comparison":
    """The change since the previous audit (`--compare`)."""
    from safeaudit.audit import load_previous
    from safeaudit.errors import OtherSetting
    from safeaudit.report.compare import compare as compare_results

    previous = load_previous(compare, checklist, audit)
    for warning in previous.warnings:
        err(f"safeaudit: warning: {warning}")
    try:
        comparison = compare_results(
            result, previous.score(), allow_other_setting=allow_other_setting
        )
    except OtherSetting as exc:
        fail(
            f"{compare}: {exc.message}; check you gave the right file, or add "
            "--allow-other-setting to compare with another setting's audit"
        )
    if comparison.other_setting:
        err(f"safeaudit: warning: {compare} is for {comparison.other_setting}")
    return comparison


def _privacy_notes(result: "AuditResult", options: "ReportOptions", answers: Path) -> None:
    """Warn about details that may identify people, or say what --redact masked."""
    from safeaudit.report.privacy import KINDS, NOT_EVERYTHING, masked_counts, scan

    findings = scan(result)
    if not findings or options.omit_notes:
        return
    kinds = sorted({label for w in findings for label in w.labels})
    ids = ", ".join(w.question_id for w in findings)
    if options.redact:
        masked = masked_counts(result, options)
        listed = ", ".join(f"{KINDS[kind][0]} ({n})" for kind, n in masked.items())
        err(f"safeaudit: note: masked {listed} in: {ids}. {NOT_EVERYTHING}")
    else:
        err(
            f"safeaudit: warning: {answers}: answers may identify people "
            f"({', '.join(kinds)}) in: {ids}; safeguarding reports should not. Remove "
            "them from the answer file, or use --redact to mask them in the report. "
            "Other details may be there too: no automatic check finds everything"
        )


def _write_all(result: "AuditResult", options: "ReportOptions", outputs: dict[str, str]) -> None:
    """Render everything first, so a failure leaves no half-set of new files behind."""
    from safeaudit.output import write_file, write_stdout

    rendered = {name: REPORT.render(name, result, options) for name in outputs}
    for name, target in outputs.items():
        if target == STDOUT:
            write_stdout(rendered[name])  # bytes: legacy Windows consoles still get UTF-8
        else:
            write_file(Path(target), rendered[name])
            err(f"safeaudit: wrote {target}")
