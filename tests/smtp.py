"""A real SMTP server for tests (aiosmtpd), collecting what it receives."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """Keeps every message it accepted; with `delay`, answers that long after taking it
    (as a busy or slow server does: the message is in, the "250" not yet out)."""

    def __init__(self, delay: float = 0.0):
        self.messages = []
        self.delay = delay
        #: How many messages were done with — answered, or the client gone before the late answer:
        #: a test waits for this, not for seconds.
        self.finished = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return "250 OK"
        finally:
            self.finished += 1


class SMTPServer:
    """Start and stop a real SMTP server on a fixed port (so it can be 'down')."""

    def __init__(self, port: int | None = None, *, delay: float = 0.0):
        self.port = port or free_port()
        self.collector = Collector(delay)
        self._controller = None

    @property
    def messages(self):
        return self.collector.messages

    @property
    def finished(self) -> int:
        return self.collector.finished

    def start(self):
        self._controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
