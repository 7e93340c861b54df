"""One Vigie process per database file: an OS lock on `<db>.lock`, held while the store is open."""

from __future__ import annotations

import contextlib
import errno
import os

from bot.storage.base import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; the lock is skipped there
    fcntl = None  # type: ignore[assignment]

__all__ = ["ProcessLock"]


class ProcessLock:
    """An exclusive, non-blocking `flock` on a sidecar file that records the holder's pid.

    The kernel releases it when the process ends, however it ends, so a crash never leaves a
    stale lock; the file itself stays (removing it would let two processes lock two files).
    """

    def __init__(self, database: str) -> None:
        self.database = database
        self.path = f"{database}.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise StoreError naming the process that holds it."""
        if self._fd is not None or fcntl is None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise StoreError(f"the database {self.database} is read-only: Vigie needs to "
                                 f"write to it and to its folder (cannot create {self.path})",
                                 "read_only") from None
            raise StoreError(f"cannot create the lock file {self.path}: {exc.strerror}",
                             "io") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_pid(fd)
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise StoreError(f"cannot lock {self.path}: {exc.strerror}", "io") from None
            who = f" (pid {holder})" if holder else ""
            raise StoreError(
                f"the database {self.database} is in use by another Vigie process{who}: "
                "stop that one first, or give this one its own database (--database); one "
                "process writes to a database at a time", "in_use") from None
        self._fd = fd
        with contextlib.suppress(OSError):  # the pid only helps a second process's message
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        """Let another process open the database."""
        fd, self._fd = self._fd, None
        if fd is not None and fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)


def _read_pid(fd: int) -> int | None:
    """The pid the holder wrote, if it is readable."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
