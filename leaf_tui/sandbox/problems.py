"""Problem-JSON errors, JHipster style:
{type, title, status, detail, path, message, fieldErrors}."""

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


def problem(
    path: str,
    status: int,
    detail: str,
    field_errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    errors = field_errors or []
    body: dict[str, Any] = {
        "type": CONSTRAINT_TYPE if errors else PROBLEM_TYPE,
        "title": "Method argument not valid" if errors else title,
        "status": status,
        "detail": detail,
        "path": path,
        "message": "error.validation" if errors else f"error.http.{status}",
        "fieldErrors": [e.to_json() for e in errors],
    }
    return JSONResponse(
        body, status_code=status, headers=headers, media_type="application/problem+json"
    )


def problem_for(request: Request, exc: ApiError) -> JSONResponse:
    return problem(request.url.path, exc.status, exc.detail, exc.field_errors, exc.headers)
