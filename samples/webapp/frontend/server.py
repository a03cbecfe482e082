"""Serves /srv/static and forwards /api/* to the backend (BACKEND_URL)."""

import os
import signal
import sys
import urllib.error
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

BACKEND_URL = os.environ.get("BACKEND_URL", "http://backend:8000")


class Handler(SimpleHTTPRequestHandler):
    def _proxy(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        request = urllib.request.Request(BACKEND_URL + self.path, data=body, method=self.command)
        try:
            with urllib.request.urlopen(request, timeout=10) as upstream:
                status, payload = upstream.status, upstream.read()
        except urllib.error.HTTPError as err:
            status, payload = err.code, err.read()
        except OSError as err:
            status, payload = 502, f'{{"error": "backend unreachable: {err}"}}'.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.path.startswith("/api/"):
            self._proxy()
        else:
            super().do_GET()

    def do_POST(self):
        self._proxy()

    def log_message(self, fmt, *args):
        # the healthcheck fetches / every second from inside the container: keep the log readable
        if not (self.path == "/" and self.client_address[0] == "127.0.0.1"):
            super().log_message(fmt, *args)

    def end_headers(self):
        # Hot reload means fresh files on every request.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"frontend: serving http://127.0.0.1:8080 (proxying /api to {BACKEND_URL})", flush=True)
    handler = partial(Handler, directory="/srv/static")
    ThreadingHTTPServer(("0.0.0.0", 8080), handler).serve_forever()
