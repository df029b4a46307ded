"""Benchmark: `safeaudit serve` saving one answer and showing the next page, against a bare page.

On the 126-question kcsie-2026-online-safety checklist, one round is what a person's click costs:
POST one answer (written atomically to the answer file under the lock, with fsync) and GET the
area page it leads to. The baseline is a bare Starlette endpoint on uvicorn that returns a fixed
page of the same size. Both servers run on 127.0.0.1 in this process, are asked alternately over
kept-alive connections, and the figures are printed as a ratio, never asserted.

    .venv/bin/python benchmarks/serve_bench.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from safeaudit.checklists import load_checklist
from safeaudit.model import Answer
from safeaudit.questionnaire.starting import new_answers
from safeaudit.serve.server import bind, make_server, quiet_logging
from safeaudit.serve.workspace import Workspace
from safeaudit.store import save_answers

CHECKLIST = "kcsie-2026-online-safety"
AREA = "filtering"


def start(server: uvicorn.Server, sock: object) -> threading.Thread:
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    return thread


def timed(action: Callable[[], None]) -> float:
    begin = time.perf_counter()
    action()
    return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    checklist = load_checklist(CHECKLIST)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.yaml"
        answers = new_answers(checklist, "Benchmark Primary", "primary", None, dt.date.today())
        # A realistic file: most questions already answered, with evidence.
        filled = {
            q.id: Answer(value="partial", evidence="Checked in the termly log.", owner="DSL")
            for _area, q in checklist.questions()
            if q.kind == "yes-partial-no"
        }
        save_answers(path, answers.model_copy(update={"answers": filled}))
        workspace = Workspace(Path(folder))
        workspace.open(path)
        sock = bind()
        server, keys = make_server(workspace, sock)
        start(server, sock)
        area = next(a for a in checklist.areas if a.id == AREA)
        ids = [
            q.id
            for q in area.questions
            if q.kind == "yes-partial-no"
            and q.when is None
            and q.applies_to_setting("primary", checklist.settings)
        ]

        with httpx.Client(base_url=keys.origin, timeout=30) as web:
            web.get(keys.address)
            page = web.get(f"/area/{AREA}")
            found = re.search(r'name="csrf" value="([^"]+)"', page.text)
            assert found is not None
            csrf = found.group(1)
            size = len(page.content)

            fixed = "<!DOCTYPE html>" + "x" * (size - 15)

            async def bare_page(request: Request) -> HTMLResponse:
                return HTMLResponse(fixed)

            quiet_logging()
            bare_sock = bind()
            bare = uvicorn.Server(
                uvicorn.Config(
                    Starlette(routes=[Route("/", bare_page)]),
                    log_config=None,
                    access_log=False,
                    log_level="critical",
                    lifespan="off",
                )
            )
            start(bare, bare_sock)
            host, port = bare_sock.getsockname()[:2]
            with httpx.Client(base_url=f"http://{host}:{port}", timeout=30) as plain:
                values = ("yes", "partial", "no")
                counter = [0]

                def answer_and_next() -> None:
                    n = counter[0]
                    counter[0] += 1
                    qid = ids[n % len(ids)]
                    saved = web.post(
                        f"/area/{AREA}/{qid}",
                        data={"csrf": csrf, "value": values[n % 3], "evidence": f"Check {n}"},
                    )
                    assert saved.status_code == 303, saved.status_code
                    shown = web.get(saved.headers["location"])
                    assert shown.status_code == 200

                def fixed_page() -> None:
                    assert plain.get("/").status_code == 200

                for _ in range(10):  # warm up both
                    answer_and_next()
                    fixed_page()
                ours: list[float] = []
                bases: list[float] = []
                for _ in range(args.repeat):
                    ours.append(timed(answer_and_next))
                    bases.append(timed(fixed_page))
            bare.should_exit = True
        server.should_exit = True
        time.sleep(0.3)
        workspace.close()
    ours_ms = statistics.median(ours) * 1000
    base_ms = statistics.median(bases) * 1000
    print(
        f"checklist: {CHECKLIST} ({len(checklist.questions())} questions); area page {size:,} bytes"
    )
    print(f"baseline:  bare Starlette page of the same size   median {base_ms:6.2f} ms")
    print(f"serve:     save one answer + show the next page   median {ours_ms:6.2f} ms")
    print(f"ratio:     {ours_ms / base_ms:.1f}x the bare page ({args.repeat} rounds each)")


if __name__ == "__main__":
    main()
