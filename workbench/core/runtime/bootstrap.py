"""Stdlib-only Lambda runtime client run inside the process environment.

Behaves like AWS's awslambdaric 4.2.2 (error shapes, log formats, context
object) so results match the official images byte for byte, but needs
nothing beyond the standard library, so it runs on macOS and Windows too.
Usage: python bootstrap.py MODULE.FUNCTION   (AWS_LAMBDA_RUNTIME_API set)
"""

# Only what every invoke needs is imported up front: this start-up is part of every cold
# start's Init Duration. logging, traceback and decimal load when first used.
import contextlib
import importlib
import json
import math
import os
import socket
import sys
import time

# Written to stdout after each invocation so the workbench knows every line
# the handler printed has arrived before it closes the invocation's logs.
SENTINEL = "\x1e\x1eworkbench-invocation-done:"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
MAX_RSS_HEADER = "Workbench-Max-Rss-Kb"
TOKEN_HEADER = "Workbench-Runtime-Token"  # api.TOKEN_HEADER (this file is stdlib-only)
TOKEN_FD_VARIABLE = "_WORKBENCH_TOKEN_FD"
# reaper.py's pipe: it closes once the environment's init is ready to adopt orphans.
INIT_READY_VARIABLE = "_WORKBENCH_INIT_READY_FD"
ERROR_LOG_IDENT = "\u00a0"
_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_PY312_PLUS_ENVS = {
    "AWS_Lambda_python3.12",
    "AWS_Lambda_python3.13",
    "AWS_Lambda_python3.14",
    "AWS_Lambda_python3.15",
}
UNHANDLED_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function "
    "code. However, in rare cases, a Lambda runtime update can cause unexpected function "
    "behavior. For functions using managed runtimes, runtime updates can be triggered by a "
    "function change, or can be applied automatically. To determine if the runtime has been "
    "updated, check the runtime version in the INIT_START log entry. If this error correlates "
    "with a change in the runtime version, you may be able to mitigate this error by "
    "temporarily rolling back to the previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)
_RESERVED = {
    "name",
    "msg",
    "args",
    "levelname",
    "levelno",
    "pathname",
    "filename",
    "module",
    "exc_info",
    "exc_text",
    "stack_info",
    "lineno",
    "funcName",
    "created",
    "msecs",
    "relativeCreated",
    "thread",
    "threadName",
    "processName",
    "process",
    "aws_request_id",
    "tenant_id",
    "_frame_type",
    "taskName",
}
_request_id = None


class FaultException(Exception):
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


