"""Writing our small config files so a crash or a second window never leaves half of one, and
never loses what another process wrote in between (read-modify-write under a file lock)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

LOCK_FILE = ".leaf-tui.lock"
LOCK_WAIT = 10.0  # seconds; another process holds it for milliseconds (one read and one write)


class FileBusy(OSError):
    """Another process held the lock for longer than LOCK_WAIT."""


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock (filelock: flock here, msvcrt on Windows) for a read-modify-write,
    so three `leaf-tui login` at once each keep the others' profiles and tokens. Re-entrant in
    one thread: one lock object per path, counting its holds."""
    # imported here: only writes lock, and filelock costs ~10 ms of every start (benchmarks)
    from filelock import FileLock, Timeout

    lock = FileLock(folder / LOCK_FILE, timeout=LOCK_WAIT, mode=0o600, is_singleton=True)
    try:
        lock.acquire()
    except Timeout:
        raise FileBusy(
            f"another leaf-tui kept {folder / LOCK_FILE} locked for {LOCK_WAIT:g} s; try again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def write_atomically(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write a sibling temp file (mkstemp creates it 0600: never briefly world-readable), then
    rename it over `path`, so readers see the old file or the new one, never half of one."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
