"""`leaf-tui sandbox` options, for the CLI to wire: add_arguments(parser) and
run_from_args(args)."""

from __future__ import annotations

import argparse
import errno
import socket
import sys

from .config import SandboxConfig


def _rate(text: object) -> float:
    return float(str(text).removesuffix("/s"))


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0-65535; 0 = any free port)")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--port", type=_port, default=8765, help="port (default 8765; 0 = any free port)"
    )
    parser.add_argument(
        "--db",
        default=None,
        metavar="PATH",
        help="sqlite file for the data (default: in memory, gone on exit)",
    )
    parser.add_argument("--seed", type=int, default=7, help="demo data seed (default 7)")
    parser.add_argument("--users", type=int, default=40, help="demo growers (default 40)")
    parser.add_argument("--links", type=int, default=60, help="demo magic links (default 60)")
    parser.add_argument(
        "--events", type=int, default=200, help="demo Sentera sync events (default 200)"
    )
    parser.add_argument(
        "--no-activity",
        action="store_true",
        help="no simulated growers opening links and Sentera syncs",
    )
    parser.add_argument(
        "--activity-interval",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="mean seconds between simulated activity (default 2)",
    )
    faults = parser.add_argument_group(
        "fault injection",
        "Make the Leaf API paths (/api/..., /services/...) misbehave, to see how a client copes. "
        "The control API (/_sandbox/...) and the landing page are never touched. Each P is a "
        "probability per request, from 0 (never) to 1 (always). The same settings can be "
        "changed while it runs: POST /_sandbox/faults.",
    )
    faults.add_argument(
        "--latency",
        type=int,
        default=0,
        metavar="MS",
        help="delay every answer by MS milliseconds (0-120000), e.g. --latency 400",
    )
    faults.add_argument(
        "--jitter",
        type=int,
        default=0,
        metavar="MS",
        help="add a random 0 to MS milliseconds on top of --latency, e.g. --jitter 200",
    )
    faults.add_argument(
        "--error-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="answer this share of requests with an error status from --error-status instead "
        "of handling them, e.g. --error-rate 0.1 (one in ten)",
    )
    faults.add_argument(
        "--error-status",
        default="500",
        metavar="CODES",
        help="comma-separated HTTP statuses (400-599) that --error-rate picks from at random "
        "(default 500), e.g. --error-status 500,502,503; 502 comes as an HTML proxy page",
    )
    faults.add_argument(
        "--rate-limit",
        type=_rate,
        default=0.0,
        metavar="N/s",
        help="answer 429 Too Many Requests (with Retry-After) to requests beyond N per second "
        "(0 = no limit), e.g. --rate-limit 5",
    )
    faults.add_argument(
        "--drop-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="close the connection without an answer, before handling, on this share of "
        "requests, e.g. --drop-rate 0.05",
    )
    faults.add_argument(
        "--drop-after-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="handle the request (it takes effect), then close the connection without the "
        "answer, on this share of requests, e.g. --drop-after-rate 0.05",
    )
    faults.add_argument(
        "--malformed-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="answer 200 with truncated, unparseable JSON on this share of requests",
    )
    faults.add_argument(
        "--html-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="answer an nginx-style HTML 502 page on this share of requests",
    )


class BadOption(ValueError):
    """An option out of range; run_from_args says so as `error: ...` and exits 2."""


EXIT_USAGE = 2  # as argparse (and `leaf-tui`) for bad input


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    for name in ("users", "links", "events"):
        if getattr(args, name) < 0:
            raise BadOption(f"--{name} must be 0 or more (got {getattr(args, name)})")
    if not 0 < args.activity_interval <= 3600:
        raise BadOption("--activity-interval must be above 0 and at most 3600 seconds")
    try:
        statuses = [int(s) for s in str(args.error_status).split(",") if s.strip()]
    except ValueError:
        raise BadOption("--error-status takes comma-separated HTTP statuses") from None
    faults = {
        "latency_ms": args.latency,
        "jitter_ms": args.jitter,
        "error_rate": args.error_rate,
        "error_status": statuses,
        "rate_limit": args.rate_limit,
        "drop_rate": args.drop_rate,
        "drop_after_rate": args.drop_after_rate,
        "malformed_rate": args.malformed_rate,
        "html_rate": args.html_rate,
    }
    from .faults import FaultSettings

    try:
        FaultSettings.from_dict(faults)
    except ValueError as exc:
        raise BadOption(f"fault options: {exc}") from None
    return SandboxConfig(
        db_path=args.db or ":memory:",
        seed=args.seed,
        users=args.users,
        links=args.links,
        events=args.events,
        activity=not args.no_activity,
        activity_interval=args.activity_interval,
        refresh_demo=True,  # a kept --db file comes back with links in every state
        faults=faults,
    )


def cannot_listen_message(host: str, port: int, cause: OSError) -> str:
    """One line that says why `leaf-tui sandbox` cannot listen and which option fixes it."""
    where = f"{host}:{port}"
    if isinstance(cause, socket.gaierror):
        return (
            f"error: --host {host}: not an IP address or a known host name; "
            "use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every network)"
        )
    if cause.errno == errno.EADDRINUSE:
        return (
            f"error: port {port} on {host} is already in use (another sandbox?); "
            "use --port N for another port, or --port 0 for any free one"
        )
    if cause.errno == errno.EACCES:
        return (
            f"error: not allowed to listen on {where} (ports below 1024 need privileges); "
            "use --port N above 1023, or --port 0 for any free one"
        )
    if cause.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
        return (
            f"error: --host {host} is not an address of this machine; "
            "use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every network)"
        )
    return f"error: cannot listen on {where}: {cause.strerror or cause}"


def run_from_args(args: argparse.Namespace) -> int:
    from .server import CannotListen, serve_forever
    from .store import DataFileError

    try:
        cfg = config_from_args(args)
    except BadOption as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        serve_forever(cfg, host=args.host, port=args.port)
    except CannotListen as exc:
        raise SystemExit(cannot_listen_message(exc.host, exc.port, exc.cause)) from None
    except DataFileError as exc:
        print(f"error: --db: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0
