"""`leaf-tui sandbox`: the sandbox engineer's own arguments and runner, when the build has them."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from leaf_tui.cli.common import EXIT_API, EXIT_OK, err


def add_sandbox(commands: Any) -> None:
    description = "Run the local Leaf API sandbox (the same one the dashboard embeds)."
    try:  # the sandbox engineer's module; imported by name so a build without it still works
        cli_args = importlib.import_module("leaf_tui.sandbox.cli_args")
    except ImportError:
        sandbox = commands.add_parser(
            "sandbox", help="run the local sandbox API server", description=description
        )
        sandbox.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        sandbox.set_defaults(handler=_sandbox_missing)
        return
    sandbox = commands.add_parser(
        "sandbox", help="run the local sandbox API server", description=description
    )
    cli_args.add_arguments(sandbox)

    def run(args: argparse.Namespace) -> int:
        result = cli_args.run_from_args(args)
        return int(result) if isinstance(result, int) else EXIT_OK

    sandbox.set_defaults(handler=run)


def _sandbox_missing(args: argparse.Namespace) -> int:
    err("error: the sandbox command is not available in this build (leaf_tui.sandbox.cli_args)")
    return EXIT_API
