"""A tiny read-only Docker registry (v2 API) on loopback, to test pulls without the internet.

The Docker engine talks to it over real HTTP exactly as to a public registry;
loopback registries are allowed without TLS by default.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _layer(name: str, size: int) -> tuple[bytes, bytes]:
    """A layer holding one file of random (incompressible) bytes: (tar, tar.gz)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.size = size
        tar.addfile(info, io.BytesIO(os.urandom(size)))
    raw = buffer.getvalue()
    return raw, gzip.compress(raw, compresslevel=1)


class Registry:
    """Serves one repository `lambda/test:1` made of `layers` random layers."""

    def __init__(self, layers: int = 2, layer_size: int = 3_000_000) -> None:
        self.blobs: dict[str, bytes] = {}
        entries, diff_ids = [], []
        for index in range(layers):
            raw, packed = _layer(f"layer{index}.bin", layer_size)
            diff_ids.append(_digest(raw))
            self.blobs[_digest(packed)] = packed
            entries.append(
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(packed),
                    "digest": _digest(packed),
                }
            )
        config = json.dumps(
            {
                "architecture": "amd64",
                "os": "linux",
                "config": {},
                "rootfs": {"type": "layers", "diff_ids": diff_ids},
            }
        ).encode()
        self.blobs[_digest(config)] = config
        self.manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": MANIFEST_TYPE,
                "config": {
                    "mediaType": "application/vnd.docker.container.image.v1+json",
                    "size": len(config),
                    "digest": _digest(config),
                },
                "layers": entries,
            }
        ).encode()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                self._answer(body=False)

            def do_GET(self) -> None:
                self._answer(body=True)

            def _answer(self, body: bool) -> None:
                path = self.path.split("?")[0]
                if path == "/v2/":
                    return self._send(200, b"{}", "application/json", body)
                if path == "/v2/lambda/test/manifests/1" or path.endswith(
                    "/manifests/" + _digest(registry.manifest)
                ):
                    return self._send(200, registry.manifest, MANIFEST_TYPE, body)
                if "/blobs/" in path and path.rsplit("/", 1)[1] in registry.blobs:
                    blob = registry.blobs[path.rsplit("/", 1)[1]]
                    return self._send(200, blob, "application/octet-stream", body)
                error = {"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}
                self._send(404, json.dumps(error).encode(), "application/json", body)

            def _send(self, status: int, data: bytes, kind: str, body: bool) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Docker-Content-Digest", _digest(data))
                self.send_header("Docker-Distribution-API-Version", "registry/2.0")
                self.end_headers()
                if body:
                    # Small writes, so that the engine reports progress along the way.
                    for start in range(0, len(data), 256 * 1024):
                        self.wfile.write(data[start : start + 256 * 1024])

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
