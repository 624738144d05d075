"""Runs a runtime client under debugpy: python launcher.py PORT DEBUGPY_DIR SCRIPT ARGS...

Started by the workbench in place of the runtime client when debugging. It listens for the
workbench's Debug Adapter Protocol client on 127.0.0.1:PORT (0.0.0.0 in a container), waits
for it, then runs SCRIPT as __main__, so breakpoints in init code hit too. Standard library
only, besides debugpy itself, which comes from DEBUGPY_DIR and is not left on sys.path.
"""

import os
import runpy
import sys


def main():
    port, lib = int(sys.argv[1]), sys.argv[2]
    script_args = sys.argv[3:]
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
    sys.argv = script_args
    if script_args[0] == "-m":
        sys.argv = script_args[1:]
        runpy.run_module(script_args[1], run_name="__main__", alter_sys=True)
    else:
        runpy.run_path(script_args[0], run_name="__main__")


if __name__ == "__main__":
    main()
