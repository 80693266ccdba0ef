"""Problem-JSON errors in the shape Leaf is seen to send: {type, title, status, path, message,
errorKey}, the human text in `title` (and `message`), `fieldErrors` for validation failures, and
no `detail` (leaf-api-notes.md, "Errors and limits")."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

PROBLEM_TYPE = "https://www.jhipster.tech/problem/problem-with-message"
CONSTRAINT_TYPE = "https://www.jhipster.tech/problem/constraint-violation"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    object_name: str = "request"

    def to_json(self) -> dict[str, str]:
        return {"objectName": self.object_name, "field": self.field, "message": self.message}


@dataclass
class ApiError(Exception):
    """Raised anywhere in a handler; the app turns it into problem JSON."""

    status: int
    detail: str
    field_errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}"


def bad_request(detail: str, *errors: FieldError) -> ApiError:
    return ApiError(400, detail, list(errors))


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found")


def error_key(status: int, field_errors: list[FieldError] | None = None) -> str:
    """JHipster's machine-readable key: "validation", or the status phrase in snake case."""
    if field_errors:
        return "validation"
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return f"http_{status}"


def problem_body(
    path: str, status: int, text: str, field_errors: list[FieldError] | None = None
) -> dict[str, Any]:
    errors = field_errors or []
    body: dict[str, Any] = {
        "type": CONSTRAINT_TYPE if errors else PROBLEM_TYPE,
        "title": text,
        "status": status,
        "path": path,
        "message": text,
        "errorKey": error_key(status, errors),
    }
    if errors:
        body["fieldErrors"] = [e.to_json() for e in errors]
    return body


def problem(
    path: str,
    status: int,
    detail: str,
    field_errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(path, status, detail, field_errors),
        status_code=status,
        headers=headers,
        media_type="application/problem+json",
    )


def problem_for(request: Request, exc: ApiError) -> JSONResponse:
    return problem(request.url.path, exc.status, exc.detail, exc.field_errors, exc.headers)
