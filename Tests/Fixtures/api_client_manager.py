#!/usr/bin/env python3
"""User code of the kind sigfox-sim serves, with a client whose models follow the live API rather than the
Swagger: sigfox-manager (PyPI, hand-written in 2025, pydantic models that require what the live cloud
always sends; left unmodified). It calls https://api.sigfox.com/v2, hard-coded, through `requests`, which
trusts the CA bundle that `sigfox-sim exec --https 443` puts in REQUESTS_CA_BUNDLE. Exits 0 when every
call parses and answers as expected, else prints what did not."""
import json
import os
import sys
import time
import urllib.request

from sigfox_manager import SigfoxManager, SigfoxDeviceNotFoundError

manager = SigfoxManager(os.environ["SIGFOX_SIM_API_LOGIN"], os.environ["SIGFOX_SIM_API_PASSWORD"])
failures = []


def check(what, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + what + (f": {detail}" if detail and not condition else ""))
    if not condition:
        failures.append(what)


def attempt(what, call):
    """The client's answer, or None after printing why it failed (a pydantic error names the field)."""
    try:
        return call()
    except Exception as error:  # noqa: BLE001: the point is to report any failure of the client
        check(what, False, f"{type(error).__name__}: {error}")
        return None


# Contracts: every field the client requires (ContractDetail), and paging on the last page.
contracts = attempt("get_contracts", manager.get_contracts)
if contracts is not None:
    check("get_contracts lists the default contract", any(c.id == "000000000000000000000002" for c in contracts.data))
    devices = attempt("get_devices_by_contract", lambda: manager.get_devices_by_contract(contracts.data[0].id))
    if devices is not None:
        ids = sorted(device.id for device in devices.data)
        check("get_devices_by_contract lists the scenario's devices", "2C30EA" in ids, ids)

# A device: every field the client requires (Device: createdBy, lastEditionTime, automaticRenewalStatus...).
device = attempt("get_device_info", lambda: manager.get_device_info("2C30EA"))
if device is not None:
    check("get_device_info", device.id == "2C30EA" and device.createdBy != "", device)
try:
    manager.get_device_info("FFFFFF")
    check("an unknown device raises SigfoxDeviceNotFoundError", False, "no error")
except SigfoxDeviceNotFoundError:
    check("an unknown device raises SigfoxDeviceNotFoundError", True)

# Messages: an uplink through the control API (plain HTTP), then read as the live API sends it: rssi and
# lat/lng as strings, freq present, paging {} (DeviceMessagesResponse).
control = os.environ["SIGFOX_SIM_URL"]
for payload in ("ff3842", "ff3843"):
    request = urllib.request.Request(
        f"{control}/sim/devices/2C30EA/uplinks", data=json.dumps({"payload": payload}).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request).read()
messages = None
deadline = time.time() + 60
while time.time() < deadline:
    messages = attempt("get_device_messages", lambda: manager.get_device_messages("2C30EA"))
    if messages is None or len(messages.data) >= 2:
        break
    time.sleep(0.5)
if messages is not None:
    check("get_device_messages lists both uplinks", len(messages.data) == 2, messages)
    rinfos = [rinfo for message in messages.data for rinfo in message.rinfos]
    check("each message was heard (rinfos with the network metadata option)", len(rinfos) >= 2, messages)
    check("rssi is a string with two decimals", all(r.rssi.count(".") == 1 and len(r.rssi.split(".")[1]) == 2
                                                  for r in rinfos), rinfos)
    check("rssi reads as a number", all(-180 < float(r.rssi) < 0 for r in rinfos), rinfos)
    # Sent together, either may be received first: the live API lists by reception time, newest first.
    check("newest first, by time", messages.data[0].time >= messages.data[1].time, messages)
    check("both sequence numbers", sorted(m.seqNumber for m in messages.data) == [0, 1], messages)
metric = attempt("get_device_message_number", lambda: manager.get_device_message_number("2C30EA"))
if metric is not None:
    check("get_device_message_number counts the uplinks", metric.lastDay == 2, metric)

sys.exit(1 if failures else 0)
