"""The init of a process execution environment: nothing the function starts outlives it.

Standard library only; run as a script by the process runner:

    python reaper.py --script BOOTSTRAP.py ARGS...   (Python: the runtime is a fork, no new
                                                      interpreter start)
    python reaper.py --exec PROGRAM ARGS...          (any other runtime, e.g. node)

On Linux it marks itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so
every process the handler starts, even with start_new_session or a double fork,
stays its descendant. It ends them all, as Lambda ends the whole environment, when
the runtime exits (then exits with the runtime's status or signal), when the
workbench goes away (its stdin, a pipe from the workbench, reaches EOF) or on
SIGTERM. The workbench's own kill stops this process first (SIGSTOP keeps it a
subreaper) and kills its tree from /proc, so the tree is found even mid-fork.
Elsewhere (macOS, Windows) it simply becomes the runtime.
"""

import contextlib
import os
import signal
import sys

PR_SET_CHILD_SUBREAPER = 36
_MAX_ROUNDS = 200


def children(pid):
    """The direct children of `pid` (Linux /proc), oldest first."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as file:
                found.extend(int(c) for c in file.read().split())
        except (OSError, ValueError):
            continue
    return found


def oldest_child(pid):
    """The child of `pid` started first (the runtime, under this init), or None."""
    best = None
    for child in children(pid):
        started = _start_time(child)
        if started is not None and (best is None or started < best[0]):
            best = (started, child)
    return None if best is None else best[1]


def _start_time(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            return int(file.read().rpartition(")")[2].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def is_running(pid):
    """False once `pid` has exited (a zombie not yet reaped has exited too)."""
    return _alive(pid)


def descendants(pid):
    """Every live descendant of `pid` (Linux /proc), children before their parents' siblings."""
    found, queue = [], [pid]
    while queue:
        for child in children(queue.pop()):
            if child not in found:
                found.append(child)
                queue.append(child)
    return found


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            return file.read().rpartition(")")[2].split()[:1] != ["Z"]
    except OSError:
        return False


def kill_descendants(pid, reap=False):
    """SIGKILL the whole tree under `pid` until nothing of it is left running."""
    for _ in range(_MAX_ROUNDS):
        living = [p for p in descendants(pid) if _alive(p)]
        for child in living:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
        if reap:
            _reap_all()
        if not living:
            return


def _reap_all():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_subreaper():
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _end(status):
    """Leave as the runtime left: its exit code, or its signal."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        with contextlib.suppress(OSError, ValueError):  # SIGKILL's action cannot be set
            signal.signal(number, signal.SIG_DFL)
        with contextlib.suppress(OSError):
            os.kill(os.getpid(), number)
        os._exit(128 + number)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def _stop_everything(*_):
    kill_descendants(os.getpid(), reap=True)
    os._exit(137)


def _watch_workbench():
    # stdin is a pipe whose other end only the workbench holds: EOF means it is gone.
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    _stop_everything()


def _run_runtime(mode, argv):
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    if mode == "--exec":
        try:
            os.execv(argv[0], argv)
        except OSError as error:
            sys.stderr.write(f"Could not start {argv[0]}: {error}\n")
            os._exit(127)
    # What runpy.run_path does for a plain script, without importing runpy (~3 ms of the
    # function's Init): the file as __main__.
    sys.argv = list(argv)
    with open(argv[0], "rb") as file:
        code = compile(file.read(), argv[0], "exec")
    exec(code, {"__name__": "__main__", "__file__": argv[0], "__builtins__": __builtins__})
    sys.exit(0)


def main(args):
    mode, argv = args[0], args[1:]
    if mode not in ("--script", "--exec") or not argv:
        sys.stderr.write("usage: reaper.py --script FILE.py ARGS... | --exec PROGRAM ARGS...\n")
        return 2
    if not _become_subreaper():
        _run_runtime(mode, argv)
        return 0
    runtime = os.fork()
    if runtime == 0:
        _run_runtime(mode, argv)
        return 0
    signal.signal(signal.SIGTERM, _stop_everything)
    import threading  # only this side needs it; the runtime started without it

    threading.Thread(target=_watch_workbench, daemon=True).start()
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(1)
        if pid == runtime:
            kill_descendants(os.getpid(), reap=True)
            _end(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
