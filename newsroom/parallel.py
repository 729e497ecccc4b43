"""Work shared among forked processes: started early, collected later.

A build has long single-threaded stretches (MkDocs scanning the theme,
copying its assets, rendering its own pages). Work forked before such a
stretch runs beside it on the other cores, and the parent joins in when it
comes to collect. Items are taken a chunk at a time from one shared counter,
so a busy parent simply takes fewer.

Children inherit the items and everything else at fork time; only results
travel back, pickled. Objects in ``shared`` (registry terms, say) travel as
references, so the parent gets its own objects back, not copies.
"""

from __future__ import annotations

import ctypes
import io
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
from typing import Any, Callable, Sequence

from .problems import Problem, Problems
from .text import visible

CHUNK = 8  # items taken at a time: few enough trips to the counter, small enough to balance
# The counter's lock is held for a few instructions; a worker killed (say by the
# out-of-memory killer) right then would hold it forever: fail instead of hanging.
LOCK_TIMEOUT = 60.0
WORKERS_VAR = "NEWSROOM_WORKERS"
MAX_WORKERS = 256  # more processes than that is a typo, not a machine
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def worker_count(items: int, minimum: int = 100) -> int:
    """Processes for ``items`` pieces of work: one per core, but none extra for a handful.

    ``NEWSROOM_WORKERS`` overrides it (1: everything in the parent); a value
    that is not a whole number from 1 to ``MAX_WORKERS`` raises ``Problems``.
    """
    chosen = _workers_from_environment()
    if not hasattr(os, "fork"):
        return 1
    if chosen:
        return chosen
    return max(1, min(os.cpu_count() or 1, items // minimum))


def _workers_from_environment() -> int | None:
    written = os.environ.get(WORKERS_VAR, "")
    if not written.strip():
        return None
    try:
        count = int(written)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_WORKERS:
        message = f'"{visible(written)}" is not a whole number from 1 to {MAX_WORKERS}'
        raise Problems([Problem("environment", 1, WORKERS_VAR, message, f"write e.g. {WORKERS_VAR}=2 (1: everything in one process)")])
    return count


class Shared:
    """``function(item)`` for every item, in ``workers`` processes counting the parent."""

    def __init__(self, function: Callable[[Any], Any], items: Sequence, workers: int, shared: Sequence = ()):
        self._function, self._items = function, items
        self._chunks = (len(items) + CHUNK - 1) // CHUNK
        self._shared = {id(obj): obj for obj in shared}
        # The next chunk to take, in shared memory. Its lock is made for fork(),
        # which this module calls itself, whatever multiprocessing's default.
        self._next = multiprocessing.get_context("fork").Value("q", 0) if hasattr(os, "fork") else _Alone()
        self._children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        try:
            for _ in range(workers - 1):
                self._children.append(self._fork())
        except BaseException:  # out of processes or files: none of the started ones is left behind
            self.cancel()
            raise

    def results(self) -> list:
        """Every item's result, in the items' order; the parent works until none is left."""
        failed = False
        try:
            done = self._work()
            while self._children:
                pid, pipe = self._children.pop(0)  # from here on this child is ours to reap
                try:
                    with os.fdopen(pipe, "rb") as reader:
                        data = reader.read()
                except BaseException:
                    _stop(pid)
                    raise
                if os.waitpid(pid, 0)[1] == 0:
                    done.update(self._loads(data))
                else:
                    failed = True
        except BaseException:  # the parent's share or a result failed: stop the other children too
            self.cancel()
            raise
        if failed:
            raise RuntimeError("a worker process failed; its error is printed above")
        return [done[i] for i in range(len(self._items))]

    def cancel(self) -> None:
        """Stop the children (the build failed elsewhere) and reap them."""
        while self._children:
            pid, pipe = self._children.pop()
            os.close(pipe)
            _stop(pid)

    def _work(self) -> dict[int, Any]:
        done = {}
        while (chunk := self._take()) < self._chunks:
            for i in range(chunk * CHUNK, min((chunk + 1) * CHUNK, len(self._items))):
                done[i] = self._function(self._items[i])
        return done

    def _take(self) -> int:
        lock = self._next.get_lock()
        if not lock.acquire(timeout=LOCK_TIMEOUT):
            raise RuntimeError(f"the work counter stayed locked for {LOCK_TIMEOUT:.0f} s: a worker died holding it")
        try:
            chunk = self._next.value
            self._next.value += 1
        finally:
            lock.release()
        return chunk

    def _fork(self) -> tuple[int, int]:
        reader, writer = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid:
            os.close(writer)
            return pid, reader
        die_with_parent(parent)
        os.close(reader)
        try:
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(self._dumps(self._work()))
        except KeyboardInterrupt:  # Ctrl-C reaches every process: the parent reports it once
            os._exit(130)
        except BaseException:
            traceback.print_exc(file=sys.stderr)
            os._exit(1)
        os._exit(0)

    def _dumps(self, done: dict) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: id(obj) if id(obj) in self._shared else None
        pickler.dump(done)
        return buffer.getvalue()

    def _loads(self, data: bytes) -> dict:
        unpickler = pickle.Unpickler(io.BytesIO(data))
        unpickler.persistent_load = self._shared.__getitem__  # ids are the same in a forked child
        return unpickler.load()


def die_with_parent(parent: int) -> None:
    """In a forked child: be killed the moment the parent dies, rather than write on for seconds.

    Linux only (elsewhere a no-op). The signal comes when the parent's forking
    *thread* ends: under ``mkdocs serve`` that is the rebuild thread, which
    lives as long as the server.
    """
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _load_prctl()  # looked up once here, not in every child


class _Alone:
    """The counter where there is no fork(): one process takes every chunk."""

    value = 0

    def __init__(self):
        self._lock = threading.Lock()

    def get_lock(self) -> threading.Lock:
        return self._lock


def _stop(pid: int) -> None:
    """Kill a child and reap it, so it does not linger as a zombie."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
