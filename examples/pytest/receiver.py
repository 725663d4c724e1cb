"""A stand-in for your own callback receiver: an HTTP server that keeps each request it gets.

In your project this is your real receiver (Flask, Django, FastAPI, ...), started by your own fixture.
"""
import http.server
import json
import queue
import threading


class Receiver:
    """Listens on 127.0.0.1 (a free port) and answers 200 to every request; `requests` holds them."""

    def __enter__(self):
        self.requests = queue.Queue()
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                requests.put((self.path, dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def next_request(self, timeout=30):
        """The next request: (path, headers, body as JSON)."""
        path, headers, body = self.requests.get(timeout=timeout)
        return path, headers, json.loads(body)
