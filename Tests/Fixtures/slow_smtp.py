#!/usr/bin/env python3
"""An SMTP server (aiosmtpd) that answers the end of the first message's DATA after SECONDS, then at once.

    slow_smtp.py PORT SECONDS

Prints 'listening' when it accepts connections, then one line per message received.
"""
import asyncio
import sys

from aiosmtpd.controller import Controller

port, delay = int(sys.argv[1]), float(sys.argv[2])


class Slow:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if self.count == 1:
            await asyncio.sleep(delay)
        print(f"message {self.count} to {','.join(envelope.rcpt_tos)}", flush=True)
        return "250 OK"


controller = Controller(Slow(), hostname="127.0.0.1", port=port)
controller.start()
print("listening", flush=True)
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
