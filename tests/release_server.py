"""A stand-in for GitHub's releases pages on 127.0.0.1, for tests/distribution.rs.

Serves DIR as static files (`<base>/download/v<version>/<archive>`), answers `<base>/latest` with a
302 to `<base>/tag/v<LATEST>` as GitHub does, and `<base>/tag/...` with 200. Prints the port it
listens on, then serves until killed. Usage: python3 release_server.py DIR LATEST
"""

import http.server
import os
import sys

root, latest = sys.argv[1], sys.argv[2]


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=root, **kwargs)

    def _route(self):
        path = self.path.split("?", 1)[0]
        if path.endswith("/latest"):
            self.send_response(302)
            self.send_header("Location", path[: -len("latest")] + "tag/v" + latest)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if "/tag/" in path:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        return False

    def do_GET(self):
        if not self._route():
            super().do_GET()

    def do_HEAD(self):
        if not self._route():
            super().do_HEAD()

    def log_message(self, fmt, *args):
        sys.stderr.write("release_server: " + fmt % args + "\n")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
os.environ.pop("PYTHONSTARTUP", None)
server.serve_forever()
