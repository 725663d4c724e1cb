#!/usr/bin/env python3
"""User code of the kind sigfox-sim serves: sigfox-api-client (PyPI, generated from Sigfox's Swagger and
left unmodified) calling https://api.sigfox.com/v2, its default host, with the credentials and the CA
bundle that `sigfox-sim exec --https 443` puts in the environment. Exits 0 when every call answers as
expected, else prints what did not."""
import os
import sys

import sigfox_api_client
from sigfox_api_client.rest import ApiException

configuration = sigfox_api_client.Configuration()
assert configuration.host == "https://api.sigfox.com/v2", configuration.host
configuration.username = os.environ["SIGFOX_SIM_API_LOGIN"]
configuration.password = os.environ["SIGFOX_SIM_API_PASSWORD"]
# The client verifies with certifi's bundle unless told otherwise, as a user's code tells it.
configuration.ssl_ca_cert = os.environ["REQUESTS_CA_BUNDLE"]
client = sigfox_api_client.ApiClient(configuration)

failures = []


def check(what, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + what + (f": {detail}" if detail and not condition else ""))
    if not condition:
        failures.append(what)


# The Swagger gives lists as plain objects: the client returns them as dicts.
devices = sigfox_api_client.DevicesApi(client).list_devices()
ids = sorted(device["id"] for device in devices["data"])
check("GET /devices lists the scenario's devices", ids == ["2C30EA", "2C30EB", "2C30EC"], ids)
device = sigfox_api_client.DevicesApi(client).get_device("2C30EA")
check("GET /devices/2C30EA", device.id == "2C30EA", device)
types = sigfox_api_client.DeviceTypesApi(client).list_device_types()
check("GET /device-types", len(types["data"]) == 1, types)
try:
    sigfox_api_client.DevicesApi(client).get_device("FFFFFF")
    check("GET /devices/FFFFFF answers 404", False, "no error")
except ApiException as error:
    check("GET /devices/FFFFFF answers 404", error.status == 404, error.status)

# A wrong password is refused as the live API refuses it.
configuration_wrong = sigfox_api_client.Configuration()
configuration_wrong.username = configuration.username
configuration_wrong.password = "wrong"
configuration_wrong.ssl_ca_cert = configuration.ssl_ca_cert
try:
    sigfox_api_client.DevicesApi(sigfox_api_client.ApiClient(configuration_wrong)).list_devices()
    check("a wrong password answers 401", False, "no error")
except ApiException as error:
    check("a wrong password answers 401", error.status == 401, error.status)

sys.exit(1 if failures else 0)
