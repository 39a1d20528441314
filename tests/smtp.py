"""A real SMTP server on loopback, for tests where delivery is the point."""

import asyncio
import contextlib
import socket

from aiosmtpd.controller import Controller


class Recorder:
    """Accepts messages, or refuses the next ``fail_next`` with a temporary error;
    takes ``delay`` seconds over each, as a busy server would."""

    def __init__(self, delay=0.0):
        self.messages = []
        self.fail_next = 0
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_next:
            self.fail_next -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(envelope)
        return "250 OK"


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def smtp_server(delay=0.0):
    recorder = Recorder(delay)
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield recorder, controller.port
    finally:
        controller.stop()
