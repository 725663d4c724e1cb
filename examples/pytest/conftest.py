"""pytest fixtures for testing your own Sigfox callback receiver against sigfox-sim.

`sigfox` starts a local Sigfox Cloud whose callbacks go to your receiver (here `receiver`, a stand-in for
yours) and yields its ready object: url, apiUrl, apiLogin, apiPassword, receiverUrl, pid. The binary is
`sigfox-sim` on PATH, or $SIGFOX_SIM.
"""
import json
import os
import signal
import subprocess
import time

import pytest

from receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def sigfox(receiver, tmp_path):
    ready = tmp_path / "ready.json"
    serve = subprocess.Popen([os.environ.get("SIGFOX_SIM", "sigfox-sim"), "serve", "--port", "0", "--quiet",
                              "--target", receiver.url, "--ready-file", str(ready)])
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert serve.poll() is None and time.monotonic() < deadline, "sigfox-sim serve did not start"
        time.sleep(0.05)
    yield json.loads(ready.read_text())
    serve.send_signal(signal.SIGINT)
    assert serve.wait(timeout=30) == 0
