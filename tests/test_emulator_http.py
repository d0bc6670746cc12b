"""The emulator's HTTP surface over real sockets: endpoints, status codes, error shapes."""

from __future__ import annotations

import json

import httpx
import pytest
from bs4 import BeautifulSoup

from robotui.emulator import EmulatorConfig, create_app


def test_auth_is_a_realistic_page_with_the_token_among_decoys(emulator_api):
    page = emulator_api.http.get("/auth")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    soup = BeautifulSoup(page.text, "html.parser")
    assert page.text.startswith("<!DOCTYPE html>")
    assert soup.title is not None and soup.find("meta") and soup.find("script")
    pres = soup.find_all("pre")
    assert len(pres) >= 3  # the token is not the only <pre>
    raw = soup.find("pre", id="token").get_text()
    assert raw != raw.strip()  # whitespace around the token, as on the real page
    header, payload, signature = raw.strip().split(".")
    assert header.startswith("eyJ") and payload and signature


def test_each_visit_to_auth_gives_a_new_token(emulator_api):
    assert emulator_api.fetch_token() != emulator_api.fetch_token()


def test_create_session_returns_a_sid(emulator_api):
    response = emulator_api.http.get("/create-session", headers=emulator_api.bearer())
    assert response.status_code == 200
    assert set(response.json()) == {"sid"}
    assert len(response.json()["sid"]) == 36


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Not authenticated"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Invalid authentication credentials"),
        ({"Authorization": "Bearer not-a-token"}, "Invalid or expired token"),
    ],
)
def test_create_session_without_a_valid_token_is_401(emulator_api, headers, detail):
    response = emulator_api.http.get("/create-session", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response.headers["www-authenticate"] == "Bearer"


def test_chat_streams_ndjson_one_event_per_line(emulator_api):
    response = emulator_api.post_chat("hello")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert "content-length" not in response.headers  # streamed, chunked
    lines = response.content.split(b"\n")
    assert lines[-1] == b""  # every line ends with \n
    assert all(isinstance(json.loads(line), dict) for line in lines[:-1])


def test_chat_checks_the_token_before_the_body(emulator_api):
    response = emulator_api.http.post(
        "/chat", content=b"{not json", headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401


def test_chat_missing_field_is_fastapi_422(emulator_api):
    response = emulator_api.http.post(
        "/chat", json={"sid": emulator_api.sid, "agent": "RepoAgent"}, headers=emulator_api.bearer()
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body", "prompt"],
                "msg": "Field required",
                "input": {"sid": emulator_api.sid, "agent": "RepoAgent"},
            }
        ]
    }


def test_chat_lists_every_invalid_field_at_once(emulator_api):
    response = emulator_api.http.post(
        "/chat", json={"sid": 12, "prompt": None}, headers=emulator_api.bearer()
    )
    assert response.status_code == 422
    problems = {(tuple(item["loc"]), item["type"]) for item in response.json()["detail"]}
    assert problems == {
        (("body", "sid"), "string_type"),
        (("body", "prompt"), "string_type"),
        (("body", "agent"), "missing"),
    }


def test_unknown_agent_is_422_naming_the_allowed_agents(emulator_api):
    response = emulator_api.post_chat("hi", "SuperAgent")
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "agent"]
    assert item["input"] == "SuperAgent"
    for agent in ("GeneralCodingAgent", "RepoAgent", "FrontEndAgent"):
        assert agent in item["msg"]


