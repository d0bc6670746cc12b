"""Request bodies validated the way FastAPI and pydantic 2 do, with the same errors.

A 422 body is `{"detail": [{"type", "loc", "msg", "input", ("ctx")}, ...]}`, every
problem listed at once, exactly as a FastAPI service answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AGENTS",
    "GITHUB_USERNAME",
    "RequestInvalid",
    "parse_json_body",
    "validate_fields",
]

AGENTS = ("GeneralCodingAgent", "RepoAgent", "FrontEndAgent")

# GitHub: 1–39 characters, letters, digits and single hyphens, no hyphen at either end.
GITHUB_USERNAME = r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$"

ErrorItem = dict[str, Any]


class RequestInvalid(Exception):
    """A 422: `errors` is the list that becomes `detail`."""

    def __init__(self, errors: list[ErrorItem]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Field:
    """A required string field of a request model."""

    name: str
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    min_length: int = 0


def parse_json_body(raw: bytes, content_type: str | None) -> Any:
    """The decoded body, or `RequestInvalid` as FastAPI reports a bad one."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    is_json = not media_type or media_type == "application/json" or media_type.endswith("+json")
    if not raw:
        raise RequestInvalid([_error("missing", ["body"], "Field required", None)])
    if not is_json:
        # FastAPI hands a non-JSON body to the model as it is, which then fails.
        text = raw.decode("utf-8", errors="replace")
        raise RequestInvalid([_model_type_error(text)])
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise RequestInvalid(
            [
                {
                    "type": "json_invalid",
                    "loc": ["body", error.pos],
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": error.msg},
                }
            ]
        ) from None
    except UnicodeDecodeError:
        raise RequestInvalid(
            [
                {
                    "type": "json_invalid",
                    "loc": ["body", 0],
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": "Invalid UTF-8"},
                }
            ]
        ) from None


def validate_fields(body: Any, fields: tuple[Field, ...]) -> dict[str, str]:
    """The fields of `body` as strings, or `RequestInvalid` listing every problem."""
    if not isinstance(body, Mapping):
        raise RequestInvalid([_model_type_error(body)])
    errors: list[ErrorItem] = []
    values: dict[str, str] = {}
    for field in fields:
        loc = ["body", field.name]
        if field.name not in body:
            errors.append(_error("missing", loc, "Field required", dict(body)))
            continue
        value = body[field.name]
        if not isinstance(value, str):
            errors.append(_error("string_type", loc, "Input should be a valid string", value))
            continue
        if field.choices and value not in field.choices:
            expected = _or_list(field.choices)
            errors.append(
                _error("enum", loc, f"Input should be {expected}", value, {"expected": expected})
            )
            continue
        if len(value) < field.min_length:
            errors.append(
                _error(
                    "string_too_short",
                    loc,
                    f"String should have at least {field.min_length} character"
                    + ("s" if field.min_length != 1 else ""),
                    value,
                    {"min_length": field.min_length},
                )
            )
            continue
        if field.pattern is not None and not re.match(field.pattern, value):
            errors.append(
                _error(
                    "string_pattern_mismatch",
                    loc,
                    f"String should match pattern '{field.pattern}'",
                    value,
                    {"pattern": field.pattern},
                )
            )
            continue
        values[field.name] = value
    if errors:
        raise RequestInvalid(errors)
    return values


def _error(
    kind: str, loc: list[Any], msg: str, value: Any, ctx: dict[str, Any] | None = None
) -> ErrorItem:
    item: ErrorItem = {"type": kind, "loc": loc, "msg": msg, "input": value}
    if ctx is not None:
        item["ctx"] = ctx
    return item


def _model_type_error(value: Any) -> ErrorItem:
    return _error(
        "model_attributes_type",
        ["body"],
        "Input should be a valid dictionary or object to extract fields from",
        value,
    )


def _or_list(choices: tuple[str, ...]) -> str:
    quoted = [f"'{choice}'" for choice in choices]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


CHAT_FIELDS = (Field("sid"), Field("prompt"), Field("agent", choices=AGENTS))
SESSION_CODE_FIELDS = (Field("sid"), Field("github_username", pattern=GITHUB_USERNAME))