class Unbuffered:
    """Flush after every write, as the real runtime does, so logs are never held back."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


def _json_default(obj):
    decimal = sys.modules.get("decimal")  # no Decimal can exist unless it was imported
    if decimal is not None and isinstance(obj, decimal.Decimal):
        if obj.is_nan():
            return math.nan
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    raise TypeError(f"Object of type {obj.__class__.__name__} is not JSON serializable")


def to_json(obj):
    ensure_ascii = os.environ.get("AWS_EXECUTION_ENV") not in _PY312_PLUS_ENVS
    return json.dumps(obj, ensure_ascii=ensure_ascii, allow_nan=True, default=_json_default)


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(
            FaultException.MALFORMED_HANDLER_NAME, f"Bad handler '{handler}': {e}"
        ) from None
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                f"Cannot use built-in module {modname} as a handler module",
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR, f"Unable to import module '{modname}': {e}"
        ) from None
    except SyntaxError as e:
        # Same format string as awslambdaric, so the trace matches byte for byte.
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]  # noqa: UP031
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            f"Syntax error in module '{modname}': {e}",
            trace,
        ) from None
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND, f"Handler '{fname}' missing on module '{modname}'"
        ) from None


def make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace or [],
    }


def build_fault(exc_info, request_id=None):
    import traceback

    etype, value, tb = exc_info
    frames: list = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        # Drop the runtime's own frames, as awslambdaric does for its bootstrap.py.
        if not frame[0].replace("\\", "/").endswith("/bootstrap.py"):
            frames = frames[i:]
            break
    return make_error(str(value), etype.__name__, traceback.format_list(frames), request_id)


def _indent(line):
    count = len(line) - len(line.lstrip(" "))
    return ERROR_LOG_IDENT * count + line[count:]


def log_error(error):
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        record = {
            "timestamp": time.strftime(_DATETIME_FORMAT, time.gmtime()),
            "level": "ERROR",
            **error,
        }
        sys.stdout.write(to_json(record) + "\n")
        return
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            if element == "":
                lines.append("")
            else:
                lines.extend(_indent(line) for line in element.splitlines())
    sys.stdout.write("\r".join(lines) + "\n")


def setup_logging():
    """Lambda's root log handler and formats (logging is loaded, or loading, by now)."""
    import logging
    import traceback

    class JsonFormatter(logging.Formatter):
        def __init__(self):
            super().__init__(datefmt=_DATETIME_FORMAT)

        def format(self, record):
            record.levelno = min(50, max(0, record.levelno)) // 10 * 10
            record.levelname = logging.getLevelName(record.levelno)
            exc = record.exc_info
            result = {
                "timestamp": self.formatTime(record, self.datefmt),
                "level": record.levelname,
                "message": record.msg
                if isinstance(record.msg, dict) and not record.args
                else record.getMessage(),
                "logger": record.name,
                "stackTrace": traceback.format_tb(exc[2]) if exc else None,
                "errorType": exc[0].__name__ if exc else None,
                "errorMessage": str(exc[1]) if exc else None,
                "requestId": getattr(record, "aws_request_id", None),
                "location": f"{record.pathname}:{record.funcName}:{record.lineno}" if exc else None,
            }
            result.update(
                (k, v) for k, v in record.__dict__.items() if k not in _RESERVED and k not in result
            )
            result = {k: v for k, v in result.items() if v is not None}
            return json.dumps(result, ensure_ascii=False, default=str) + "\n"

    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            sys.stdout.write(self.format(record))

    class RequestIdFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _request_id or ""
            record.tenant_id = None
            return True

    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
                "%Y-%m-%dT%H:%M:%S",
            )
        )
    level = {None: "", "TRACE": "DEBUG"}.get(
        os.environ.get("AWS_LAMBDA_LOG_LEVEL"), os.environ.get("AWS_LAMBDA_LOG_LEVEL", "")
    ).upper()
    logger = logging.getLogger()
    if level in logging._nameToLevel:
        logger.setLevel(level)
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)


class LoggingOnFirstImport:
    """Sets Lambda's log handler up the moment anything first imports `logging`.

    Lambda's runtime configures the root logger before the handler's module loads.
    Doing it as `logging` finishes loading gives every function the same logging
    (nothing can log before importing it) without the import's ~20 ms in the Init
    Duration of functions that never log. The standard library's logging is the one
    found, as on Lambda where the runtime's copy is loaded before /var/task is searched.
    """

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(name, [os.path.dirname(os.__file__)])
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_set_up(module):
            exec_module(module)
            setup_logging()

        loader.exec_module = exec_and_set_up  # type: ignore[method-assign]
        return spec


def install_logging():
    if "logging" in sys.modules:
        setup_logging()
    else:
        sys.meta_path.insert(0, LoggingOnFirstImport())


class _Object:
    __slots__: list[str] = []

    def __repr__(self):
        fields = ",".join(f"{n}={getattr(self, n, None)}" for n in self.__slots__)
        return f"{self.__class__.__name__}([{fields}])"


class CognitoIdentity(_Object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(_Object):
    __slots__ = [
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    ]


class ClientContext(_Object):
    __slots__ = ["custom", "env", "client"]


def _from_dict(cls, data):
    if data is None:
        return None
    obj = cls()
    for name in cls.__slots__:
        setattr(obj, name, data.get(name))
    return obj


class LambdaContext:
    def __init__(self, request_id, client_context, cognito_identity, deadline_ms, arn):
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = arn
        self.tenant_id = None
        self.client_context = _from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _from_dict(Client, self.client_context.client)
        self.identity = _from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))


def _parse_json_header(value, name):
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, f"Unable to parse {name} JSON: {e}"
        ) from None