def test_invalid_json_is_fastapis_json_invalid(emulator_api):
    response = emulator_api.http.post(
        "/chat",
        content=b'{"sid": "x", "prompt": ',
        headers={**emulator_api.bearer(), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["type"] == "json_invalid"
    assert item["loc"] == ["body", 23]
    assert item["msg"] == "JSON decode error"
    assert item["ctx"] == {"error": "Expecting value"}


@pytest.mark.parametrize(
    ("content", "content_type", "loc", "kind"),
    [
        (b"", "application/json", ["body"], "missing"),
        (b"[1, 2]", "application/json", ["body"], "model_attributes_type"),
        (b"sid=1", "application/x-www-form-urlencoded", ["body"], "model_attributes_type"),
    ],
)
def test_bodies_that_are_not_objects_are_422(emulator_api, content, content_type, loc, kind):
    response = emulator_api.http.post(
        "/chat",
        content=content,
        headers={**emulator_api.bearer(), "Content-Type": content_type},
    )
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert (item["loc"], item["type"]) == (loc, kind)


def test_unknown_session_is_404_naming_the_session(emulator_api):
    response = emulator_api.post_chat("hi", body={"sid": "no-such-session"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Session not found: no-such-session"}


def test_sessions_belong_to_the_token_that_made_them(emulator_api):
    mine = emulator_api.new_session()
    other_token = emulator_api.fetch_token()
    response = emulator_api.post_chat(
        "hi", body={"sid": mine}, headers=emulator_api.bearer(other_token)
    )
    assert response.status_code == 404
    assert "session" in response.json()["detail"].lower()
    assert emulator_api.post_chat("hi", body={"sid": mine}).status_code == 200


def test_tokens_expire_after_their_ttl(start_emulator, emulator_clock):
    from conftest import EmulatorApi

    api = EmulatorApi(start_emulator(token_ttl=60).base_url)
    sid = api.sid
    emulator_clock.advance(59.9)
    assert api.post_chat("hi").status_code == 200
    emulator_clock.advance(0.2)
    expired = api.post_chat("hi")
    assert expired.status_code == 401
    assert expired.json() == {"detail": "Token has expired"}
    # An expired token is gone for good, and its sessions with it.
    assert api.http.get("/create-session", headers=api.bearer()).status_code == 401
    fresh = api.fetch_token()
    assert api.post_chat("hi", body={"sid": sid}, headers=api.bearer(fresh)).status_code == 404
    api.close()


def test_unknown_fault_in_a_prompt_is_422_naming_it(emulator_api):
    response = emulator_api.post_chat("/fault 418\nhi")
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "prompt"]
    assert "unknown fault '418'" in item["msg"]


def test_get_session_code_returns_a_repository(emulator_api):
    emulator_api.chat("Write a function in Python that computes the factorial of n")
    response = emulator_api.http.post(
        "/get-session-code",
        json={"sid": emulator_api.sid, "github_username": "octo-cat"},
        headers=emulator_api.bearer(),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["repo_url"].startswith("https://github.com/robocoders-sessions/")
    assert emulator_api.sid[:8] in body["repo_url"]
    assert "@octo-cat" in body["message"]
    assert "/workspace/factorial.py" in body["files"]


@pytest.mark.parametrize("username", ["-octo", "octo-", "oc--to", "a" * 40, "octo cat", ""])
def test_get_session_code_validates_github_usernames(emulator_api, username):
    response = emulator_api.http.post(
        "/get-session-code",
        json={"sid": emulator_api.sid, "github_username": username},
        headers=emulator_api.bearer(),
    )
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "github_username"]
    assert item["type"] == "string_pattern_mismatch"


def test_get_session_code_for_an_unknown_session_is_404(emulator_api):
    response = emulator_api.http.post(
        "/get-session-code",
        json={"sid": "gone", "github_username": "octocat"},
        headers=emulator_api.bearer(),
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Session not found: gone"}


def test_get_session_code_needs_a_token(emulator_api):
    response = emulator_api.http.post(
        "/get-session-code", json={"sid": "x", "github_username": "octocat"}
    )
    assert response.status_code == 401


def test_unknown_paths_and_wrong_methods_answer_like_fastapi(emulator_api):
    missing = emulator_api.http.get("/nope")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
    wrong = emulator_api.http.get("/chat")
    assert (wrong.status_code, wrong.json()) == (405, {"detail": "Method Not Allowed"})
    assert "POST" in wrong.headers["allow"]
    assert emulator_api.http.post("/auth").status_code == 405


def test_openapi_document_describes_the_four_endpoints(emulator_api):
    document = emulator_api.http.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {"/auth", "/create-session", "/chat", "/get-session-code"}
    assert document["paths"]["/chat"]["post"]["requestBody"]["required"] is True
    # Every reference resolves.
    text = json.dumps(document)
    for name in {part.split('"')[0] for part in text.split("#/components/schemas/")[1:]}:
        assert name in document["components"]["schemas"]


def test_docs_page_lists_every_endpoint(emulator_api):
    page = emulator_api.http.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    soup = BeautifulSoup(page.text, "html.parser")
    headings = " ".join(h2.get_text(" ") for h2 in soup.find_all("h2"))
    for path in ("/auth", "/create-session", "/chat", "/get-session-code"):
        assert path in headings
    assert "http" not in " ".join(tag.get("src", "") for tag in soup.find_all(["script", "link"]))


async def test_the_app_also_runs_in_process_without_a_server():
    """`create_app` is a plain ASGI app: usable with httpx's ASGI transport."""
    transport = httpx.ASGITransport(app=create_app(EmulatorConfig(speed=0)))
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        assert (await http.get("/openapi.json")).status_code == 200
        assert (await http.get("/auth")).status_code == 200
