"""Every body shape Leaf (or a proxy in front of it) might answer with becomes an error whose
message says what failed and what to do."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from leaf_tui.api import (
    AuthError,
    Conflict,
    FieldError,
    Gone,
    Invalid,
    LeafError,
    NotFound,
    RateLimited,
    ServerError,
)
from leaf_tui.api.error_map import error_from_response, parse_retry_after, read_problem
from leaf_tui.common import clock

PROBLEM = "application/problem+json"


def answer(status: int, **kw: object) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", "http://leaf.test/x"), **kw)  # type: ignore[arg-type]


def mapped(response: httpx.Response, what: str | None = None) -> LeafError:
    return error_from_response(response, method="GET", path="/x", what=what)


def test_problem_json_with_field_errors_is_invalid_and_keeps_them() -> None:
    body = {
        "type": "https://www.jhipster.tech/problem/constraint-violation",
        "title": "Method argument not valid",
        "status": 400,
        "detail": "2 fields are invalid",
        "path": "/services/widgets/api/magic-link/users/u1/provider",
        "message": "error.validation",
        "fieldErrors": [
            {"objectName": "linkRequest", "field": "expiresIn", "message": "must be >= 900"},
            {"objectName": "linkRequest", "field": "allowedProviders", "message": "unknown: Foo"},
        ],
    }
    error = mapped(answer(400, json=body, headers={"content-type": PROBLEM}))
    assert isinstance(error, Invalid)
    assert error.field_errors == (
        FieldError("expiresIn", "must be >= 900", "linkRequest"),
        FieldError("allowedProviders", "unknown: Foo", "linkRequest"),
    )
    assert str(error) == (
        "Leaf rejected the request: 2 fields are invalid — "
        "expiresIn: must be >= 900; allowedProviders: unknown: Foo"
    )
    assert error.status == 400 and error.detail == "2 fields are invalid"
    assert (error.method, error.path) == ("GET", "/x")


def test_422_without_detail_summarizes_field_errors() -> None:
    body = {"fieldErrors": [{"field": "email", "message": "must be a well-formed email"}]}
    error = mapped(answer(422, json=body))
    assert isinstance(error, Invalid)
    assert str(error) == "Leaf rejected the request: email: must be a well-formed email"


def test_401_says_log_in_again() -> None:
    error = mapped(answer(401, json={"title": "Unauthorized", "status": 401}))
    assert isinstance(error, AuthError)
    assert str(error) == "Not signed in or the session expired: log in again"


def test_403_is_an_auth_error_naming_the_target() -> None:
    error = mapped(answer(403, text="Forbidden"), what="Leaf user u1")
    assert isinstance(error, AuthError)
    assert "Leaf user u1" in str(error) and "403" in str(error)


def test_404_names_what_was_not_found() -> None:
    body = {"title": "Not Found", "status": 404, "detail": "Leaf user not found"}
    error = mapped(answer(404, json=body), what="Leaf user 7f3c")
    assert isinstance(error, NotFound)
    assert str(error).startswith("Leaf user 7f3c not found")
    assert "another API owner" in str(error)


def test_409_says_what_conflicts() -> None:
    body = {"title": "Conflict", "detail": "This Leaf user already has Sentera credentials"}
    error = mapped(answer(409, json=body, headers={"content-type": PROBLEM}))
    assert isinstance(error, Conflict)
    assert "already has Sentera credentials" in str(error)


def test_410_is_gone() -> None:
    page = (
        "<html><head><title>Link</title></head><body><h1>This link has expired</h1></body></html>"
    )
    error = mapped(answer(410, html=page), what="magic link abc")
    assert isinstance(error, Gone)
    assert str(error).startswith("Magic link abc is gone")
    assert error.detail == "This link has expired"


def test_429_reads_retry_after() -> None:
    error = mapped(answer(429, text="slow down", headers={"Retry-After": "7"}))
    assert isinstance(error, RateLimited)
    assert error.retry_after == 7.0
    assert "try again in 7 s" in str(error)
    no_header = mapped(answer(429))
    assert isinstance(no_header, RateLimited) and no_header.retry_after is None


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_a_server_error_saying_try_again(status: int) -> None:
    error = mapped(answer(status, html="<html><body><h1>Bad Gateway</h1></body></html>"))
    assert isinstance(error, ServerError)
    assert str(error).startswith(f"Leaf's API failed (HTTP {status}); try again shortly")


@pytest.mark.parametrize(
    ("kw", "detail"),
    [
        ({"text": "user id is malformed"}, "user id is malformed"),
        ({"json": {"message": "externalId is required"}}, "externalId is required"),
        ({"json": {"error": "invalid_request"}}, "invalid_request"),
        ({"json": {"error": {"message": "nested reason"}}}, "nested reason"),
        ({"json": {"title": "Bad Request", "message": "error.http.400"}}, "Bad Request"),
        ({"html": "<html><title>400 Bad Request</title><body>x</body></html>"}, "400 Bad Request"),
        ({"html": "<p>Plain <b>html</b> reason</p>"}, "Plain html reason"),
        ({"json": "a bare JSON string"}, "a bare JSON string"),
        ({"text": ""}, None),
        ({"content": b"\xff\xfe\x00binary"}, None),
    ],
)
def test_every_body_shape_yields_a_readable_detail(
    kw: dict[str, object], detail: str | None
) -> None:
    problem = read_problem(answer(400, **kw))
    if detail is None:
        assert problem.detail is None or isinstance(problem.detail, str)
    else:
        assert problem.detail == detail
    error = mapped(answer(400, **kw))
    assert isinstance(error, Invalid)
    assert str(error).startswith("Leaf rejected the request: ")


def test_long_bodies_are_clipped() -> None:
    problem = read_problem(answer(400, text="x" * 5000))
    assert problem.detail is not None and len(problem.detail) <= 300


def test_other_statuses_say_the_status() -> None:
    error = mapped(answer(418, text="teapot"))
    assert type(error) is LeafError
    assert str(error) == "Leaf answered HTTP 418 to GET /x: teapot"


def test_retry_after_parses_seconds_and_http_dates() -> None:
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    with clock.frozen(datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC)):
        assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT") == 30.0
        assert parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT") == 0.0


def test_404_does_not_repeat_the_servers_words_when_they_say_the_same() -> None:
    body = {"title": "Not Found", "detail": "Leaf user 7f3c not found"}
    error = mapped(answer(404, json=body), what="Leaf user 7f3c")
    assert str(error) == (
        "Leaf user 7f3c not found (deleted, mistyped, or owned by another API owner)"
    )
    assert error.detail == "Leaf user 7f3c not found"


def test_a_redirect_points_at_the_api_url() -> None:
    error = mapped(answer(301, headers={"location": "https://api.withleaf.io/x"}))
    assert type(error) is LeafError
    assert "redirected GET /x to https://api.withleaf.io/x (HTTP 301)" in str(error)
    assert "API URL" in str(error)
