"""A second floor, for reading the start-up ratio: the floor app plus the HTTP stack leaf-tui
cannot start without. It imports httpx, opens an AsyncClient and shows its label once one GET
to the sandbox has answered, the way leaf-tui shows its first row once the first page has.

Not the issue's floor (that stays `floor_app.py`): this one says how much of leaf-tui's excess
is the network stack (httpx, httpcore, h11, anyio: imported, and compiled where no bytecode is
cached) rather than leaf-tui's own work.

  python benchmarks/floor_http_app.py URL TOKEN
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Label

READY_TEXT = "floor-http-ready"


class FloorHttpApp(App[None]):
    def __init__(self, url: str, token: str) -> None:
        super().__init__()
        self.url, self.token = url, token

    def compose(self) -> ComposeResult:
        yield Label("", id="ready")

    async def on_mount(self) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(headers=headers) as client:
            answer = await client.get(self.url)
        self.query_one("#ready", Label).update(f"{READY_TEXT} {answer.status_code}")


if __name__ == "__main__":
    FloorHttpApp(sys.argv[1], sys.argv[2]).run()
