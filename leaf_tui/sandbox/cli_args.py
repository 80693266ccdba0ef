"""`leaf-tui sandbox` options, for the CLI to wire: add_arguments(parser) and
run_from_args(args)."""

from __future__ import annotations

import argparse

from .config import SandboxConfig


def _rate(text: object) -> float:
    return float(str(text).removesuffix("/s"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any)")
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
    faults = parser.add_argument_group("fault injection (also at run time: /_sandbox/faults)")
    faults.add_argument("--latency", type=int, default=0, metavar="MS")
    faults.add_argument("--jitter", type=int, default=0, metavar="MS")
    faults.add_argument("--error-rate", type=float, default=0.0, metavar="P")
    faults.add_argument(
        "--error-status",
        default="500",
        metavar="CODES",
        help="comma-separated statuses for --error-rate (default 500)",
    )
    faults.add_argument(
        "--rate-limit",
        type=_rate,
        default=0.0,
        metavar="N/s",
        help="answer 429 with Retry-After above N requests per second",
    )
    faults.add_argument("--drop-rate", type=float, default=0.0, metavar="P")
    faults.add_argument(
        "--drop-after-rate",
        type=float,
        default=0.0,
        metavar="P",
        help="handle the request, then close the connection without the answer",
    )
    faults.add_argument("--malformed-rate", type=float, default=0.0, metavar="P")
    faults.add_argument("--html-rate", type=float, default=0.0, metavar="P")


def config_from_args(args: argparse.Namespace) -> SandboxConfig:
    for name in ("users", "links", "events"):
        if getattr(args, name) < 0:
            raise SystemExit(f"--{name} must be 0 or more")
    try:
        statuses = [int(s) for s in str(args.error_status).split(",") if s.strip()]
    except ValueError:
        raise SystemExit("--error-status takes comma-separated HTTP statuses") from None
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
        raise SystemExit(f"fault options: {exc}") from None
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


def run_from_args(args: argparse.Namespace) -> int:
    from .server import serve_forever

    serve_forever(config_from_args(args), host=args.host, port=args.port)
    return 0
