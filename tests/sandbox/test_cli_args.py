"""`leaf-tui sandbox` options become a SandboxConfig."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys

import pytest

from leaf_tui.sandbox.cli_args import BadOption, add_arguments, config_from_args, run_from_args


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
    """config_from_args names the option; run_from_args says `error: ...` and exits 2
    (tests/sandbox/test_edges_sandbox.py runs the command)."""
    with pytest.raises(BadOption) as info:
        config_from_args(_parse(*argv))
    assert argv[0].lstrip("-").replace("-", "_") in str(info.value).replace("-", "_")


def _busy_port() -> socket.socket:
    """A socket listening on a free loopback port, as another program would."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    return holder


def test_a_busy_port_is_one_line_and_a_failure() -> None:
    """The real command, as a person runs it: no traceback, the way out in one line."""
    with _busy_port() as holder:
        port = holder.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "leaf_tui", "sandbox", "--port", str(port), "--no-activity"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"error: port {port} on 127.0.0.1 is already in use (another sandbox?); "
        "use --port N for another port, or --port 0 for any free one"
    ]


@pytest.mark.parametrize(
    ("host", "says"),
    [
        ("nonsense.invalid", "not an IP address or a known host name"),
        ("192.0.2.1", "not an address of this machine"),  # TEST-NET-1: never ours
    ],
)
def test_a_bad_host_says_which_host_to_use(host: str, says: str) -> None:
    with pytest.raises(SystemExit) as info:
        run_from_args(_parse("--host", host, "--port", "0", "--no-activity"))
    message = info.value.code
    assert isinstance(message, str) and "\n" not in message
    assert message.startswith(f"error: --host {host}") and says in message
    assert "--host 127.0.0.1" in message


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_out_of_range_is_a_usage_error(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        _parse("--port", port)
    assert info.value.code == 2
    assert "argument --port" in capsys.readouterr().err


def test_every_option_is_explained_and_faults_have_examples() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    helps = {
        action.option_strings[0]: action.help or ""
        for action in parser._actions
        if action.option_strings and action.dest != "help"
    }
    assert all(len(text) > 10 for text in helps.values()), helps
    for option in (
        "--latency",
        "--jitter",
        "--error-rate",
        "--error-status",
        "--rate-limit",
        "--drop-rate",
    ):
        assert f"e.g. {option} " in helps[option], option
    assert "milliseconds" in helps["--latency"] and "milliseconds" in helps["--jitter"]
    assert "per second" in helps["--rate-limit"]
