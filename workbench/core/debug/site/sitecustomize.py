"""Loaded by the container's Python at start when the workbench debugs: waits for its client.

Mounted read-only at /opt/workbench-debug/site (on PYTHONPATH only for a debug invoke);
debugpy itself is mounted at /opt/workbench-debug/debugpy. Standard library only.
"""

import os
import sys

_PORT = os.environ.get("WORKBENCH_DEBUG_PORT")
if _PORT and not os.environ.get("_WORKBENCH_DEBUG_STARTED"):
    os.environ["_WORKBENCH_DEBUG_STARTED"] = "1"  # processes the function starts are not held
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no frozen-modules note in logs
    sys.path.insert(0, "/opt/workbench-debug")
    try:
        import debugpy
    except ImportError as error:
        sys.stderr.write(f"workbench: debugpy could not be loaded in the container: {error}\n")
    else:
        debugpy.listen(("0.0.0.0", int(_PORT)), in_process_debug_adapter=True)
        debugpy.wait_for_client()
    finally:
        sys.path.remove("/opt/workbench-debug")
