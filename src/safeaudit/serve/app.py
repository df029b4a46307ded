"""The web application: pages for the start, the setting, each area, review and the report."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from safeaudit import __version__
from safeaudit.display import long_date
from safeaudit.errors import LockHeld, SafeauditError
from safeaudit.model import Answers
from safeaudit.questionnaire.parsing import InputProblem
from safeaudit.questionnaire.prompts import SEVERITY_LABELS
from safeaudit.questionnaire.starting import new_answers
from safeaudit.scoring import superseded_warning
from safeaudit.serve.forms import (
    PROVISIONS,
    FormProblem,
    answer_from_form,
    setting_from_form,
    text_field,
    with_answer,
)
from safeaudit.serve.guard import BAD_CSRF, REPORT_CSP, Guard, Keys
from safeaudit.serve.pages import (
    Progress,
    area_questions,
    progress,
    question_view,
    scored,
    shown,
)
from safeaudit.serve.workspace import FileProblem, OpenAudit, Workspace
from safeaudit.settings import SETTING_TYPES, setting_label
from safeaudit.store import now

HERE = Path(__file__).resolve().parent

#: Downloads offered beside the report: format, file extension and media type.
DOWNLOADS: dict[str, tuple[str, str, str]] = {
    "md": ("Markdown, for governors' papers", "md", "text/markdown; charset=utf-8"),
    "csv": ("the action plan as CSV, for spreadsheets", "csv", "text/csv; charset=utf-8"),
    "json": ("JSON, for other programs", "json", "application/json"),
    "xlsx": (
        "an Excel workbook, for local authority returns",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@functools.cache
def environment() -> jinja2.Environment:
    """Templates shipped inside the package; every value is escaped (autoescape)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    return env


