"""A visit counter kept on a named volume; /admin needs the token from the `api_token` secret.
APP_VERSION=broken makes a release whose healthcheck never passes, to watch a rollback."""

import json
import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COUNTER = Path(os.environ.get("DATA_DIR", "/data")) / "visits"
TOKEN = Path("/run/secrets/api_token").read_text().strip()


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            version = os.environ.get("APP_VERSION", "")
            self._send(500 if version == "broken" else 200, {"status": "ok", "version": version})
        elif self.path == "/":
            visits = int(COUNTER.read_text()) + 1 if COUNTER.exists() else 1
            COUNTER.write_text(str(visits))
            self._send(200, {"visits": visits})
        elif self.path == "/admin":
            authorized = self.headers.get("Authorization") == f"Bearer {TOKEN}"
            self._send(200 if authorized else 401, {"admin": authorized})
        else:
            self._send(404, {"error": "not found"})


if __name__ == "__main__":
    server = ThreadingHTTPServer(("0.0.0.0", 8000), Handler)
    server.daemon_threads = False  # on the way out, requests in flight are finished, not dropped
    # SIGTERM (a redeploy, `cl stop`): stop taking requests, finish the ones in flight, exit.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever(poll_interval=0.1)
    server.server_close()
