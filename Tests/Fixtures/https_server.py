"""A tiny HTTPS server for the TLS tests: answers 200 "ok" to GET, POST and PUT.

usage: https_server.py CERT KEY [--report-sni]
Prints the port it listens on (127.0.0.1, ephemeral), then serves until killed or until
60 seconds pass, so a test that dies never leaves it running. With --report-sni it also
prints one line per TLS handshake: "sni NAME", or "sni -" when the client sent no server name.
"""
import http.server
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
if "--report-sni" in sys.argv[3:]:
    def report(ssl_socket, server_name, ssl_context):
        print("sni " + (server_name or "-"), flush=True)

    context.sni_callback = report
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
threading.Timer(60, server.shutdown).start()
server.serve_forever()
