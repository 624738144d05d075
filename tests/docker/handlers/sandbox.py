"""Handlers that probe the sandbox a Docker environment gives a function."""

import os


def identity(event, context):
    return {"uid": os.getuid(), "gid": os.getgid(), "cwd": os.getcwd()}


def try_write(event, context):
    """Try to create a file at event["path"]; report the errno name on failure."""
    try:
        with open(event["path"], "w") as handle:
            handle.write("x" * int(event.get("bytes", 1)))
    except OSError as error:
        return {"written": False, "error": os.strerror(error.errno)}
    return {"written": True}


def tmp_size(event, context):
    stat = os.statvfs("/tmp")
    return stat.f_blocks * stat.f_frsize


def allocates(event, context):
    block = bytearray(int(event["mb"]) * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return len(block)


def uses_dependency(event, context):
    import tinydep

    return tinydep.VALUE


def opt_listing(event, context):
    import importlib

    found = {}
    for name in event["modules"]:
        try:
            found[name] = importlib.import_module(name).VALUE
        except ImportError as error:
            found[name] = str(error)
    return found


def steal(event, context):
    """Try to take another environment's next event and answer it, at each address given.

    A long-poll that blocks (socket timeout) means the request got past the guard.
    """
    import http.client

    results = {}
    for address in event["addresses"]:
        try:
            conn = http.client.HTTPConnection(address, timeout=event.get("wait", 3))
            conn.request("GET", "/2018-06-01/runtime/invocation/next")
            reply = conn.getresponse()
            reply.read()
            results[address] = {"next": reply.status}
            if reply.status == 200:
                request_id = reply.getheader("Lambda-Runtime-Aws-Request-Id")
                path = f"/2018-06-01/runtime/invocation/{request_id}/response"
                conn.request("POST", path, b'"forged"')
                results[address]["response"] = conn.getresponse().status
        except OSError as error:
            results[address] = {"error": type(error).__name__}
    return results


def connect(event, context):
    """Open a TCP connection to event host:port; report whether it worked."""
    import socket

    try:
        with socket.create_connection((event["host"], event["port"]), timeout=3) as sock:
            return {"connected": True, "said": sock.recv(64).decode()}
    except OSError as error:
        return {"connected": False, "error": type(error).__name__}


def kill_self(event, context):
    import signal

    os.kill(os.getpid(), getattr(signal, event["signal"]))
    return "still alive"


def read_file(event, context):
    try:
        with open(event["path"], "rb") as handle:
            return {"bytes": len(handle.read())}
    except OSError as error:
        return {"error": os.strerror(error.errno)}


def _cpu_quota():
    for path in ("/sys/fs/cgroup/cpu.max", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"):
        try:
            with open(path) as handle:
                return int(handle.read().split()[0])
        except (OSError, ValueError):
            continue
    return None


CPU_QUOTA_AT_INIT = _cpu_quota()


def cpu_quota(event, context):
    return {"init": CPU_QUOTA_AT_INIT, "invoke": _cpu_quota()}


def prints_request_id(event, context):
    import sys

    for n in range(event.get("lines", 3)):
        print(f"line {n} {context.aws_request_id}")
        sys.stderr.write(f"err {n} {context.aws_request_id}\n")
    return event.get("i")


def fill_tmp(event, context):
    """Write event["mb"] MB to /tmp in 1 MB pieces; report how far it got and why it stopped."""
    block = b"x" * (1024 * 1024)
    written = 0
    try:
        with open("/tmp/fill", "wb") as handle:
            for _ in range(int(event["mb"])):
                handle.write(block)
                written += 1
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        return {"written_mb": written, "error": os.strerror(error.errno)}
    finally:
        if event.get("remove", True) and os.path.exists("/tmp/fill"):
            os.unlink("/tmp/fill")
    return {"written_mb": written}
