"""`leaf-tui connections USER [--json]` and `leaf-tui attention [--json]`: a grower's
connections with status and diagnosis, and the triage queue. Secrets never printed: the JSON
carries each credential masked."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import TYPE_CHECKING, Any

from leaf_tui.api.errors import LeafError, NotFound
from leaf_tui.api.models import LeafUser
from leaf_tui.cli.common import EXIT_OK, UsageError, connection_options, err, iso, print_table, run
from leaf_tui.common import clock
from leaf_tui.common.formatting import ago

if TYPE_CHECKING:
    from leaf_tui.api.client import LeafClient
    from leaf_tui.api.providers import ProviderCredential, ProviderEvent
    from leaf_tui.domain.connections import Connection

# The providers, their diagnoses and the triage rules are imported by the commands that use
# them: every `leaf-tui` start builds this parser, the dashboard's too (benchmarks, start-up).

CONCURRENCY = 4


def add_connections(commands: Any) -> None:
    parser = commands.add_parser(
        "connections",
        help="a grower's connections with status and diagnosis",
        description="Every provider connection of one Leaf user, with Leaf's status, the "
        "last event, failures over 24 h and the diagnosis. Secrets are masked.",
    )
    connection_options(parser)
    parser.add_argument("user", metavar="USER", help="Leaf user id, externalId or email")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=cmd_connections)


def add_attention(commands: Any) -> None:
    parser = commands.add_parser(
        "attention",
        help="the triage queue: growers with an unhealthy connection",
        description="Every grower whose connection is not OK, most recent failure first.",
    )
    connection_options(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=cmd_attention)


async def _open(args: argparse.Namespace) -> Any:
    from leaf_tui.cli.link import _open_session

    return await _open_session(args)


async def find_user(client: LeafClient, text: str) -> LeafUser:
    """By id, then exact externalId, then email (case-insensitive)."""
    wanted = text.strip()
    if not wanted:
        raise UsageError("USER is empty: give a Leaf user id, externalId or email")
    try:
        return await client.users.get(wanted)
    except NotFound:
        pass
    except LeafError as exc:
        if getattr(exc, "status", None) not in (400, 404):
            raise
    page = await client.users.list(size=2, external_id=wanted)
    if page.items:
        return page.items[0]
    if "@" in wanted:
        page = await client.users.list(size=2, email=wanted)
        if page.items:
            return page.items[0]
        for user in await client.users.list_all():
            if (user.email or "").casefold() == wanted.casefold():
                return user
    raise UsageError(f"no Leaf user with id, externalId or email {wanted!r}")


async def _events(
    client: LeafClient, user_id: str, cred: ProviderCredential
) -> list[ProviderEvent] | None:
    try:
        return await client.credentials.events(cred.provider, user_id)
    except NotFound:
        return []
    except LeafError:
        return None


def connection_json(conn: Connection) -> dict[str, Any]:
    cred = conn.credential
    last = conn.last_event
    return {
        "provider": conn.provider.name,
        "displayName": conn.provider.display,
        "family": conn.provider.family.value,
        "status": cred.status if cred else None,
        "createdTime": iso(cred.created_time) if cred else None,
        "lastEvent": None
        if last is None
        else {"createdDate": iso(last.created_date), "statusCode": last.status_code},
        "failures24h": conn.failures_24h,
        "eventsChecked": conn.events_checked,
        "problem": conn.diagnosis.short,
        "severity": conn.diagnosis.severity.value,
        "diagnosis": conn.diagnosis.message,
        "credential": cred.masked() if cred else None,
    }


def cmd_connections(args: argparse.Namespace) -> int:
    return run(_connections(args))


async def _connections(args: argparse.Namespace) -> int:
    from leaf_tui.api.providers import grower_credentials
    from leaf_tui.domain.connections import connection

    session = await _open(args)
    try:
        client = session.client
        user = await find_user(client, args.user)
        found = await grower_credentials(client.credentials, user.credentials, user.id)
        answers = await asyncio.gather(*(_events(client, user.id, c) for c in found.credentials))
    finally:
        await session.aclose()
    now = clock.now()
    conns = [
        connection(c.provider, c, a, now) for c, a in zip(found.credentials, answers, strict=True)
    ]
    if args.json:
        body = {
            "user": {"id": user.id, "name": user.name, "externalId": user.external_id},
            "connections": [connection_json(c) for c in conns],
            "notChecked": dict(found.unchecked),
        }
        print(json.dumps(body, indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = [
        [
            c.provider.display,
            c.status,
            c.diagnosis.short,
            str(c.failures_24h),
            "—" if c.last_event is None else ago(c.last_event.created_date, now),
            c.diagnosis.message,
        ]
        for c in conns
    ]
    print_table(["PROVIDER", "STATUS", "PROBLEM", "FAILS 24H", "LAST EVENT", "DIAGNOSIS"], rows)
    err(f"{user.display_name}: {len(rows)} connection(s)")
    for name, why in found.unchecked.items():
        err(f"not checked: {name} ({why})")
    return EXIT_OK


def cmd_attention(args: argparse.Namespace) -> int:
    return run(_attention(args))


async def _attention(args: argparse.Namespace) -> int:
    from leaf_tui.domain.connections import connection
    from leaf_tui.domain.triage import TriageItem, candidates, not_checked, ordered, without_status

    session = await _open(args)
    try:
        client = session.client
        users = await client.users.list_all()
        found = candidates(users)
        gate = asyncio.Semaphore(CONCURRENCY)

        async def events(user: LeafUser, cred: ProviderCredential) -> list[ProviderEvent] | None:
            async with gate:
                return await _events(client, user.id, cred)

        answers = await asyncio.gather(*(events(u, c) for u, c in found))
    finally:
        await session.aclose()
    now = clock.now()
    items = ordered(
        [
            TriageItem(user, connection(cred.provider, cred, answer, now))
            for (user, cred), answer in zip(found, answers, strict=True)
        ]
    )
    unchecked = not_checked(users)
    no_status = without_status(users)
    if args.json:
        body = {
            "queue": [
                {"user": {"id": i.user.id, "name": i.user.name, "externalId": i.user.external_id}}
                | {
                    "lastFailure": iso(i.connection.last_failure.created_date)
                    if i.connection.last_failure
                    else None
                }
                | connection_json(i.connection)
                for i in items
            ],
            "notChecked": unchecked,
            "noStatus": no_status,
        }
        print(json.dumps(body, indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = [
        [
            "—"
            if i.connection.last_failure is None
            else ago(i.connection.last_failure.created_date, now),
            i.user.display_name,
            i.user.id,
            i.connection.provider.display,
            i.connection.status,
            i.connection.diagnosis.short,
        ]
        for i in items
    ]
    print_table(["LAST FAILURE", "GROWER", "USER", "PROVIDER", "STATUS", "PROBLEM"], rows)
    err(f"{len(rows)} connection(s) need attention")
    if unchecked:
        err("not checked (not in the user object): " + ", ".join(unchecked))
    if no_status:
        err("not checked (no status): " + ", ".join(no_status))
    return EXIT_OK
