"""serve offers "don't know" on the questions whose checklist offers it, and saves it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from conftest import EXAMPLES
from safeaudit.serve.app import create_app
from safeaudit.serve.guard import Keys
from safeaudit.serve.workspace import Workspace

HOST = "127.0.0.1:8765"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "secondary-kcsie-2026.yaml", tmp_path / "school.yaml")
    return tmp_path


@pytest.fixture
def keys() -> Keys:
    return Keys(HOST)


@pytest.fixture
def web(folder: Path, keys: Keys) -> Iterator[TestClient]:
    workspace = Workspace(folder)
    c = TestClient(create_app(workspace, keys), base_url=f"http://{HOST}", follow_redirects=False)
    assert c.get(f"/?token={keys.token}").status_code == 303
    assert c.post("/open", data={"csrf": keys.csrf, "file": "school.yaml"}).status_code == 303
    yield c
    workspace.close()


def _saved(folder: Path, qid: str) -> object:
    data = yaml.safe_load((folder / "school.yaml").read_text(encoding="utf-8"))
    return data["answers"][qid]


def test_dont_know_is_offered_only_where_the_checklist_offers_it(web: TestClient) -> None:
    page = web.get("/area/filtering").text
    assert 'id="q-filtering.safe-search-value-dk"' in page
    assert "know: we need to ask your IT support or filtering provider" in page
    assert 'id="q-filtering.unblock-route-value-dk"' not in page
    assert "-value-dk" not in web.get("/area/dsl").text


def test_dont_know_is_saved_with_its_owner_and_shown_as_not_met(
    web: TestClient, keys: Keys, folder: Path
) -> None:
    posted = web.post(
        "/area/filtering/filtering.safe-search",
        data={"csrf": keys.csrf, "value": "dont-know", "owner": "DSL", "due": ""},
    )
    assert posted.status_code == 303, posted.text
    answer = _saved(folder, "filtering.safe-search")
    assert isinstance(answer, dict)
    assert answer["value"] == "dont-know" and answer["owner"] == "DSL"
    page = web.get("/area/filtering").text
    assert "Not known: ask your IT support or filtering provider." in page


def test_dont_know_is_refused_where_it_is_not_offered(
    web: TestClient, keys: Keys, folder: Path
) -> None:
    before = _saved(folder, "filtering.unblock-route")
    refused = web.post(
        "/area/filtering/filtering.unblock-route",
        data={"csrf": keys.csrf, "value": "dont-know"},
    )
    assert refused.status_code == 400
    assert _saved(folder, "filtering.unblock-route") == before
