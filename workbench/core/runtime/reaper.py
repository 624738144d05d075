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

With --script, the script starts at once in the fork and waits (INIT_READY_VARIABLE)
before running any of the function's code while this side becomes the subreaper, and
its compiled code is kept in the folder named by CODE_CACHE_VARIABLE (load_code).
"""

import contextlib
import marshal
import os
import signal
import stat
import sys

PR_SET_CHILD_SUBREAPER = 36
# Set by the workbench: where compiled scripts are kept (see load_code).
CODE_CACHE_VARIABLE = "_WORKBENCH_CODE_CACHE"
# Set for the script: a pipe that says the init is ready (the bootstrap reads it).
INIT_READY_VARIABLE = "_WORKBENCH_INIT_READY_FD"
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
    except (ImportError, OSError, AttributeError):  # a Python built without ctypes
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


def _run_runtime(mode, argv, code_cache=None):
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
    code = load_code(argv[0], code_cache)
    exec(code, {"__name__": "__main__", "__file__": argv[0], "__builtins__": __builtins__})
    sys.exit(0)


def load_code(path, cache_dir=None):
    """The compiled script at `path`, from `cache_dir` when it holds the same source.

    Compiling the bootstrap took ~8 ms of every cold start (-B: no .pyc, and a script's
    is never read anyway). The cache file keeps the source next to the code, so a cached
    code object runs only for byte-identical source; the folder must be this user's own
    and writable by nobody else (it holds code that runs).
    """
    with open(path, "rb") as file:
        source = file.read()
    cached = _cache_file(path, cache_dir)
    if cached is not None:
        try:
            with open(cached, "rb") as file:
                kept, code = marshal.loads(file.read())
            if kept == source:
                return code
        except (OSError, EOFError, ValueError, TypeError):
            pass
    code = compile(source, path, "exec")
    if cached is not None:
        tmp = f"{cached}.{os.getpid()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(marshal.dumps((source, code)))
            os.replace(tmp, cached)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return code


def _cache_file(path, cache_dir):
    if not cache_dir:
        return None
    try:
        os.makedirs(os.path.dirname(cache_dir) or ".", exist_ok=True)
        os.mkdir(cache_dir, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        info = os.lstat(cache_dir)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None
    name = os.path.abspath(path).replace(os.sep, "%")
    return os.path.join(cache_dir, f"{_interpreter_tag()}{name}.code")


def _interpreter_tag():
    # Code objects are only valid for the interpreter that made them: the exact version
    # (a 3.12 beta's byte-code is not 3.12.1's, which cache_tag alone would not tell).
    impl = sys.implementation
    return f"{impl.cache_tag}-{'.'.join(map(str, impl.version))}-{sys.hexversion:x}"


def main(args):
    mode, argv = args[0], args[1:]
    if mode not in ("--script", "--exec") or not argv:
        sys.stderr.write("usage: reaper.py --script FILE.py ARGS... | --exec PROGRAM ARGS...\n")
        return 2
    code_cache = os.environ.pop(CODE_CACHE_VARIABLE, None)
    if not sys.platform.startswith("linux"):
        _run_runtime(mode, argv, code_cache)
        return 0
    if mode == "--exec":
        # An exec'd runtime cannot wait for us: become the subreaper before it starts.
        if not _become_subreaper():
            _run_runtime(mode, argv)
            return 0
        runtime = os.fork()
        if runtime == 0:
            _run_runtime(mode, argv)
            return 0
    else:
        # The script starts (compiles, imports its modules) while this side loads ctypes
        # to become the subreaper (~5 ms); the bootstrap waits for INIT_READY_VARIABLE's
        # pipe before it runs any of the function's code, so nothing can be orphaned
        # before then.
        ready, go = os.pipe()
        runtime = os.fork()
        if runtime == 0:
            os.close(go)
            os.environ[INIT_READY_VARIABLE] = str(ready)
            _run_runtime(mode, argv, code_cache)
            return 0
        os.close(ready)
        _become_subreaper()
        with contextlib.suppress(OSError):
            os.write(go, b"1")
        os.close(go)
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