class Pages:
    """The request handlers, sharing one workspace and one set of keys."""

    def __init__(
        self,
        workspace: Workspace,
        keys: Keys,
        *,
        clock: Callable[[], dt.datetime] = now,
        suggested_name: str = "",
    ) -> None:
        self.ws = workspace
        self.keys = keys
        self.clock = clock
        self.suggested_name = suggested_name
        self.env = environment()

    # ----------------------------------------------------------------- helpers

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("audit", None)
        context.setdefault("progress", None)
        context.setdefault("page", template.split(".")[0])
        context.setdefault("error", "")
        prog = context["progress"]
        context["replaced"] = (
            superseded_warning(prog.result.checklist, prog.result.as_of) if prog else None
        )
        text = self.env.get_template(template).render(
            csrf=self.keys.csrf, version=__version__, **context
        )
        return HTMLResponse(text, status_code=status)

    async def form(self, request: Request) -> tuple[dict[str, str], list[str]] | Response:
        """The posted fields (and the ticked provisions), or a refusal without the CSRF token."""
        async with request.form(max_files=0, max_fields=64) as data:
            if not self.keys.csrf_ok(data.get("csrf")):
                return Response(BAD_CSRF + "\n", 403, media_type="text/plain")
            fields = {key: value for key, value in data.items() if isinstance(value, str)}
            provisions = [v for v in data.getlist("provision") if isinstance(v, str)]
        return fields, provisions

    async def form_for_open(
        self, request: Request
    ) -> tuple[dict[str, str], list[str], OpenAudit, Progress] | Response:
        """A form posted to the open audit: its fields and provisions, the audit and progress."""
        posted = await self.form(request)
        if isinstance(posted, Response):
            return posted
        found = self.opened()
        if isinstance(found, Response):
            return found
        return (*posted, *found)

    def opened(self) -> tuple[OpenAudit, Progress] | Response:
        """The open audit and its progress, or the start page when none is open or it broke."""
        try:
            audit = self.ws.current()
        except SafeauditError as exc:
            self.ws.close()
            return self.start_page(
                error=f"The answer file was changed outside safeaudit and cannot be used now: "
                f"{exc.message}",
                status=409,
            )
        if audit is None:
            return RedirectResponse("/", 303)
        return audit, progress(scored(audit.checklist, audit.answers))

    def start_page(self, error: str = "", status: int = 200, **form: str) -> HTMLResponse:
        audit = self.ws.audit
        prog = progress(scored(audit.checklist, audit.answers)) if audit else None
        choices = self.ws.checklist_choices()
        chosen = form.get("checklist") or self.ws.checklist_ref or ""
        if chosen not in {c.checklist.id for c in choices} and choices:
            chosen = choices[0].checklist.id
        return self.render(
            "start.html.j2",
            status,
            error=error,
            audit=audit,
            progress=prog,
            files=self.ws.files(),
            folder=str(self.ws.folder),
            choices=choices,
            chosen=chosen,
            setting_types=SETTING_TYPES,
            form={
                "file": form.get("file", self.suggested_name),
                "name": form.get("name", ""),
                "type": form.get("type", ""),
                "urn": form.get("urn", ""),
            },
            notices=self.ws.notices,
        )

    # ----------------------------------------------------------------- start

    async def start(self, request: Request) -> Response:
        return self.start_page()

    async def open_file(self, request: Request) -> Response:
        posted = await self.form(request)
        if isinstance(posted, Response):
            return posted
        fields, _ = posted
        try:
            self.ws.open(self.ws.resolve(fields.get("file", "")))
        except LockHeld as exc:
            return self.start_page(error=exc.message, status=409)
        except SafeauditError as exc:
            return self.start_page(error=exc.message, status=400)
        return RedirectResponse(self._resume_url(), 303)

    async def new_file(self, request: Request) -> Response:
        posted = await self.form(request)
        if isinstance(posted, Response):
            return posted
        fields, _ = posted
        try:
            path = self.ws.resolve(text_field(fields, "file"))
            choice = text_field(fields, "checklist")
            from safeaudit.checklists import load_checklist

            checklist = load_checklist(self.ws.checklist_ref or choice)
            kind = text_field(fields, "type")
            if kind not in SETTING_TYPES:
                raise FileProblem("Choose the kind of setting from the list.")
            if kind not in checklist.settings:
                raise FileProblem(
                    f"The checklist {checklist.title} does not cover a "
                    f"{setting_label(kind).lower()}; choose another checklist."
                )
            answers = new_answers(
                checklist,
                text_field(fields, "name"),
                kind,
                text_field(fields, "urn"),
                dt.date.today(),
            )
            self.ws.create(path, checklist, answers)
        except (InputProblem, FormProblem) as exc:
            message = exc.message if isinstance(exc, FormProblem) else str(exc)
            return self.start_page(error=message, status=400, **fields)
        except SafeauditError as exc:
            return self.start_page(error=exc.message, status=400, **fields)
        return RedirectResponse("/setting?created=1", 303)

    async def close_file(self, request: Request) -> Response:
        posted = await self.form(request)
        if isinstance(posted, Response):
            return posted
        self.ws.close()
        return RedirectResponse("/", 303)

    def _resume_url(self) -> str:
        audit = self.ws.audit
        if audit is None:
            return "/"
        prog = progress(scored(audit.checklist, audit.answers))
        place = prog.next_open
        if place is None:
            return "/review"
        area, question = place
        return f"/area/{area}?at={question}"

    # ----------------------------------------------------------------- setting

    async def setting(self, request: Request) -> Response:
        found = self.opened()
        if isinstance(found, Response):
            return found
        audit, prog = found
        return self._setting_page(audit, prog, created=bool(request.query_params.get("created")))

    def _setting_page(
        self,
        audit: OpenAudit,
        prog: Progress,
        *,
        created: bool = False,
        saved: bool = False,
        problem: FormProblem | None = None,
        submitted: Mapping[str, str] | None = None,
        provisions: list[str] | None = None,
    ) -> HTMLResponse:
        answers = audit.answers
        values = {
            "name": answers.setting.name,
            "type": answers.setting.type,
            "urn": answers.setting.urn or "",
            "completed_by": answers.completed_by,
            "audit_date": answers.audit_date.isoformat() if answers.audit_date else "",
        }
        ticked: list[str] = list(answers.setting.provision)
        if submitted is not None:
            values = {key: str(submitted.get(key, "")) for key in values}
            ticked = provisions or []
        return self.render(
            "setting.html.j2",
            400 if problem else 200,
            audit=audit,
            progress=prog,
            values=values,
            ticked=ticked,
            types=[(kind, setting_label(kind)) for kind in audit.checklist.settings],
            provisions=PROVISIONS,
            created=created,
            saved=saved,
            problem=problem,
        )

    async def save_setting(self, request: Request) -> Response:
        posted = await self.form_for_open(request)
        if isinstance(posted, Response):
            return posted
        fields, provisions, audit, prog = posted
        try:
            answers = setting_from_form(audit.checklist, audit.answers, fields, provisions)
        except FormProblem as problem:
            return self._setting_page(
                audit, prog, problem=problem, submitted=fields, provisions=provisions
            )
        self._save(answers)
        return RedirectResponse(
            self._resume_url() if fields.get("next") else "/setting?saved=1", 303
        )

    def _save(self, answers: Answers) -> None:
        self.ws.save(answers)

    # ----------------------------------------------------------------- areas

    async def area(self, request: Request) -> Response:
        found = self.opened()
        if isinstance(found, Response):
            return found
        audit, prog = found
        area_id = request.path_params["area"]
        focus = request.query_params.get("at", "")
        saved = request.query_params.get("saved", "")
        return self._area_page(audit, prog, area_id, focus=focus, saved=saved)

    def _area_page(
        self,
        audit: OpenAudit,
        prog: Progress,
        area_id: str,
        *,
        focus: str = "",
        saved: str = "",
        problem: FormProblem | None = None,
        problem_id: str = "",
        submitted: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        result = prog.result
        index = next((n for n, a in enumerate(result.areas) if a.area.id == area_id), None)
        if index is None:
            return self.render("missing.html.j2", 404, audit=audit, progress=prog, what="That area")
        area = result.areas[index]
        today = dt.date.today()
        views, hidden = area_questions(area, audit.checklist, today)
        saved_number = 0
        for view in views:
            if view.id == saved:
                saved_number = view.number
            if problem is not None and view.id == problem_id:
                fresh = question_view(
                    next(r for r in area.questions if r.question.id == problem_id),
                    view.number,
                    audit.checklist,
                    today,
                    submitted,
                )
                fresh.error_field, fresh.error = problem.field, problem.message
                fresh.autofocus = True
                views[views.index(view)] = fresh
        if problem is None and focus:
            for view in views:
                view.autofocus = view.id == focus
        previous = result.areas[index - 1].area if index > 0 else None
        following = result.areas[index + 1].area if index + 1 < len(result.areas) else None
        return self.render(
            "area.html.j2",
            400 if problem else 200,
            audit=audit,
            progress=prog,
            area=area.area,
            area_progress=prog.areas[index],
            questions=views,
            hidden=hidden,
            saved_number=saved_number,
            focus_next=problem is None and focus == "#next",
            previous=previous,
            following=following,
            problem=problem,
            problem_target=_target(problem_id, problem, views),
        )

    async def save_answer(self, request: Request) -> Response:
        posted = await self.form_for_open(request)
        if isinstance(posted, Response):
            return posted
        fields, _, audit, prog = posted
        area_id = request.path_params["area"]
        qid = request.path_params["question"]
        area = next((a for a in prog.result.areas if a.area.id == area_id), None)
        item = None
        if area is not None:
            item = next((r for r in area.questions if r.question.id == qid and shown(r)), None)
        if area is None or item is None:
            return self.render(
                "missing.html.j2", 404, audit=audit, progress=prog, what="That question"
            )
        old = audit.answers.answers.get(qid)
        try:
            answer = answer_from_form(item.question, old, fields, dt.date.today(), self.clock)
        except FormProblem as problem:
            return self._area_page(
                audit, prog, area_id, problem=problem, problem_id=qid, submitted=fields
            )
        self._save(with_answer(audit.answers, qid, answer))
        # Where to go next: the next question on this page that is still shown.
        after = progress(scored(audit.checklist, audit.answers))
        new_area = next(a for a in after.result.areas if a.area.id == area_id)
        ids = [r.question.id for r in new_area.questions if shown(r)]
        position = ids.index(qid) if qid in ids else -1
        if position + 1 < len(ids):
            target = ids[position + 1]
            return RedirectResponse(f"/area/{area_id}?saved={qid}&at={target}", 303)
        return RedirectResponse(f"/area/{area_id}?saved={qid}&at=%23next", 303)

    # ----------------------------------------------------------------- review and report

    async def review(self, request: Request) -> Response:
        found = self.opened()
        if isinstance(found, Response):
            return found
        audit, prog = found
        result = prog.result
        return self.render(
            "review.html.j2",
            audit=audit,
            progress=prog,
            unanswered=[r for r in result.unanswered if shown(r)],
            not_met=[r for r in result.gaps if r.status == "not-met"],
            partial=[r for r in result.gaps if r.status == "partial"],
            severity=SEVERITY_LABELS,
        )

    def _report_parts(self, audit: OpenAudit) -> tuple[Any, Any]:
        from safeaudit.report.options import ReportOptions

        result = scored(audit.checklist, audit.answers)
        return result, ReportOptions(generator=f"safeaudit {__version__}")

    async def report(self, request: Request) -> Response:
        found = self.opened()
        if isinstance(found, Response):
            return found
        audit, prog = found
        from safeaudit.report.formats import render
        from safeaudit.report.privacy import scan

        result, options = self._report_parts(audit)
        html = render("html", result, options)
        warnings = scan(result)
        bar = self.env.get_template("report_bar.html.j2").render(
            csrf=self.keys.csrf,
            audit=audit,
            progress=prog,
            downloads=DOWNLOADS,
            xlsx=importlib.util.find_spec("openpyxl") is not None,
            stem=audit.path.stem,
            warning_ids=[w.question_id for w in warnings],
            warning_kinds=sorted({label for w in warnings for label in w.labels}),
        )
        # Inside <main>, after the report's own skip link, which must stay first on the page.
        marker = "<main>\n" if "<main>\n" in html else "<body>\n"
        at = html.index(marker) + len(marker)
        page = html[:at] + bar.rstrip("\n") + "\n" + html[at:]
        response = HTMLResponse(page)
        response.headers["content-security-policy"] = REPORT_CSP
        return response

    async def download(self, request: Request) -> Response:
        found = self.opened()
        if isinstance(found, Response):
            return found
        audit, prog = found
        kind = request.path_params["kind"]
        if kind not in DOWNLOADS:
            return self.render("missing.html.j2", 404, audit=audit, progress=prog, what="That file")
        result, options = self._report_parts(audit)
        _label, extension, media = DOWNLOADS[kind]
        body: bytes
        if kind == "xlsx":
            if importlib.util.find_spec("openpyxl") is None:
                return Response(
                    "safeaudit: Excel workbooks need the xlsx extra: "
                    "pip install 'safeaudit[xlsx]'\n",
                    501,
                    media_type="text/plain",
                )
            from safeaudit.report.xlsx import render_workbook

            body = render_workbook(result, options)
        else:
            from safeaudit.report.formats import render

            body = render(kind, result, options).encode("utf-8")
        name = f"{audit.path.stem}-report.{extension}"
        return Response(
            body,
            media_type=media,
            headers={"content-disposition": f'attachment; filename="{_ascii(name)}"'},
        )

    async def stylesheet(self, request: Request) -> Response:
        return Response(_css(), media_type="text/css; charset=utf-8")

    async def nothing(self, request: Request) -> Response:
        return Response(status_code=204)


def _target(question_id: str, problem: FormProblem | None, views: list[Any]) -> str:
    """The id of the field a problem is about, for the link in the error summary."""
    if problem is None:
        return ""
    radio = any(v.id == question_id and v.radio for v in views)
    suffix = "-1" if radio and problem.field == "value" else ""
    return f"q-{question_id}-{problem.field}{suffix}"


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name)


