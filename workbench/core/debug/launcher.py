"""Runs a runtime client under debugpy: python launcher.py PORT DEBUGPY_DIR PYCACHE SCRIPT ARGS...

Started by the workbench in place of the runtime client when debugging. It listens for the
workbench's Debug Adapter Protocol client on 127.0.0.1:PORT (0.0.0.0 in a container), waits
for it, then runs SCRIPT as __main__, so breakpoints in init code hit too. Standard library
only, besides debugpy itself, which comes from DEBUGPY_DIR and is not left on sys.path.
"""

import os
import runpy
import sys


def main():
    port, lib, pycache = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    script_args = sys.argv[4:]
    # debugpy's own bytecode is cached (outside the user's folder): compiling its few hundred
    # modules on every debug start would take about a second. The function's code stays
    # uncached, as the runner runs it with -B.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, False
    sys.pycache_prefix = pycache
    sys.path.insert(0, lib)
    try:
        import debugpy
    except ImportError as error:
        sys.stderr.write(f"workbench: debugpy could not be loaded from {lib}: {error}\n")
        sys.exit(97)
    finally:
        sys.path.remove(lib)
    host = os.environ.get("WORKBENCH_DEBUG_HOST", "127.0.0.1")
    # In-process: no adapter subprocess to start (hundreds of ms on a cold start).
    debugpy.listen((host, port), in_process_debug_adapter=True)
    debugpy.wait_for_client()
    sys.dont_write_bytecode = writes  # from here on it is the function's code
    sys.argv = script_args
    if script_args[0] == "-m":
        sys.argv = script_args[1:]
        runpy.run_module(script_args[1], run_name="__main__", alter_sys=True)
    else:
        runpy.run_path(script_args[0], run_name="__main__")


if __name__ == "__main__":
    main()
