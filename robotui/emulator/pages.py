"""The HTML the emulator serves (`/auth`, `/docs`) and its OpenAPI 3.1 document."""

from __future__ import annotations

import html
import json
from typing import Any

from robotui import __version__
from robotui.emulator.faults import FAULTS
from robotui.emulator.validation import AGENTS, GITHUB_USERNAME

__all__ = ["auth_page", "docs_page", "openapi_document"]

_STYLE = """
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f7f8fb; }
  header { background: #1f3b73; color: #fff; padding: 14px 32px; }
  header a { color: #cfe0ff; margin-right: 18px; text-decoration: none; }
  main { max-width: 860px; margin: 24px auto; padding: 0 24px; }
  pre { background: #fff; border: 1px solid #d9dde8; border-radius: 6px; padding: 12px;
        overflow-x: auto; }
  #token { word-break: break-all; white-space: pre-wrap; border-color: #1f3b73; }
  code { background: #eef1f7; padding: 1px 4px; border-radius: 3px; }
  .method { display: inline-block; min-width: 52px; font-weight: 700; color: #fff;
            border-radius: 4px; padding: 2px 8px; text-align: center; }
  .get { background: #2f80ed; } .post { background: #27ae60; }
  section.endpoint { background: #fff; border: 1px solid #d9dde8; border-radius: 8px;
                     padding: 12px 18px; margin: 18px 0; }
  table { border-collapse: collapse; } td, th { padding: 3px 10px; text-align: left; }
  footer { color: #6b7385; font-size: 13px; margin: 40px 0; }
"""


def auth_page(token: str, *, expires_in: float) -> str:
    """The page `GET /auth` serves: the token in `<pre id="token">`, among decoys."""
    minutes = max(1, round(expires_in / 60))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Robocoders API — Access token</title>
  <style>{_STYLE}</style>
  <script>
    window.dataLayer = window.dataLayer || [];
    function copyToken() {{
      const text = document.getElementById("token").textContent.trim();
      navigator.clipboard.writeText(text).then(() => {{
        document.getElementById("copied").hidden = false;
      }});
    }}
  </script>
</head>
<body>
  <header>
    <strong>Robocoders.ai</strong> &nbsp;
    <a href="/docs">API docs</a><a href="/openapi.json">OpenAPI</a>
  </header>
  <main>
    <h1>Your API access token</h1>
    <p>Use this JWT in the <code>Authorization</code> header of every request.
       It expires in about {minutes} minutes; come back to this page for a new one.</p>
    <pre class="example">Authorization: Bearer &lt;ACCESS_TOKEN&gt;</pre>
    <p>Your token:</p>
    <pre id="token">
      {html.escape(token)}
    </pre>
    <button type="button" onclick="copyToken()">Copy token</button>
    <span id="copied" hidden>Copied ✓</span>
    <h2>Step 1: start a session</h2>
    <pre class="example">curl -X GET https://api.robocoders.ai/create-session \\
  -H 'Authorization: Bearer &lt;ACCESS_TOKEN&gt;'</pre>
    <h2>Step 2: talk to an agent</h2>
    <pre class="example">curl -X POST https://api.robocoders.ai/chat \\
  -H 'Content-Type: application/json' \\
  -H 'Authorization: Bearer &lt;ACCESS_TOKEN&gt;' \\
  -d '{{"sid": "&lt;SESSION_ID&gt;", "agent": "GeneralCodingAgent",
       "prompt": "Write a hello world in Go"}}'</pre>
    <p>Agents: {", ".join(f"<code>{name}</code>" for name in AGENTS)}.</p>
    <footer>robotui emulator {__version__} · a local stand-in for api.robocoders.ai</footer>
  </main>
