"""A TCP forwarder that can be cut and restored: the broker "going away" for one client only,
with real sockets, while the rest of the test keeps using the real broker directly."""
from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit, urlunsplit

from tests.servers import free_port


class CuttableLink:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._server: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    @classmethod
    def to_broker(cls, amqp_uri: str) -> "CuttableLink":
        """A started link to the broker `amqp_uri` names."""
        parts = urlsplit(amqp_uri)
        return cls(parts.port or 5672, parts.hostname or "127.0.0.1").start()

    def uri(self, amqp_uri: str) -> str:
        """`amqp_uri`, through this link."""
        parts = urlsplit(amqp_uri)
        return urlunsplit(parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:{self.port}"))

    def start(self) -> "CuttableLink":
        server = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        server.settimeout(0.2)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()
        return self

    def cut(self):
        """Refuse new connections and break every open one."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    restore = start

    def _accept(self, server: socket.socket):
        while self._server is server:
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except Exception:  # the link was cut: under eventlet a closed socket raises more than OSError
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
