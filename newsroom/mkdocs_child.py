"""``mkdocs`` run as newsroom build's child process, which exits without Python's teardown.

MkDocs' own command line, not the core: the one module here that imports MkDocs.

At exit, Python frees every object the build made, one at a time, after the
site is written: 0.8 s of a 10,000-article build on the benchmark machine
(BENCHMARKS.md). The process ends right after, and the system takes back its
memory at once; so once MkDocs is done, its output is flushed and the
process exits with MkDocs' own status.

    python -m newsroom.mkdocs_child build --strict ...   # as python -m mkdocs build ...
"""

from __future__ import annotations

import logging
import os
import sys


def main() -> None:
    from mkdocs.__main__ import cli

    try:
        cli.main(prog_name="mkdocs")  # click ends by raising SystemExit; an error it does not handle goes on as usual
        status = 0
    except SystemExit as done:
        status = exit_status(done.code)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def exit_status(code) -> int:
    """What ``sys.exit(code)`` would exit with; a message is printed, as Python prints it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    main()