</body>
</html>
"""


def _error_schemas() -> dict[str, Any]:
    return {
        "HTTPError": {
            "title": "HTTPError",
            "type": "object",
            "properties": {"detail": {"title": "Detail", "type": "string"}},
            "required": ["detail"],
        },
        "ValidationError": {
            "title": "ValidationError",
            "type": "object",
            "properties": {
                "loc": {
                    "title": "Location",
                    "type": "array",
                    "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                },
                "msg": {"title": "Message", "type": "string"},
                "type": {"title": "Error Type", "type": "string"},
                "input": {"title": "Input"},
                "ctx": {"title": "Context", "type": "object"},
            },
            "required": ["loc", "msg", "type"],
        },
        "HTTPValidationError": {
            "title": "HTTPValidationError",
            "type": "object",
            "properties": {
                "detail": {
                    "title": "Detail",
                    "anyOf": [
                        {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/ValidationError"},
                        },
                        {"type": "string"},
                    ],
                }
            },
        },
    }


def _json_response(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _errors(*codes: int) -> dict[str, Any]:
    described = {
        401: ("Missing, invalid or expired token", "HTTPError"),
        404: ("Unknown session, or a session of another token", "HTTPError"),
        422: ("Validation Error", "HTTPValidationError"),
        429: ("Too many requests; see the Retry-After header", "HTTPError"),
        503: ("Temporarily unavailable; may carry Retry-After", "HTTPError"),
    }
    return {str(code): _json_response(*described[code]) for code in codes}


def openapi_document() -> dict[str, Any]:
    """An OpenAPI 3.1 description of the four endpoints."""
    bearer = [{"HTTPBearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Robocoders API",
            "version": "1.0.0",
            "description": "Coding agents over HTTP: get a token, open a session, stream an "
            "agent's work as newline-delimited OpenHands events. Served here by the robotui "
            f"emulator {__version__}; fault names for `/fault NAME`: {', '.join(FAULTS)}.",
        },
        "paths": {
            "/auth": {
                "get": {
                    "summary": "Get an access token",
                    "description": 'An HTML page; the token is the text of `<pre id="token">`.',
                    "operationId": "auth",
                    "responses": {
                        "200": {
                            "description": "The token page",
                            "content": {"text/html": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
            "/create-session": {
                "get": {
                    "summary": "Create a session",
                    "operationId": "create_session",
                    "security": bearer,
                    "responses": {
                        "200": _json_response("The new session", "SessionCreated"),
                        **_errors(401, 422),
                    },
                }
            },
            "/chat": {
                "post": {
                    "summary": "Send a prompt and stream the agent's work",
                    "description": "One JSON event per line. An agent `message` with "
                    "`wait_for_response: true` means the turn stopped at the resource limit: "
                    "send `continue` with the same sid and agent to resume.",
                    "operationId": "chat",
                    "security": bearer,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ChatRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "OpenHands events, one per line",
                            "content": {
                                "application/x-ndjson": {
                                    "schema": {"type": "string"},
                                    "example": '{"id": 3, '
                                    '"timestamp": "2024-12-10T14:03:13.137899", '
                                    '"source": "user", "message": "Hi", "action": "message", '
                                    '"args": {"content": "Hi", "image_urls": null, '
                                    '"wait_for_response": false}}\n',
                                }
                            },
                        },
                        **_errors(401, 404, 422, 429, 503),
                    },
                }
            },
            "/get-session-code": {
                "post": {
                    "summary": "Get the code a session produced",
                    "description": "Invites the GitHub user to a repository holding the "
                    "session's workspace.",
                    "operationId": "get_session_code",
                    "security": bearer,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/SessionCodeRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": _json_response("The repository", "SessionCode"),
                        **_errors(401, 404, 422),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"HTTPBearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "ChatRequest": {
                    "title": "ChatRequest",
                    "type": "object",
                    "properties": {
                        "sid": {"title": "Sid", "type": "string"},
                        "prompt": {"title": "Prompt", "type": "string"},
                        "agent": {"title": "Agent", "type": "string", "enum": list(AGENTS)},
                    },
                    "required": ["sid", "prompt", "agent"],
                },
                "SessionCreated": {
                    "title": "SessionCreated",
                    "type": "object",
                    "properties": {"sid": {"title": "Sid", "type": "string"}},
                    "required": ["sid"],
                },
                "SessionCodeRequest": {
                    "title": "SessionCodeRequest",
                    "type": "object",
                    "properties": {
                        "sid": {"title": "Sid", "type": "string"},
                        "github_username": {
                            "title": "Github Username",
                            "type": "string",
                            "pattern": GITHUB_USERNAME,
                        },
                    },
                    "required": ["sid", "github_username"],
                },
                "SessionCode": {
                    "title": "SessionCode",
                    "type": "object",
                    "properties": {
                        "repo_url": {"title": "Repo Url", "type": "string", "format": "uri"},
                        "message": {"title": "Message", "type": "string"},
                    },
                    "required": ["repo_url"],
                },
                **_error_schemas(),
            },
        },
    }


def _schema_table(document: dict[str, Any], ref: str) -> str:
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    required = set(schema.get("required", []))
    rows = []
    for name, spec in schema["properties"].items():
        kind = spec.get("type", "any")
        if "enum" in spec:
            kind += " (" + " | ".join(spec["enum"]) + ")"
        if "pattern" in spec:
            kind += f" matching <code>{html.escape(spec['pattern'])}</code>"
        needed = "required" if name in required else "optional"
        rows.append(f"<tr><td><code>{name}</code></td><td>{kind}</td><td>{needed}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def docs_page() -> str:
    """A self-contained page documenting every endpoint (no external assets)."""
    document = openapi_document()
    sections = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parts = [
                f'<section class="endpoint" id="{operation["operationId"]}">',
                f'<h2><span class="method {method}">{method.upper()}</span> '
                f"<code>{path}</code> — {html.escape(operation['summary'])}</h2>",
            ]
            if "description" in operation:
                parts.append(f"<p>{html.escape(operation['description'])}</p>")
            if "security" in operation:
                parts.append("<p>Requires <code>Authorization: Bearer &lt;token&gt;</code>.</p>")
            body = operation.get("requestBody")
            if body:
                ref = body["content"]["application/json"]["schema"]["$ref"]
                parts.append("<h3>Request body (JSON)</h3>" + _schema_table(document, ref))
            parts.append("<h3>Responses</h3><ul>")
            for code, response in operation["responses"].items():
                parts.append(
                    f"<li><strong>{code}</strong> {html.escape(response['description'])}</li>"
                )
            parts.append("</ul></section>")
            sections.append("\n".join(parts))
    example = html.escape(
        json.dumps(
            {
                "sid": "<SESSION_ID>",
                "prompt": "/fault split\nWrite fizzbuzz in Rust",
                "agent": "GeneralCodingAgent",
            }
        )
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(document["info"]["title"])} — docs</title>
  <style>{_STYLE}</style>
</head>
<body>
  <header><strong>{html.escape(document["info"]["title"])}</strong> {document["info"]["version"]}
    &nbsp; <a href="/openapi.json">openapi.json</a><a href="/auth">Get a token</a></header>
  <main>
    <p>{html.escape(document["info"]["description"])}</p>
    {"".join(sections)}
    <h2>Fault injection</h2>
    <p>Start a prompt with a line <code>/fault NAME[,NAME…]</code> to inject a fault into that
       request; the rest of the prompt is answered as usual where the fault allows.
       Example body:</p>
    <pre>{example}</pre>
    <footer>robotui emulator {__version__}</footer>
  </main>
</body>
</html>
"""