@functools.cache
def _css() -> str:
    return (HERE / "static" / "serve.css").read_text(encoding="utf-8")


async def _internal_error(request: Request, exc: Exception) -> Response:
    # Never the exception's text: it could quote answers. The answers saved so far are safe.
    return Response(
        "safeaudit: something went wrong that should not have (a bug in safeaudit). Every "
        "answer already saved is safe in the answer file; go back and try again, or stop "
        "safeaudit with Ctrl-C and run it again with --debug.\n",
        500,
        media_type="text/plain",
    )


def create_app(
    workspace: Workspace,
    keys: Keys,
    *,
    clock: Callable[[], dt.datetime] = now,
    suggested_name: str = "",
) -> Guard:
    """The whole application behind its guard: what uvicorn serves (and tests call)."""
    pages = Pages(workspace, keys, clock=clock, suggested_name=suggested_name)
    routes = [
        Route("/", pages.start, methods=["GET"]),
        Route("/open", pages.open_file, methods=["POST"]),
        Route("/new", pages.new_file, methods=["POST"]),
        Route("/close", pages.close_file, methods=["POST"]),
        Route("/setting", pages.setting, methods=["GET"]),
        Route("/setting", pages.save_setting, methods=["POST"]),
        Route("/area/{area}", pages.area, methods=["GET"]),
        Route("/area/{area}/{question}", pages.save_answer, methods=["POST"]),
        Route("/review", pages.review, methods=["GET"]),
        Route("/report", pages.report, methods=["GET"]),
        Route("/report/download/{kind}", pages.download, methods=["GET"]),
        Route("/static/serve.css", pages.stylesheet, methods=["GET"]),
        Route("/favicon.ico", pages.nothing, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={Exception: _internal_error})
    return Guard(app, keys)
