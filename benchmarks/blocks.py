"""What the event loop is doing while it is blocked: a thread watches LoopLag's heartbeat and,
while the loop has not woken for `threshold` seconds, samples the main thread's stack every
`every` seconds (sys._current_frames, the documented way to read another thread's frames).
For the report: the blocks longer than `report` seconds and, across their samples, the frames
seen most often (inclusive: a frame counts once per sample whatever lies beneath it)."""

from __future__ import annotations

import collections
import sys
import threading
import time
from typing import Any

_NAMED = {"render_lines", "render_line", "_render_content", "_refresh_layout", "render"}
"""Frames whose widget is worth naming (which widget was being drawn)."""


def _where(frame: Any) -> str:
    code = frame.f_code
    owner = ""
    if code.co_name in _NAMED:
        obj = frame.f_locals.get("self")
        widget_id = getattr(obj, "id", None) if obj is not None else None
        owner = f"[{type(obj).__name__}{f'#{widget_id}' if widget_id else ''}]"
    path = code.co_filename
    for marker in ("site-packages/", "leaf_tui/", "benchmarks/", "lib/python"):
        if marker in path:
            path = path[path.index(marker) :].replace("site-packages/", "")
            break
    return f"{code.co_qualname}{owner} ({path}:{frame.f_lineno})"


class BlockSampler:
    def __init__(self, threshold: float = 0.008, every: float = 0.001, report: float = 0.012):
        self.threshold = threshold
        self.every = every
        self.report = report
        self.beat = time.perf_counter()
        # (seconds, main thread's CPU seconds meanwhile, sampled stacks)
        self.blocks: list[tuple[float, float, float, list[list[str]]]] = []
        self.collections: list[tuple[float, float, int]] = []  # (start, end, generation)
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="block-sampler", daemon=True)

    def collected(self, started: float, generation: int) -> None:
        """A collection ran from `started` until now (called by LoopLag's gc callback)."""
        self.collections.append((started, time.perf_counter(), generation))

    def tick(self) -> None:
        """The loop is awake (called by LoopLag on every wake-up)."""
        self.beat = time.perf_counter()

    def start(self) -> None:
        self.beat = time.perf_counter()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(1)

    def _watch(self) -> None:
        clock = time.pthread_getcpuclockid(self._main)  # the main thread's CPU time
        stacks: list[list[str]] = []
        block_beat = None
        last_beat, beat_cpu, block_cpu = 0.0, 0.0, 0.0
        while not self._stop.wait(self.every):
            beat = self.beat
            cpu = time.clock_gettime(clock)
            late = time.perf_counter() - beat
            if block_beat is not None and beat != block_beat:  # the loop woke: block over
                self._close(block_beat, cpu - block_cpu, stacks)
                stacks, block_beat = [], None
            if beat != last_beat:
                last_beat, beat_cpu = beat, cpu
            if late < self.threshold:
                continue
            if block_beat is None:
                block_cpu = beat_cpu
            block_beat = beat
            frame = sys._current_frames().get(self._main)
            stack = []
            while frame is not None:
                stack.append(_where(frame))
                frame = frame.f_back
            stacks.append(stack)

    def _close(self, beat: float, cpu: float, stacks: list[list[str]]) -> None:
        end = self.beat
        seconds = end - beat
        if seconds >= self.report:
            in_gc = sum(
                min(e, end) - max(s, beat) for s, e, _ in self.collections if e > beat and s < end
            )
            self.blocks.append((seconds, cpu, in_gc, stacks))

    def figures(self) -> dict[str, float | int]:
        """The blocks over `report`: how many, the longest's main-thread CPU time and time in
        collections, and the most CPU any of them used (ms): what the load did not add."""
        longest = max(self.blocks, default=None, key=lambda b: b[0])
        return {
            "blocks_over_12ms": len(self.blocks),
            "longest_block_cpu_ms": round(longest[1] * 1000, 1) if longest else 0.0,
            "longest_block_gc_ms": round(longest[2] * 1000, 1) if longest else 0.0,
            "most_cpu_in_a_block_ms": round(max((b[1] for b in self.blocks), default=0) * 1000, 1),
            "most_cpu_in_a_block_without_gc_ms": round(
                max((b[1] for b in self.blocks if b[2] < 0.001), default=0) * 1000, 1
            ),
        }

    def summary(self, top: int = 30) -> str:
        lines = [f"{len(self.blocks)} blocks >= {self.report * 1000:.0f} ms"]
        counts: collections.Counter[str] = collections.Counter()
        leaves: collections.Counter[str] = collections.Counter()
        samples = 0
        for seconds, cpu, in_gc, stacks in sorted(self.blocks, reverse=True):
            lines.append(
                f"  block {seconds * 1000:.1f} ms, main thread CPU {cpu * 1000:.1f} ms, "
                f"collecting {in_gc * 1000:.1f} ms, {len(stacks)} samples"
            )
            for stack in stacks:
                samples += 1
                counts.update(set(stack))
                leaves[stack[0] if stack else "?"] += 1
        gens = collections.Counter(g for _, _, g in self.collections)
        longest = {
            g: max((e - s for s, e, gen in self.collections if gen == g), default=0.0) * 1000
            for g in sorted(gens)
        }
        lines.append(f"collections by generation: {dict(gens)}, longest (ms): {longest}")
        lines.append(f"frames seen in most of the {samples} samples (inclusive):")
        for where, n in counts.most_common(top):
            lines.append(f"  {n:5d}  {where}")
        lines.append("innermost frames:")
        for where, n in leaves.most_common(15):
            lines.append(f"  {n:5d}  {where}")
        return "\n".join(lines)
