"""The notes API: GET/POST /api/notes, GET /api/health, GET /api/hello.

Edit GREETING and save: `cl watch` copies this file in and restarts the server.
"""

import json
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from db import connect

GREETING = "hello from the backend"


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/api/health":
            self._send(200, {"status": "ok"})
        elif self.path == "/api/hello":
            self._send(200, {"message": GREETING})
        elif self.path == "/api/notes":
            with connect() as conn, conn.cursor() as cur:
                cur.execute("SELECT id, body FROM notes ORDER BY id")
                self._send(200, [{"id": i, "body": b} for i, b in cur.fetchall()])
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/api/notes":
            self._send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        text = self.rfile.read(length).decode() or "(empty)"
        with connect() as conn, conn.cursor() as cur:
            cur.execute("INSERT INTO notes (body) VALUES (%s) RETURNING id", (text,))
            (note_id,) = cur.fetchone()
        self._send(201, {"id": note_id, "body": text})

    def log_message(self, fmt, *args):
        if self.path != "/api/health":  # the healthcheck asks every second: keep the log readable
            print("backend:", fmt % args, flush=True)


if __name__ == "__main__":
    # As PID 1 the default SIGTERM action is ignored: exit promptly on stop instead.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("backend: listening on :8000", flush=True)
    ThreadingHTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
