"""Webhook test doubles: a real HTTP(S) receiver on loopback (also standing in for
ClinicalTrials.gov, and for the caching proxy that edge purges go to) and a DNS whose answers
tests set."""

import json
import socket
import ssl
import sys
import threading
import time
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: Message  # looked up case-insensitively, as HTTP requires
    body: bytes
    method: str = "POST"

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


class Receiver:
    """Records every connection and request; answers with scripted replies in turn, then 200.

    With ``tls``, it speaks HTTPS with that server context and records the host name each client
    asked for in TLS (SNI).
    """

    def __init__(self, tls: ssl.SSLContext | None = None, port: int = 0) -> None:
        self.requests: list[Received] = []
        self.replies: list[Reply] = []
        self.connections = 0
        self.server_names: list[str | None] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append(Received(self.path, self.headers, body, self.command))
                    reply = receiver.replies.pop(0) if receiver.replies else Reply()
                time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            # The ClinicalTrials.gov sync's tests use the same scripted answers for GET.
            do_GET = do_POST
            # The edge purges (articles.edge) send PURGE.
            do_PURGE = do_POST

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def verify_request(self, request, client_address) -> bool:
                with receiver._lock:
                    receiver.connections += 1
                return True

            def handle_error(self, request, client_address) -> None:
                # A client that gave up on a slow reply (a timeout test) is expected.
                if not isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", port), Handler)
        self.scheme = "http"
        if tls is not None:
            tls.sni_callback = lambda _socket, name, _context: self.server_names.append(name)
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/hooks/mbc"

    def url_for(self, host: str) -> str:
        """This receiver's URL under another host name (which the test's DNS must map here)."""
        return f"{self.scheme}://{host}:{self.port}/hooks/mbc"

    def script(self, *replies: int | Reply) -> None:
        self.replies = [r if isinstance(r, Reply) else Reply(status=r) for r in replies]

    def start(self) -> "Receiver":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeDNS:
    """Answers for the names a test sets; every other name goes to the real resolver.

    ``answer(name, first, then...)``: the first lookup gets ``first``, later ones the next answer,
    the last answer repeating. Each answer is a list of addresses; an empty one is a name that
    does not resolve. ``lookups`` counts the lookups of each name set here.
    """

    def __init__(self, real) -> None:
        self.real = real
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: dict[str, int] = {}

    def answer(self, name: str, *answers: list[str]) -> None:
        self.answers[name] = [list(answer) for answer in answers]
        self.lookups[name] = 0

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in self.answers:
            return self.real(host, port, family, type, proto, flags)
        self.lookups[name] += 1
        queue = self.answers[name]
        addresses = queue.pop(0) if len(queue) > 1 else queue[0]
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        results = []
        for address in addresses:
            if ":" in address:
                results.append(
                    (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port or 0, 0, 0))
                )
            else:
                results.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0)))
        return results
