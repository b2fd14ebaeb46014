"""Start a worker beside a server in one command (`binhdang demo`), stopped with it."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Linux: the kernel sends SIGTERM to the worker when its parent ends. The parent execs gunicorn, which keeps
    # its process id, so the worker stops when the server stops, however it was stopped.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def worker_start_beside() -> subprocess.Popen[bytes]:
    """A `binhdang worker` child process of this one, with the same settings and database."""
    return subprocess.Popen(
        [sys.executable, "-m", "binhdang.cli", "worker"],
        env=os.environ.copy(),
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
