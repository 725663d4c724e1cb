"""An uplink injected into the local Sigfox Cloud reaches your receiver as the real cloud would send it."""
import json
import urllib.request


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return answer.status, json.load(answer)


def test_uplink_reaches_the_receiver(sigfox, receiver):
    status, receipt = post(f"{sigfox['url']}/sim/devices/2C30EA/uplinks", {"payload": "00e632"})
    assert status == 201
    assert receipt["callbacks"] == ["uplink", "advanced"]

    path, headers, body = receiver.next_request()
    assert path == "/sigfox/uplink"
    assert headers["Content-Type"] == "application/json"
    assert body["device"] == "2C30EA"
    assert body["data"] == "00e632"
    assert body["seqNumber"] == receipt["seqNumber"]
    assert body["temp"] == 230  # payloadConfig temp::int:16 decodes 0x00e6
