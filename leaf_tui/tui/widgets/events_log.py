"""A live, bounded log of Sentera credential events (Line API: only visible rows render).

Events are kept sorted by (createdDate, id) and de-duplicated by id. New events that sort after
the last one are appended without touching the rest; the view follows them only while the
reader is at the bottom. The widget polls on its own once `start()` is given a fetch function:
one poll at a time, the next scheduled after the answer, backing off while failing. A poll may
answer in parts (the newest page of a long log first, the older pages later): each part is
merged and shown as it comes.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import AsyncGenerator, Callable, Iterable, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from leaf_tui.api.models import SenteraEvent
from leaf_tui.api.sentera import OlderToCome
from leaf_tui.domain.sentera_diagnosis import one_line, sort_key
from leaf_tui.tui.workers import ui_work

POLL_INTERVAL = 3.0
"""Seconds between the end of one poll and the start of the next."""
MAX_BACKOFF = 60.0
MAX_EVENTS = 5_000
"""The newest events kept; older ones drop off the top."""

Fetch = Callable[[], AsyncGenerator[Sequence[SenteraEvent], None]]
"""One poll: what is held, once or in growing parts (each part the whole of what is known)."""


def status_class(code: int | None) -> str:
    """The component class that colours a status code."""
    if code is None:
        return "events-log--muted"
    if 200 <= code < 300:
        return "events-log--success"
    if code in (401, 403) or code >= 500:
        return "events-log--error"
    if code >= 400:
        return "events-log--warning"
    return "events-log--muted"


def format_time(event: SenteraEvent) -> str:
    return event.created_date.strftime("%Y-%m-%d %H:%M:%S") if event.created_date else "—" * 19


class EventsLog(ScrollView, can_focus=True):
    """Sentera events, oldest at the top, newest at the bottom, one row each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Event detail", id="events.detail"),
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Newest (follow)", show=False, id="events.follow"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "events-log--success",
        "events-log--warning",
        "events-log--error",
        "events-log--muted",
        "events-log--time",
        "events-log--cursor",
    }

    DEFAULT_CSS = """
    EventsLog {
        background: $surface;
        overflow-x: hidden;
        overflow-y: scroll;
        & > .events-log--success { color: $success; }
        & > .events-log--warning { color: $warning; }
        & > .events-log--error { color: $error; }
        & > .events-log--muted { color: $text-muted; }
        & > .events-log--time { color: $text-muted; }
        & > .events-log--cursor { background: $accent 30%; }
        &:focus > .events-log--cursor { background: $accent 60%; }
    }
    """

    class Selected(Message):
        """Enter (or a click on the highlighted row) on an event."""

        def __init__(self, event: SenteraEvent) -> None:
            super().__init__()
            self.event = event

    class FollowChanged(Message):
        """The reader scrolled away from the bottom (new events no longer scroll in) or back."""

        def __init__(self, following: bool) -> None:
            super().__init__()
            self.following = following

    class Polled(Message):
        """One poll (or one part of it) merged: how many events were new, or what went wrong.
        `older_to_come`: the part is the newest page of a first read, the older events are
        still on their way."""

        def __init__(
            self,
            added: int,
            error: Exception | None = None,
            retry_in: float | None = None,
            *,
            older_to_come: bool = False,
        ) -> None:
            super().__init__()
            self.added = added
            self.error = error
            self.retry_in = retry_in
            self.older_to_come = older_to_come

    def __init__(
        self,
        *,
        max_events: int = MAX_EVENTS,
        interval: float = POLL_INTERVAL,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.max_events = max_events
        self.interval = interval
        self.secrets: tuple[str, ...] = ()
        """Strings never to show (the credential's authToken): scrubbed from every row."""
        self._events: list[SenteraEvent] = []
        self._keys: list[tuple[float, str]] = []
        self._ids: set[str] = set()
        self._last_batch: tuple[SenteraEvent, ...] = ()
        """The last merged answer: the service hands back the same event objects for the events
        it returned before, and merging those again could add nothing."""
        self._cursor = -1
        self._lines: dict[tuple[str, int, bool], Strip] = {}
        """Drawn rows by (event id, width, highlighted), for the rows in view only: a Strip is
        a dozen objects the cyclic collector walks on every full collection, and paging through
        the log kept a thousand of them (~50,000 objects)."""
        self._fetch: Fetch | None = None
        self._timer: Timer | None = None
        self._paused = False
        self._failures = 0
        self._was_following = True

    # --- data -----------------------------------------------------------------------------

    @property
    def events(self) -> Sequence[SenteraEvent]:
        return self._events

    @property
    def cursor(self) -> int:
        """Index of the highlighted event, -1 when empty."""
        return self._cursor

    @property
    def selected_event(self) -> SenteraEvent | None:
        return self._events[self._cursor] if 0 <= self._cursor < len(self._events) else None

    @property
    def following(self) -> bool:
        """True while the reader is at the bottom: new events scroll into view."""
        return self.is_vertical_scroll_end

    def set_secrets(self, secrets: Iterable[str | None]) -> None:
        kept = tuple(s for s in secrets if s)
        if kept == self.secrets:
            return  # every poll says them again: redrawing every row would be for nothing
        self.secrets = kept
        self._lines.clear()
        self.refresh()

    def clear(self) -> None:
        self._last_batch = ()
        self._events.clear()
        self._keys.clear()
        self._ids.clear()
        self._cursor = -1
        self._lines.clear()
        self.virtual_size = Size(self.size.width, 0)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def add_events(self, incoming: Iterable[SenteraEvent]) -> int:
        """Merge events in; returns how many were new. Never rebuilds what is already there."""
        batch = tuple(incoming)
        last = self._last_batch
        self._last_batch = batch
        # The service hands back the same objects for events it returned before, and new ones
        # after them: what starts with the whole last batch (compared in C, no Python-level
        # loop) was merged up to there already.
        if last and len(batch) >= len(last) and not any(map(operator.is_not, batch, last)):
            incoming = batch[len(last) :]
            if not incoming:
                return 0
        else:
            incoming = batch
        full = len(self._events) >= self.max_events
        oldest = self._keys[0] if self._keys else None
        fresh: dict[str, SenteraEvent] = {}
        for event in incoming:
            if event.id in self._ids or event.id in fresh:
                continue
            if full and oldest is not None and sort_key(event) < oldest:
                continue  # would drop off the top at once (already shown before, or too old)
            fresh[event.id] = event
        if not fresh:
            return 0

        follow = self.following or not self._events
        rows_before, cursor_before = len(self._events), self._cursor
        cursor_at_end = self._cursor == len(self._events) - 1
        cursor_id = self.selected_event.id if self.selected_event else None
        top = int(self.scroll_y)
        top_id = self._events[top].id if top < len(self._events) else None

        new = sorted(fresh.values(), key=sort_key)
        appended = not self._keys or sort_key(new[0]) >= self._keys[-1]
        self._ids.update(fresh)
        if appended:  # the usual case: newer events at the end
            self._events.extend(new)
            self._keys.extend(sort_key(e) for e in new)
        elif len(new) <= 64:  # a few late ones: insert each in place
            for event in new:
                key = sort_key(event)
                at = bisect.bisect_left(self._keys, key)
                self._events.insert(at, event)
                self._keys.insert(at, key)
        else:  # many late ones: one merge is cheaper than many inserts
            self._events[:] = sorted([*self._events, *new], key=sort_key)
            self._keys[:] = [sort_key(e) for e in self._events]
        dropped = self._trim()

        if appended:
            self._cursor = max(0, self._cursor - dropped) if self._cursor >= 0 else -1
            top = max(0, top - dropped)
        else:
            self._cursor = self._index_of(cursor_id, self._cursor)
            top = self._index_of(top_id, top)
        if follow and (cursor_at_end or self._cursor < 0):
            self._cursor = len(self._events) - 1
        if self._cursor < 0 and self._events:
            self._cursor = len(self._events) - 1

        self._set_line_count(len(self._events))
        scroll_before = round(self.scroll_y)
        if follow:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        elif top != int(self.scroll_y):
            # keep the rows the reader is looking at in place (older rows may have dropped off)
            self.scroll_to(y=top, animate=False, immediate=True)
        if round(self.scroll_y) != scroll_before:
            pass  # scrolled: every row in view moved, and the scroll repaints them all
        elif appended and not dropped:
            # Rows before the old end are where they were: repaint the new rows (if in view)
            # and the highlight's old and new row, not every row of the log.
            self._refresh_rows(rows_before, len(self._events))
            if self._cursor != cursor_before:
                self._refresh_row(cursor_before)
                self._refresh_row(self._cursor)
        else:
            self.refresh()  # rows went in above or dropped off the top: every row may differ
        return len(fresh)

    def _set_line_count(self, lines: int) -> None:
        """A new number of rows. Setting `virtual_size` lays out the whole screen (it is a layout
        reactive), about 10-50 ms on the Sentera screen after every poll that adds an event. The
        vertical scrollbar is always there (overflow-y: scroll) and the log's own size does not
        depend on its rows, so a new count changes only the log's scroll range and its
        scrollbar's thumb: set those two, and repaint."""
        size = Size(self.size.width, lines)
        if size == self.virtual_size:
            return
        if (
            self.virtual_size.height == 0
            or size.width != self.virtual_size.width
            or self.styles.overflow_y != "scroll"
        ):
            self.virtual_size = size  # the first rows or a new width: let Textual lay out
            return
        self.set_reactive(EventsLog.virtual_size, size)
        self.vertical_scrollbar.window_virtual_size = lines

    def _trim(self) -> int:
        excess = len(self._events) - self.max_events
        if excess <= 0:
            return 0
        for event in self._events[:excess]:
            self._ids.discard(event.id)
        del self._events[:excess]
        del self._keys[:excess]
        return excess

    def _index_of(self, event_id: str | None, fallback: int) -> int:
        if event_id is None:
            return min(fallback, len(self._events) - 1)
        if event_id in self._ids:
            for index in range(len(self._events) - 1, -1, -1):
                if self._events[index].id == event_id:
                    return index
        return 0 if self._events else -1

    # --- polling ---------------------------------------------------------------------------

    def start(self, fetch: Fetch) -> None:
        """Poll with `fetch` now and then every `interval` seconds after each answer."""
        self._fetch = fetch
        self._failures = 0
        self.poll_now()

    def stop(self) -> None:
        self._fetch = None
        self._cancel_timer()
        self.workers.cancel_group(self, "sentera-events")

    def pause(self) -> None:
        """Stop polling while hidden; an answer already on its way is still shown."""
        self._paused = True
        self._cancel_timer()

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            self.poll_now()

    @property
    def polling(self) -> bool:
        return self._fetch is not None and not self._paused

    def poll_now(self) -> None:
        self._cancel_timer()
        if self._fetch is not None and not self._paused:
            self._poll(self._fetch)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule(self, delay: float) -> None:
        self._cancel_timer()
        if self._fetch is not None and not self._paused:
            self._timer = self.set_timer(delay, self.poll_now)

    @ui_work(exclusive=True, group="sentera-events", exit_on_error=False)
    async def _poll(self, fetch: Fetch) -> None:
        parts = fetch()
        try:
            while True:
                try:
                    answer = await anext(parts)
                except StopAsyncIteration:
                    break
                except Exception as exc:  # every failure is reported; polling goes on, slower
                    if self.is_attached:
                        self._failed(exc)
                    return
                if fetch is not self._fetch or not self.is_attached:
                    return  # stopped, restarted or closed meanwhile: this answer is for nobody
                self._failures = 0
                added = self.add_events(answer)
                older = isinstance(answer, OlderToCome)
                self.post_message(self.Polled(added, older_to_come=older))
        finally:
            await parts.aclose()
        if fetch is self._fetch and self.is_attached:
            self._schedule(self.interval)

    def _failed(self, exc: Exception) -> None:
        self._failures += 1
        delay = min(MAX_BACKOFF, self.interval * 2**self._failures)
        # a rate limit says how long to wait: never come back sooner
        delay = max(delay, float(getattr(exc, "retry_after", None) or 0))
        self.post_message(self.Polled(0, exc, delay))
        self._schedule(delay)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        following = self.following
        if following != self._was_following:
            self._was_following = following
            self.post_message(self.FollowChanged(following))

    # --- keys and mouse ----------------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if not self._events:
            return
        index = max(0, min(len(self._events) - 1, index))
        old, self._cursor = self._cursor, index
        for row in (old, index):
            self._refresh_row(row)
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        if 0 <= index < len(self._events):
            self.refresh_line(index)

    def _refresh_rows(self, start: int, end: int) -> None:
        """Repaint the rows start..end-1 that are in view (none: nothing to draw)."""
        top = int(self.scroll_y)
        start, end = max(start, top), min(end, top + self.scrollable_content_region.height)
        if start < end:
            self.refresh_lines(start, end - start)

    def action_cursor(self, delta: int) -> None:
        self._move_to(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self._cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self._events) - 1)
        self.scroll_end(animate=False, immediate=True, x_axis=False)

    def action_select(self) -> None:
        event = self.selected_event
        if event is not None:
            self.post_message(self.Selected(event))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = int(self.scroll_y) + offset.y
        if 0 <= index < len(self._events):
            if index == self._cursor and event.chain >= 2:
                self.action_select()
            self._move_to(index)

    def on_focus(self) -> None:
        self._lines.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._lines.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(self._events))
        if self._was_following:
            # Shorter (a short terminal, the diagnosis above growing), the log kept its top row
            # and said "scrolled up" though the reader never scrolled: keep the newest in view.
            self.call_after_refresh(self._keep_following)

    def _keep_following(self) -> None:
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self.post_message(self.FollowChanged(self.following))  # what was said meanwhile

    def forget_drawn_rows(self) -> None:
        """Drop the drawn rows (the screen is out of view: tui/covered.py)."""
        self._lines.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    # --- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self._events):
            return Strip.blank(width, self.rich_style)
        event = self._events[index]
        is_cursor = index == self._cursor
        key = (event.id, width, is_cursor)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > 2 * self.size.height + 2:
                self._forget_lines()
            strip = self._render_event(event, width, is_cursor)
            self._lines[key] = strip
        return strip

    def _forget_lines(self) -> None:
        """Keep the drawn rows of the events in view, drop the others."""
        top = int(self.scroll_y)
        in_view = {event.id for event in self._events[top : top + self.size.height]}
        self._lines = {key: strip for key, strip in self._lines.items() if key[0] in in_view}

    def _render_event(self, event: SenteraEvent, width: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        colour = self.get_component_rich_style(status_class(event.status_code))
        failed = event.status_code is not None and event.status_code >= 400
        code = str(event.status_code) if event.status_code is not None else "???"
        summary = one_line(event.body, self.secrets, limit=max(20, width))
        text = Text.assemble(
            (format_time(event), self.get_component_rich_style("events-log--time")),
            "  ",
            (f"{code:>3}", colour + Style(bold=True)),
            "  ",
            (summary, colour if failed else Style()),
            no_wrap=True,
            end="",
        )
        text.truncate(width, overflow="ellipsis")
        line_style = base
        if is_cursor:
            line_style = base + self.get_component_rich_style("events-log--cursor")
        text.stylize_before(line_style)
        text.stylize(Style(bgcolor=line_style.bgcolor))  # over the colours' own background
        segments = list(text.render(self.app.console))
        strip = Strip(segments).extend_cell_length(width, line_style)
        return strip.crop(0, width).simplify() if strip.cell_length > width else strip


__all__ = ["MAX_EVENTS", "POLL_INTERVAL", "EventsLog", "status_class"]
