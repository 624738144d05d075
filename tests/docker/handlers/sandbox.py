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
