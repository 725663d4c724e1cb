#!/usr/bin/env python3
"""An SMTP server (aiosmtpd) on an ephemeral loopback port, for the tests.

    smtp_server.py             prints each message whole (aiosmtpd's Debugging handler)
    smtp_server.py --slow S    answers the end of the first message's DATA after S seconds, then at once,
                               and prints one line per message received

Prints 'listening PORT' once it accepts connections (the port it bound, so no test guesses a free one),
then serves until killed or until 120 seconds pass, so a test that dies never leaves it running.
"""
import asyncio
import sys

from aiosmtpd.handlers import Debugging
from aiosmtpd.smtp import SMTP


class Slow:
    def __init__(self, delay):
        self.delay = delay
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if self.count == 1:
            await asyncio.sleep(self.delay)
        print(f"message {self.count} to {','.join(envelope.rcpt_tos)}", flush=True)
        return "250 OK"


async def main():
    if sys.argv[1:2] == ["--slow"]:
        handler = Slow(float(sys.argv[2]))
    else:
        handler = Debugging(sys.stdout)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler), "127.0.0.1", 0)
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.sleep(120)


asyncio.run(main())