def _connect(host, port):
    """A TCP connection; an IP address is connected to directly: create_connection's
    getaddrinfo encodes the host with the idna codec, whose import (stringprep,
    unicodedata) took ~3 ms of every Init."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
        except OSError:
            continue
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.connect((host, port))
        except OSError:
            sock.close()
            raise
        return sock
    return socket.create_connection((host, port))


class RuntimeClient:
    """Talks to the Runtime API over one kept-alive HTTP/1.1 connection.

    A few lines over a socket rather than http.client, whose import (email, ssl) was
    a third of this file's start-up; the peer is the workbench's own Runtime API,
    which always sends Content-Length.
    """

    def __init__(self, address, token=None):
        self.address = address
        host, _, port = address.rpartition(":")
        self.host, self.port = host.strip("[]"), int(port)
        self.sock = None
        self.reader = None
        # The workbench's per-environment secret: other environments' runtimes lack it.
        self.auth = {TOKEN_HEADER: token} if token else {}

    def _close(self):
        for thing in (self.reader, self.sock):
            if thing is not None:
                with contextlib.suppress(OSError):
                    thing.close()
        self.sock = self.reader = None

    def _request(self, method, path, body=None, headers=None):
        lines = [f"{method} /2018-06-01/runtime{path} HTTP/1.1", f"Host: {self.address}"]
        lines += [f"{k}: {v}" for k, v in {**(headers or {}), **self.auth}.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")
        for attempt in (1, 2):
            try:
                if self.sock is None:
                    self.sock = _connect(self.host, self.port)
                    self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.reader = self.sock.makefile("rb")
                self.sock.sendall(data)
                return self._response()
            except OSError:
                self._close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _response(self):
        reader = self.reader
        assert reader is not None, "connected by _request"
        status_line = reader.readline(65537)
        parts = status_line.split()
        if len(parts) < 2 or not parts[1].isdigit():
            raise ConnectionError(f"the Runtime API sent {status_line[:80]!r}")
        headers = {}
        for _ in range(200):
            line = reader.readline(65537)
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise ConnectionError("the Runtime API closed the connection mid-response")
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip()] = value.strip()
        length = int(_header(headers, "Content-Length") or 0)
        body = reader.read(length) if length else b""
        if len(body) < length:
            raise ConnectionError("the Runtime API closed the connection mid-response")
        if (_header(headers, "Connection") or "").lower() == "close":
            self._close()
        return int(parts[1]), headers, body

    def next(self):
        status, headers, body = self._request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeError(f"next failed with status {status}")
        return headers, body

    def post(self, path, body, headers):
        headers = dict(headers)
        rss = _max_rss_kb()
        if rss is not None:
            headers[MAX_RSS_HEADER] = str(rss)
        status, _, reply = self._request("POST", path, body, headers)
        return status, reply


def _max_rss_kb():
    # Linux: VmHWM is this process's own peak. ru_maxrss is NOT usable there: it
    # survives fork+exec, so a child of a 300 MB GUI would report 300 MB.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def _header(headers, name):
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def handle(client, handler, headers, body):
    global _request_id
    request_id = _header(headers, "Lambda-Runtime-Aws-Request-Id")
    _request_id = request_id
    trace_id = _header(headers, "Lambda-Runtime-Trace-Id")
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    error = None
    try:
        client_context = _header(headers, "Lambda-Runtime-Client-Context")
        cognito = _header(headers, "Lambda-Runtime-Cognito-Identity")
        context = LambdaContext(
            request_id,
            _parse_json_header(client_context, "Client Context") if client_context else None,
            _parse_json_header(cognito, "Cognito Identity") if cognito else None,
            int(_header(headers, "Lambda-Runtime-Deadline-Ms") or 0),
            _header(headers, "Lambda-Runtime-Invoked-Function-Arn"),
        )
        content_type = _header(headers, "Content-Type") or "application/json"
        if content_type == "application/json":
            try:
                event = json.loads(body)
            except Exception as e:
                raise FaultException(
                    FaultException.UNMARSHAL_ERROR, f"Unable to unmarshal input: {e}"
                ) from None
        else:
            event = body
        response = handler(event, context)
        if isinstance(response, bytes):
            result, result_type = response, "application/unknown"
        else:
            try:
                result, result_type = to_json(response).encode("utf-8"), "application/json"
            except Exception as e:
                raise FaultException(
                    FaultException.MARSHAL_ERROR, f"Unable to marshal response: {e}"
                ) from None
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, request_id)
    except Exception:
        error = build_fault(sys.exc_info(), request_id)

    if error is not None:
        log_error(error)
        sys.stdout.write(SENTINEL + request_id + "\n")
        client.post(
            f"/invocation/{request_id}/error",
            to_json(error).encode("utf-8"),
            {ERROR_TYPE_HEADER: error["errorType"], "Content-Type": "application/json"},
        )
        return
    sys.stdout.write(SENTINEL + request_id + "\n")
    status, reply = client.post(
        f"/invocation/{request_id}/response", result, {"Content-Type": result_type}
    )
    if status != 202:
        # Like awslambdaric: a refused response (413) ends the runtime.
        sys.stderr.write(f"Runtime API refused the response ({status}): {reply!r}\n")
        sys.exit(1)


def setup_path(task_root):
    """Put exactly the function's paths on sys.path, ahead of the standard library.

    The process runner starts this file with `python -I -S`, so nothing but the
    standard library is importable until here; it lists the function's paths in
    WORKBENCH_PYTHON_PATH (code folder, .venv or requirements, layers, the SDK),
    removed from the environment before user code can see it.
    """
    paths = os.environ.pop("WORKBENCH_PYTHON_PATH", None)
    sites = os.environ.pop("WORKBENCH_PYTHON_SITES", "")
    venv = os.environ.pop("WORKBENCH_PYTHON_VENV", None)
    if paths is None:
        # Run by hand: the function's code comes first, not this file's folder.
        here = os.path.dirname(os.path.abspath(__file__))
        if sys.path and os.path.abspath(sys.path[0] or ".") == here:
            sys.path[0] = task_root
        else:
            sys.path.insert(0, task_root)
        return
    sys.path[:0] = [p for p in paths.split(os.pathsep) if p]
    if venv:
        # What site.py does for a venv, which -S skipped.
        sys.prefix = sys.exec_prefix = venv
    if sites:
        import site

        for folder in sites.split(os.pathsep):
            if folder:
                site.addsitedir(folder)  # runs its .pth files, as on Lambda


def read_token():
    """The Runtime API token, from a pipe the workbench passes (its fd number in
    TOKEN_FD_VARIABLE): not the environment or argv, which other processes of this
    user can read in /proc. The pipe holds one line and is closed after reading."""
    fd = os.environ.pop(TOKEN_FD_VARIABLE, "")
    if not fd.isdigit():
        return None
    data = b""
    try:
        while len(data) < 256:
            chunk = os.read(int(fd), 256 - len(data))
            if not chunk:
                break
            data += chunk
        os.close(int(fd))
    except OSError:
        return None
    return data.decode("ascii", errors="replace").strip() or None


def wait_for_init():
    """Block until reaper.py is the subreaper (it writes a byte, or its end closes).

    Before this nothing of the function has run, so nothing it starts can escape the
    environment; reaper.py makes itself ready while this process imports its modules."""
    fd = os.environ.pop(INIT_READY_VARIABLE, "")
    if fd.isdigit():
        with contextlib.suppress(OSError):
            os.read(int(fd), 1)
        with contextlib.suppress(OSError):
            os.close(int(fd))


def main(argv):
    token = read_token()
    wait_for_init()
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    setup_path(os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd())
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"], token)
    error = None
    try:
        install_logging()
        handler = get_handler(argv[1] if len(argv) > 1 else os.environ.get("_HANDLER", ""))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
    except Exception:
        error = build_fault(sys.exc_info())
    if error is not None:
        import logging  # set up by install_logging() if the handler's code did not load it

        logging.warning(UNHANDLED_WARNING)
        log_error(error)
        client.post(
            "/init/error",
            to_json(error).encode("utf-8"),
            {ERROR_TYPE_HEADER: error["errorType"], "Content-Type": "application/json"},
        )
        sys.exit(1)
    while True:
        headers, body = client.next()
        handle(client, handler, headers, body)


if __name__ == "__main__":
    main(sys.argv)
