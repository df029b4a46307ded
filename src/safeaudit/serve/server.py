"""Running the web application on 127.0.0.1 with uvicorn, quietly, until Ctrl-C."""

from __future__ import annotations

import logging
import signal
import socket
import threading
import webbrowser
from collections.abc import Callable
from types import FrameType

import uvicorn

from safeaudit.output import handlers_installed
from safeaudit.serve.app import create_app
from safeaudit.serve.guard import Keys
from safeaudit.serve.workspace import Workspace

#: Loopback only: the pages are never reachable from another computer.
LOOPBACK = "127.0.0.1"

#: The signals that stop the server cleanly (uvicorn handles the same ones while it runs).
_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK")


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (a free port unless one is given)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((LOOPBACK, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    return sock


def quiet_logging() -> None:
    """Nothing logged: no access log, no start-up chatter (answers never reach a log)."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
        logger = logging.getLogger(name)
        logger.handlers = [logging.NullHandler()]
        logger.propagate = False
        logger.setLevel(logging.CRITICAL + 1)


def make_server(
    workspace: Workspace, sock: socket.socket, *, suggested_name: str = ""
) -> tuple[uvicorn.Server, Keys]:
    """A uvicorn server for the application on `sock`, and the keys of its address."""
    host, port = sock.getsockname()[:2]
    keys = Keys(f"{host}:{port}")
    app = create_app(workspace, keys, suggested_name=suggested_name)
    quiet_logging()
    config = uvicorn.Config(
        app,
        log_config=None,
        access_log=False,
        log_level="critical",
        lifespan="off",
        server_header=False,
        date_header=False,
        proxy_headers=False,
        ws="none",
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config), keys


def serve(
    workspace: Workspace,
    *,
    open_browser: bool,
    announce: Callable[[str], None],
    suggested_name: str = "",
    port: int = 0,
) -> None:
    """Serve until Ctrl-C (uvicorn stops cleanly on it); every answer is already saved."""
    sock = bind(port)
    try:
        server, keys = make_server(workspace, sock, suggested_name=suggested_name)
        announce(keys.address)
        if open_browser:
            # A moment later, so the server is listening when the browser asks.
            threading.Timer(0.3, webbrowser.open, args=(keys.address,)).start()
        stops: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stops.append(signum)
            server.should_exit = True

        # Until uvicorn installs its own handlers (and after it puts ours back and hands the
        # signal on), a signal only asks the server to stop: raising from a handler while
        # asyncio builds its event loop left a half-made loop that printed a traceback.
        with handlers_installed(_STOP_SIGNALS, stop, keep_ignored=True):
            server.run(sockets=[sock])
        if stops:
            signal.raise_signal(stops[0])  # now as the command's own handlers decide: 143, 129
    except KeyboardInterrupt:  # Ctrl-C: the end
        pass
    finally:
        sock.close()
