"""Waitress glue: its own error answers (body over the cap, bad framing) in the API's JSON shape,
and a lingering close after them, so the client reads the 413 instead of a connection reset.

Waitress refuses an oversized body on its Content-Length header (or while de-chunking) without
reading it. If it then closed the socket while the client is still sending, the kernel would
answer with a reset and the client would lose the 413; so after the answer we half-close and
read-and-discard what is still coming, for a bounded time and byte count, then close.
"""
from __future__ import annotations

import json
import logging
import socket
import time

from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from .errors import CODES
from .security import MAX_BODY

LINGER_SECONDS = 2.0
LINGER_BYTES = 8 * 1024 * 1024


class JsonErrorTask(ErrorTask):
    def execute(self):
        e = self.request.error
        message = f"Request body over {MAX_BODY} bytes." if e.code == 413 else f"{e.reason}: {e.body}"
        body = json.dumps({"error": {"code": CODES.get(e.code, "bad_request"), "message": message}}).encode()
        self.status = f"{e.code} {e.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.response_headers.append(("Cache-Control", "no-store"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)
        self.channel.linger_after_close = True
        logging.getLogger("deonto.access").info("%s %s %d (refused by the HTTP layer)",
                                                self.request.command or "-",
                                                (self.request.path or "-")[:200], e.code)


class JsonErrorChannel(HTTPChannel):
    error_task_class = JsonErrorTask
    linger_after_close = False
    _linger_until: float | None = None
    _linger_left = 0

    def handle_close(self):
        if self.linger_after_close and self._linger_until is None and self.connected:
            try:
                self.socket.shutdown(socket.SHUT_WR)     # the answer is flushed: send FIN now
            except OSError:
                return super().handle_close()
            self._linger_until = time.monotonic() + LINGER_SECONDS
            self._linger_left = LINGER_BYTES
            self.will_close = False
            return
        super().handle_close()

    def readable(self):
        return True if self._linger_until is not None else super().readable()

    def writable(self):
        if self._linger_until is not None:
            return time.monotonic() > self._linger_until     # then handle_write closes
        return super().writable()

    def handle_write(self):
        if self._linger_until is not None:
            return self._finish_linger()
        super().handle_write()

    def handle_read(self):
        if self._linger_until is None:
            return super().handle_read()
        try:
            data = self.socket.recv(65536)
        except OSError:
            data = b""
        self._linger_left -= len(data)
        if not data or self._linger_left <= 0 or time.monotonic() > self._linger_until:
            self._finish_linger()

    def _finish_linger(self):
        self.linger_after_close = False
        if self.socket is not None and self.connected:
            super().handle_close()
