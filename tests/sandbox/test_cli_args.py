"""`leaf-tui sandbox` options become a SandboxConfig."""

from __future__ import annotations

import argparse

import pytest

from leaf_tui.sandbox.cli_args import add_arguments, config_from_args


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_defaults_bind_loopback_with_activity() -> None:
    args = _parse()
    assert (args.host, args.port) == ("127.0.0.1", 8765)
    cfg = config_from_args(args)
    assert cfg.activity and cfg.db_path == ":memory:"
    assert (cfg.seed, cfg.users, cfg.links, cfg.events) == (7, 40, 60, 200)


def test_every_option() -> None:
    cfg = config_from_args(
        _parse(
            "--db",
            "/tmp/x.db",
            "--seed",
            "3",
            "--users",
            "10",
            "--links",
            "5",
            "--events",
            "9",
            "--no-activity",
            "--latency",
            "200",
            "--jitter",
            "50",
            "--error-rate",
            "0.2",
            "--error-status",
            "500,502,503",
            "--rate-limit",
            "5/s",
            "--drop-rate",
            "0.1",
        )
    )
    assert (cfg.db_path, cfg.seed, cfg.users, cfg.links, cfg.events) == ("/tmp/x.db", 3, 10, 5, 9)
    assert not cfg.activity
    assert cfg.faults["latency_ms"] == 200 and cfg.faults["error_status"] == [500, 502, 503]
    assert cfg.faults["rate_limit"] == 5.0 and cfg.faults["drop_rate"] == 0.1


@pytest.mark.parametrize(
    "argv", [("--users", "-1"), ("--error-rate", "2"), ("--error-status", "abc")]
)
def test_bad_values_exit_with_a_message(argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as info:
        config_from_args(_parse(*argv))
    assert isinstance(info.value.code, str)
