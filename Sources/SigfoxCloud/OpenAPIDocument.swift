// Written by scripts/openapi-document from the Sigfox API v2 reference: do not edit by hand.
// swift-format-ignore-file

/// The OpenAPI (Swagger 2.0) document of everything `serve` offers, served at `GET /openapi.json`.
enum OpenAPIDocument {
    static let json = ##"""
{
 "basePath": "/",
 "consumes": [
  "application/json"
 ],
 "definitions": {
  "ErrorContent": {
   "description": "Content of error messages, and sub-errors messages if any",
   "properties": {
    "errors": {
     "description": "List of errors that occured during request",
     "items": {
      "properties": {
       "field": {
        "description": "Name of the field or parameter where the specific error occurred.\n",
        "example": "location.temperature",
        "type": "string"
       },
       "message": {
        "description": "Readable specific error for the previously defined field.\n",
        "example": "extra fields not permitted",
        "type": "string"
       },
       "type": {
        "description": "Describe where the problem occurred. Can be from body, query or path.\n",
        "example": "body",
        "type": "string"
       }
      },
      "type": "object"
     },
     "type": "array"
    },
    "message": {
     "description": "General error message",
     "example": "bad request",
     "type": "string"
    }
   },
   "type": "object"
  },
  "action": {
   "description": "An action that can be executed on an entity or object",
   "example": "create",
   "type": "string"
  },
  "actions": {
   "description": "An array containg all the actions that can be executed on an entity or object",
   "example": [
    "create",
    "update"
   ],
   "items": {
    "$ref": "#/definitions/action"
   },
   "type": "array"
  },
  "baseDeviceType": {
   "properties": {
    "alertEmail": {
     "description": "Email address to contact in case of problems occurring while executing a callback. This field can be unset when updating.",
     "format": "email",
     "maxLength": 250,
     "type": "string"
    },
    "automaticRenewal": {
     "description": "Allows the automatic renewal of devices attached to this device type",
     "type": "boolean"
    },
    "description": {
     "description": "The device type's description",
     "maxLength": 300,
     "type": "string"
    },
    "downlinkDataString": {
     "description": "Downlink data to be sent to the devices of this device type if the downlinkMode is equal to 0.\nIt must be an 8 byte length message given in hexadecimal string format.\n",
     "type": "string"
    },
    "downlinkMode": {
     "description": "The downlink mode to use for the devices of this device type\n- 0 -> DIRECT\n- 1 -> CALLBACK\n- 2 -> NONE\n- 3 -> MANAGED\n",
     "format": "int32",
     "type": "integer"
    },
    "keepAlive": {
     "description": "Keep alive period in seconds (0 to not keep alive else 1800 second minimum)",
     "format": "int64",
     "minimum": 0,
     "type": "integer"
    },
    "name": {
     "description": "The device type's name",
     "maxLength": 100,
     "type": "string"
    },
    "payloadConfig": {
     "description": "The payload configuration. Required if the payload type is Custom, else ignored.",
     "type": "string"
    },
    "payloadType": {
     "description": "The payload type\n- 2 -> Regular (raw payload)\n- 3 -> Custom grammar\n- 4 -> Geolocation\n- 5 -> Display in ASCII\n- 6 -> Radio planning frame\n- 9 -> Sensitv2\n",
     "format": "int32",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "callback": {
   "description": "Common information about Callback template",
   "discriminator": "channel",
   "properties": {
    "callbackSubtype": {
     "description": "The callback's subtype. The subtype must be valid against its type.\n- 0 -> STATUS callback sending information about the status of a device (available for SERVICE callbacks)\n- 1 -> GEOLOC callback is deprecated and can no be longer be created or edited. This callback is in a read only state to allow for migration to a DATA_ADVANCED callback\n- 2 -> UPLINK callback for an uplink message (available for DATA callbacks)\n- 3 -> BIDIR callback for a bidirectional message (available for DATA callbacks)\n- 4 -> ACKNOWLEDGE callback sent on a downlink acknowledged message (available for SERVICE callbacks)\n- 5 -> REPEATER callback triggered when a repeater sends an OOB (available for SERVICE callbacks)\n- 6 -> DATA_ADVANCED callback sent on a message that can be geolocated (available for SERVICE callbacks)\n",
     "example": 2,
     "format": "int32",
     "type": "integer"
    },
    "callbackType": {
     "description": "The callback's type.\n- 0 -> DATA callback delivering uplink messages to a customer platform.\n- 1 -> SERVICE callback to enable additional services (see subtypes).\n- 2 -> ERROR callback to ease troubleshooting in case of communication failure.\n",
     "example": 0,
     "format": "int32",
     "type": "integer"
    },
    "channel": {
     "description": "The callback's channel.\n- URL\n- BATCH_URL\n- EMAIL\n",
     "example": "URL",
     "type": "string"
    },
    "dead": {
     "description": "True if last use of the callback fails, otherwise false",
     "example": false,
     "type": "boolean"
    },
    "enabled": {
     "description": "True to enable the callback, otherwise false",
     "example": true,
     "type": "boolean"
    },
    "id": {
     "description": "The callback's identifier",
     "type": "string"
    },
    "payloadConfig": {
     "description": "The custom payload configuration. Only for DATA callbacks. This field can be unset when updating.",
     "example": "int1::uint:8 int2::uint:8",
     "type": "string"
    }
   },
   "type": "object"
  },
  "callbackEmail": {
   "description": "Callback of type Email",
   "properties": {
    "message": {
     "description": "The body of the email to be sent",
     "type": "string"
    },
    "subject": {
     "description": "The subject of the email to be sent",
     "type": "string"
    }
   },
   "type": "object"
  },
  "callbackHTTP": {
   "description": "Callback of type HTTP",
   "properties": {
    "body": {
     "description": "The body of the request, if any. It is only present if the request method is POST.",
     "type": "string"
    },
    "contentType": {
     "description": "The content type of the request. It is only present if the request is POST.",
     "type": "string"
    },
    "error": {
     "description": "If there was an error, for instance if the body is JSON and could not be evaluated.",
     "type": "string"
    },
    "headers": {
     "description": "The headers sent in the request. If no header is defined, this field is not present.",
     "properties": {},
     "type": "object"
    },
    "method": {
     "description": "The HTTP method, currently GET, POST or PUT.",
     "type": "string"
    },
    "url": {
     "description": "The URL called when this message has been processed",
     "type": "string"
    }
   },
   "type": "object"
  },
  "callbackMedium": {
   "allOf": [
    {
     "$ref": "#/definitions/callbackEmail"
    },
    {
     "$ref": "#/definitions/callbackHTTP"
    }
   ],
   "title": "Callback"
  },
  "cbStatus": {
   "example": {
    "cbDef": "var=2DC7C1%3B1500452712%3Bdeadbeaf%3B",
    "info": "success",
    "status": 200,
    "time": 1487065942000
   },
   "properties": {
    "cbDef": {
     "description": "callback definition triggered",
     "type": "string"
    },
    "info": {
     "description": "http response message",
     "type": "string"
    },
    "status": {
     "description": "http response status",
     "format": "int32",
     "type": "integer"
    },
    "time": {
     "description": "time the callback was called (in milliseconds since the Unix Epoch)",
     "format": "int64",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "certificate": {
   "description": "Defines a product or modem certificate type entity",
   "example": {
    "id": "53aaad5ae4b0ba69e6d561b9",
    "key": "P_0003_71CF_01"
   },
   "properties": {
    "id": {
     "description": "The product certificate's identifier",
     "type": "string"
    },
    "key": {
     "description": "The product certificate's name",
     "type": "string"
    }
   },
   "type": "object"
  },
  "certificateUpdate": {
   "properties": {
    "key": {
     "description": "The certificate name",
     "type": "string"
    }
   },
   "type": "object"
  },
  "commonDevice": {
   "description": "Defines the device's common properties for reading or creation (not update)",
   "example": {
    "id": "1",
    "name": "device#1"
   },
   "properties": {
    "id": {
     "description": "The device's identifier (hexadecimal format)",
     "type": "string"
    },
    "name": {
     "description": "The device's name",
     "maxLength": 100,
     "type": "string"
    }
   },
   "required": [
    "id",
    "name"
   ],
   "type": "object"
  },
  "computedLocation": {
   "description": "Contains the estimated position of the device within a circle based on the GPS data or the Sigfox Geolocation service",
   "properties": {
    "lat": {
     "description": "The device's estimated latitude",
     "format": "double",
     "type": "number"
    },
    "lng": {
     "description": "The device's estimated longitude",
     "format": "double",
     "type": "number"
    },
    "placeIds": {
     "description": "The place ids computed by the Sigfox Geolocation service",
     "items": {
      "type": "string"
     },
     "type": "array"
    },
    "radius": {
     "description": "The radius of the circle (meters)",
     "format": "int32",
     "type": "integer"
    },
    "source": {
     "description": "Define how the location has been computed:\n- 0 -> computed using RSSI and position of the station (legacy)\n- 1 -> computed using the GPS data inside the payload\n- 2 -> computed using Network location\n- 3 -> computed using PoI location\n- 4 -> computed using HD network location\n- 5 -> computed using private database location\n- 6 -> computed using WiFi location\n- 7 -> computed using Proximity location\n",
     "format": "int32",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "contractId": {
   "description": "Contract's id",
   "properties": {
    "id": {
     "description": "The contract's id",
     "type": "string"
    }
   },
   "required": [
    "id"
   ],
   "type": "object"
  },
  "createCallback": {
   "description": "Common information about Callback template",
   "discriminator": "channel",
   "properties": {
    "callbackSubtype": {
     "description": "The callback's subtype. The subtype must be valid against its type.\n- 0 -> STATUS callback sending information about the status of a device (available for SERVICE callbacks)\n- 1 -> GEOLOC callback is deprecated and can no be longer be created or edited. This callback is in a read only state to allow for migration to a DATA_ADVANCED callback\n- 2 -> UPLINK callback for an uplink message (available for DATA callbacks)\n- 3 -> BIDIR callback for a bidirectional message (available for DATA callbacks)\n- 4 -> ACKNOWLEDGE callback sent on a downlink acknowledged message (available for SERVICE callbacks)\n- 5 -> REPEATER callback triggered when a repeater sends an OOB (available for SERVICE callbacks)\n- 6 -> DATA_ADVANCED callback sent on a message that can be geolocated (available for SERVICE callbacks)\n",
     "example": 2,
     "format": "int32",
     "type": "integer"
    },
    "callbackType": {
     "description": "The callback's type.\n- 0 -> DATA callback delivering uplink messages to a customer platform.\n- 1 -> SERVICE callback to enable additional services (see subtypes).\n- 2 -> ERROR callback to ease troubleshooting in case of communication failure.\n",
     "example": 0,
     "format": "int32",
     "type": "integer"
    },
    "channel": {
     "description": "The callback's channel.\n- URL\n- BATCH_URL\n- EMAIL\n",
     "example": "URL",
     "type": "string"
    },
    "enabled": {
     "description": "True to enable the callback, otherwise false",
     "example": true,
     "type": "boolean"
    },
    "payloadConfig": {
     "description": "The custom payload configuration. Only for DATA and DATA_ADVANCED callbacks. This field can be unset when updating.",
     "example": "int1::uint:8 int2::uint:8",
     "type": "string"
    }
   },
   "required": [
    "callbackSubtype",
    "callbackType",
    "channel",
    "enabled"
   ],
   "type": "object"
  },
  "device": {
   "allOf": [
    {
     "$ref": "#/definitions/commonDevice"
    },
    {
     "properties": {
      "actions": {
       "$ref": "#/definitions/actions"
      },
      "activable": {
       "description": "true if the device is activable and can take a token",
       "type": "boolean"
      },
      "activationTime": {
       "description": "The device's activation time (in milliseconds since the Unix Epoch)",
       "format": "int64",
       "type": "integer"
      },
      "automaticRenewal": {
       "description": "Allow token renewal ?",
       "type": "boolean"
      },
      "automaticRenewalStatus": {
       "description": "Computed automatic renewal status.\n0 -> ALLOWED\n1 -> NOT_ALLOWED\n2 -> RENEWED\n3 -> ENDED\n",
       "format": "int32",
       "type": "integer"
      },
      "comState": {
       "description": "Communication state of this device.\n0 -> NO\n1 -> OK\n2 -> WARN\n3 -> KO\n4 -> (na)\n5 -> NOT_SEEN\n",
       "format": "int32",
       "type": "integer"
      },
      "contract": {
       "$ref": "#/definitions/minContractInfo"
      },
      "createdBy": {
       "description": "The id of device's creator user",
       "type": "string"
      },
      "creationTime": {
       "description": "The device's provisionning time (in milliseconds since the Unix Epoch)",
       "format": "int64",
       "type": "integer"
      },
      "deviceType": {
       "$ref": "#/definitions/minDeviceType"
      },
      "group": {
       "$ref": "#/definitions/minGroup"
      },
      "lastCom": {
       "description": "The last time (in milliseconds since the Unix Epoch) the device has communicated",
       "format": "int64",
       "type": "integer"
      },
      "lastComputedLocation": {
       "$ref": "#/definitions/lastComputedLocation"
      },
      "lastEditedBy": {
       "description": "The id of device's last editor user",
       "type": "string"
      },
      "lastEditionTime": {
       "description": "Date of the last edition of this device (in milliseconds since the Unix Epoch)",
       "format": "int64",
       "type": "integer"
      },
      "location": {
       "$ref": "#/definitions/deviceLocation"
      },
      "lqi": {
       "description": "Link Quality Indicator\n0 -> LIMIT\n1 -> AVERAGE\n2 -> GOOD\n3 -> EXCELLENT\n4 -> NA\n",
       "format": "int32",
       "type": "integer"
      },
      "messageModulo": {
       "description": "The message modulo",
       "format": "int32",
       "type": "integer"
      },
      "modemCertificate": {
       "$ref": "#/definitions/certificate"
      },
      "pac": {
       "description": "The device's PAC (Porting Access Code)",
       "type": "string"
      },
      "productCertificate": {
       "$ref": "#/definitions/certificate"
      },
      "prototype": {
       "description": "The device is a prototype",
       "type": "boolean"
      },
      "repeater": {
       "description": "Has the device repeater function",
       "type": "boolean"
      },
      "resources": {
       "$ref": "#/definitions/resources"
      },
      "satelliteCapable": {
       "description": "Can the device communicate using satellite communication",
       "type": "boolean"
      },
      "sequenceNumber": {
       "description": "The last device's sequence number.\nAbsent if the device has never communicated or if the SIGFOX message protocol is V0\n",
       "format": "int32",
       "type": "integer"
      },
      "state": {
       "description": "State of this device.\n0 -> OK\n1 -> DEAD\n2 -> OFF_CONTRACT\n3 -> DISABLED\n4 -> WARN\n5 -> DELETED\n6 -> SUSPENDED\n7 -> NOT_ACTIVABLE\n",
       "format": "int32",
       "type": "integer"
      },
      "token": {
       "$ref": "#/definitions/token"
      },
      "trashSequenceNumber": {
       "description": "The last trashed device's sequence number.\nAbsent if there is no message trashed or if the SIGFOX message protocol is V0\n",
       "format": "int32",
       "type": "integer"
      },
      "unsubscriptionTime": {
       "description": "The device's unsubscription time (in milliseconds since the Unix Epoch)",
       "format": "int64",
       "type": "integer"
      }
     },
     "required": [
      "automaticRenewal",
      "comState",
      "creationTime",
      "pac",
      "state"
     ],
     "type": "object"
    }
   ],
   "description": "Defines the device's properties"
  },
  "deviceCreationJob": {
   "allOf": [
    {
     "$ref": "#/definitions/commonDevice"
    },
    {
     "$ref": "#/definitions/singleDeviceFields"
    },
    {
     "example": {
      "activable": false,
      "automaticRenewal": true,
      "deviceTypeId": "57309548171c857460043085",
      "id": "00FF",
      "lat": 48.8585715,
      "lng": 2.2922923,
      "name": "Device 1",
      "pac": "585CB3B42AC98BD4",
      "productCertificate": {
       "key": "P_0003_71CF_01"
      },
      "prototype": true
     },
     "properties": {
      "activable": {
       "default": true,
       "description": "The device is activable and can take a token",
       "type": "boolean"
      },
      "automaticRenewal": {
       "default": true,
       "description": "Subscribtion to automatic token renewal",
       "type": "boolean"
      },
      "deviceTypeId": {
       "description": "The device type's identifier this device is affected",
       "type": "string"
      },
      "lat": {
       "default": 0,
       "description": "The device's provided latitude",
       "format": "double",
       "type": "number"
      },
      "lng": {
       "default": 0,
       "description": "The device's provided longitude",
       "format": "double",
       "type": "number"
      },
      "pac": {
       "description": "The device's PAC (Porting Access Code)",
       "type": "string"
      },
      "prototype": {
       "default": false,
       "description": "Set to true if the device is a prototype",
       "type": "boolean"
      }
     },
     "required": [
      "deviceTypeId",
      "pac"
     ],
     "type": "object"
    }
   ]
  },
  "deviceErrorMessages": {
   "example": {
    "callback": {
     "message": "email body",
     "subject": "email title"
    },
    "data": "DEADBEEF",
    "deviceId": "1",
    "deviceTypeId": "5964a10570c85b51ccbaf497",
    "messages": "Forbidden",
    "parameters": {
     "key1": "value1",
     "key2": "value2"
    },
    "status": "403",
    "time": 1487065942000
   },
   "properties": {
    "callback": {
     "$ref": "#/definitions/callbackMedium"
    },
    "data": {
     "description": "Data message",
     "type": "string"
    },
    "deviceId": {
     "description": "Device identifier",
     "type": "string"
    },
    "deviceTypeId": {
     "description": "Device type identifier",
     "type": "string"
    },
    "message": {
     "description": "Contains additional information on the response.",
     "type": "string"
    },
    "parameters": {
     "description": "All the parameters which have served to build the callback, see callback doc for an exhaustive list.",
     "properties": {},
     "type": "object"
    },
    "status": {
     "description": "Contains the callback response status.",
     "type": "string"
    },
    "time": {
     "description": "Timestamp of the message (in milliseconds since the Unix Epoch)",
     "format": "int64",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "deviceLocation": {
   "description": "Contains the position of the device",
   "example": {
    "lat": 43.456,
    "lng": 6.524
   },
   "properties": {
    "lat": {
     "description": "The device's estimated latitude",
     "format": "double",
     "type": "number"
    },
    "lng": {
     "description": "The device's estimated longitude",
     "format": "double",
     "type": "number"
    }
   },
   "type": "object"
  },
  "deviceMessage": {
   "example": {
    "ackRequired": false,
    "computedLocation": [
     {
      "lat": 43.45,
      "lng": 6.54,
      "radius": 400,
      "source": 2
     }
    ],
    "data": "DEADBEEF",
    "device": {
     "id": "1",
     "name": "device#1"
    },
    "downlinkAnswerStatus": {
     "baseStation": {
      "id": "1E6AB",
      "name": "BaseStation#1",
      "resourceType": 0
     },
     "country": "FRANCE",
     "data": "0000437f00000050",
     "operator": "Operator#1",
     "plannedPower": 67.89
    },
    "lqi": 2,
    "nbFrames": 3,
    "rinfos": [
     {
      "baseStation": {
       "id": "1E6AB",
       "name": "BaseStation#1",
       "resourceType": 0
      },
      "cbStatus": {
       "cbDef": "var=2DC7C1%3B1500452712%3Bdeadbeaf%3B",
       "info": "success",
       "status": 200,
       "time": 1487065942000
      },
      "freq": 868.53,
      "freqRepeaters": 868.1308,
      "lat": 45.32,
      "lng": 102.3,
      "rep": 2,
      "repetitions": [
       {
        "freq": 868.1301,
        "nseq": 1,
        "repeated": true,
        "rssi": -127.52,
        "snr": 27.52
       },
       {
        "freq": 867.1401,
        "nseq": 1,
        "repeated": false,
        "rssi": -127.52,
        "snr": 28.52
       }
      ],
      "rssi": -128.53,
      "rssiRepeaters": -56.2,
      "snr": 14.3,
      "snrRepeaters": 12.3
     }
    ],
    "seqNumber": 2,
    "time": 1487065942000
   },
   "properties": {
    "ackRequired": {
     "description": "true if an acknowledge is required",
     "type": "boolean"
    },
    "computedLocation": {
     "items": {
      "$ref": "#/definitions/computedLocation"
     },
     "type": "array"
    },
    "data": {
     "description": "message content, hex encoded",
     "type": "string"
    },
    "device": {
     "allOf": [
      {
       "$ref": "#/definitions/commonDevice"
      }
     ],
     "description": "Defines a device message",
     "type": "object"
    },
    "downlinkAnswerStatus": {
     "allOf": [
      {
       "$ref": "#/definitions/downlinkAnswerStatus"
      }
     ],
     "description": "the last callback status for this reception",
     "type": "object"
    },
    "lqi": {
     "description": "link quality indicator\n0 -> LIMIT\n1 -> AVERAGE\n2 -> GOOD\n3 -> EXCELLENT\n4 -> NA\n",
     "format": "int32",
     "type": "integer"
    },
    "lqiRepeaters": {
     "description": "link quality indicator for repeated message\n0 -> LIMIT\n1 -> AVERAGE\n2 -> GOOD\n3 -> EXCELLENT\n4 -> NA\n",
     "format": "int32",
     "type": "integer"
    },
    "nbFrames": {
     "description": "nbFrames can be 1 or 3. This value represents an expected number of frames sent by the device.",
     "format": "int32",
     "type": "integer"
    },
    "rinfos": {
     "items": {
      "$ref": "#/definitions/rinfo"
     },
     "type": "array"
    },
    "seqNumber": {
     "description": "the sequence number for this message, may not be present when device uses VO protocol",
     "format": "int32",
     "type": "integer"
    },
    "time": {
     "description": "Timestamp of the message (in milliseconds since the Unix Epoch)",
     "format": "int64",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "deviceType": {
   "allOf": [
    {
     "$ref": "#/definitions/baseDeviceType"
    },
    {
     "properties": {
      "automaticRenewal": {
       "description": "Allows the automatic renewal of devices attached to this device type",
       "type": "boolean"
      },
      "contract": {
       "$ref": "#/definitions/minContractInfo"
      },
      "contracts": {
       "description": "The list of the contracts associated with the device type",
       "items": {
        "$ref": "#/definitions/minContractInfo"
       },
       "type": "array"
      },
      "createdBy": {
       "description": "Identifier of the user who created this device type",
       "type": "string"
      },
      "creationTime": {
       "description": "Date of the creation of this device type (in milliseconds)",
       "format": "int64",
       "type": "integer"
      },
      "description": {
       "description": "The device type's description",
       "maxLength": 300,
       "type": "string"
      },
      "detachedContracts": {
       "description": "The list of the contracts that were associated with the device type at some point, but are not anymore.",
       "items": {
        "$ref": "#/definitions/minContractInfo"
       },
       "type": "array"
      },
      "downlinkDataString": {
       "description": "Downlink data to be sent to the devices of this device type if downlinkMode is equal to 0.\nIt must be an 8 byte length message given in hexadecimal string format.\n",
       "type": "string"
      },
      "downlinkMode": {
       "description": "The downlink mode to use for the devices of this device type.\n0 -> DIRECT\n1 -> CALLBACK\n2 -> NONE\n3 -> MANAGED\n",
       "format": "int32",
       "type": "integer"
      },
      "geolocPayloadConfig": {
       "$ref": "#/definitions/geolocPayloadConfig"
      },
      "group": {
       "$ref": "#/definitions/minGroup"
      },
      "id": {
       "description": "The device type's identifier",
       "type": "string"
      },
      "lastEditedBy": {
       "description": "Identifier of the user who last edited this device type",
       "type": "string"
      },
      "lastEditionTime": {
       "description": "Date of the last edition of this device type (in milliseconds)",
       "format": "int64",
       "type": "integer"
      },
      "payloadConfig": {
       "description": "The payload configuration. Required if the payload type is Custom, else ignored.",
       "type": "string"
      },
      "payloadType": {
       "description": "The payload type\n2 -> Regular (raw payload)\n3 -> Custom grammar\n4 -> Geolocation\n5 -> Display in ASCII\n6 -> Radio planning frame\n9 -> Sensitv2\n",
       "format": "int32",
       "type": "integer"
      }
     },
     "type": "object"
    }
   ],
   "description": "Defines the device type's properties"
  },
  "deviceTypeCreate": {
   "allOf": [
    {
     "$ref": "#/definitions/baseDeviceType"
    },
    {
     "properties": {
      "contractId": {
       "description": "The device type's contract identifier",
       "type": "string"
      },
      "contracts": {
       "description": "The device type's contract identifiers",
       "items": {
        "$ref": "#/definitions/contractId"
       },
       "type": "array"
      },
      "geolocPayloadConfigId": {
       "description": "The geoloc payload configuration identifier. Required if the payload type is Geolocation, else ignored.",
       "type": "string"
      },
      "groupId": {
       "description": "The device type's group identifier",
       "type": "string"
      }
     },
     "required": [
      "contracts",
      "groupId"
     ],
     "type": "object"
    }
   ],
   "description": "Defines the device type's properties that can or lust be be included during creation",
   "required": [
    "groupId",
    "contracts",
    "geolocPayloadConfigId",
    "name"
   ]
  },
  "deviceTypeUpdate": {
   "allOf": [
    {
     "$ref": "#/definitions/baseDeviceType"
    },
    {
     "example": {
      "automaticRenewal": true,
      "downlinkDataString": "eeeeeeeeeeeeeeee",
      "downlinkMode": 0,
      "keepAlive": 12000,
      "name": "MyNewName",
      "payloadConfig": "Device_Type::uint:8 Firmware_Version_Battery_status_byte::uint:8 Voltage_Value::uint:16:little-endian",
      "payloadType": 3
     },
     "properties": {
      "automaticRenewal": {
       "description": "Allows the automatic renewal of devices attached to this device type",
       "type": "boolean"
      },
      "contractId": {
       "description": "The device type's contract identifier (must be on the same group than the device type)",
       "type": "string"
      },
      "contracts": {
       "description": "The device type's contract identifiers (must be on the same group than the device type)",
       "items": {
        "$ref": "#/definitions/contractId"
       },
       "type": "array"
      },
      "description": {
       "description": "The device types's description",
       "type": "string"
      },
      "downlinkDataString": {
       "description": "Downlink data to be sent to the devices of this device type if downlinkMode is equal to 0.\nIt must be an 8 byte length message given in hexadecimal string format.\n",
       "type": "string"
      },
      "downlinkMode": {
       "description": "The downlink mode to use for the devices of this device type.\n0 -> DIRECT\n1 -> CALLBACK\n2 -> NONE\n3 -> MANAGED\n",
       "format": "int32",
       "type": "integer"
      },
      "geolocPayloadConfigId": {
       "description": "The geoloc payload configuration identifier. Required if the payload type is Geolocation, else ignored.",
       "type": "string"
      },
      "payloadConfig": {
       "description": "The payload configuration. Required if the payload type is Custom, else ignored.",
       "type": "string"
      },
      "payloadType": {
       "description": "The payload type\n2 -> Regular (raw payload)\n3 -> Custom grammar\n4 -> Geolocation\n5 -> Display in ASCII\n6 -> Radio planning frame\n9 -> Sensitv2\n",
       "format": "int32",
       "type": "integer"
      }
     },
     "type": "object"
    }
   ],
   "description": "Defines the device type's properties"
  },
  "deviceUpdateJob": {
   "allOf": [
    {
     "$ref": "#/definitions/singleDeviceFields"
    },
    {
     "example": {
      "activable": false,
      "automaticRenewal": true,
      "lat": 48.8585715,
      "lng": 2.2922923,
      "name": "Device 1",
      "productCertificate": {
       "key": "P_0003_71CF_01"
      },
      "prototype": true
     },
     "properties": {
      "name": {
       "description": "The device's name",
       "type": "string"
      }
     },
     "type": "object"
    }
   ]
  },
  "downlinkAnswerStatus": {
   "example": {
    "country": "FRANCE",
    "data": "0000437f00000050",
    "operator": "Operator#1",
    "plannedPower": 67.89
   },
   "properties": {
    "baseStation": {
     "allOf": [
      {
       "$ref": "#/definitions/minBaseStationWithType"
      }
     ],
     "description": "base station to send downlink message",
     "type": "object"
    },
    "country": {
     "description": "country of the operator",
     "type": "string"
    },
    "data": {
     "description": "response content, hex encoded",
     "type": "string"
    },
    "operator": {
     "description": "name of the first operator which received the message as roaming",
     "type": "string"
    },
    "plannedPower": {
     "description": "planned downlink power as it was computed by the backend",
     "format": "double",
     "type": "number"
    }
   },
   "type": "object"
  },
  "errorMessages": {
   "properties": {
    "callback": {
     "$ref": "#/definitions/callbackMedium"
    },
    "data": {
     "description": "Data message",
     "example": "1767cc74f6",
     "type": "string"
    },
    "deviceId": {
     "description": "Device identifier",
     "example": "87535",
     "type": "string"
    },
    "deviceTypeId": {
     "description": "Device type identifier",
     "example": "5469f94c9336951d599dcc81",
     "type": "string"
    },
    "message": {
     "description": "Contains additional information on the response.",
     "example": "additional information",
     "type": "string"
    },
    "parameters": {
     "description": "All the parameters which have served to build the callback, see callback definitions for an exhaustive list.",
     "properties": {},
     "type": "object"
    },
    "snr": {
     "description": "The SNR of the messages received by the network so far.",
     "example": "26.1",
     "type": "string"
    },
    "status": {
     "description": "Contains the callback response status.",
     "type": "string"
    },
    "time": {
     "description": "Timestamp of the message (posix format)",
     "example": 1521736736,
     "format": "int64",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "geolocPayloadConfig": {
   "description": "When the payload display type is set to Geolocation for a Device Type, the geolocationPayloadConfig represents the format of the payload that the devices will use. Only recognized formats will be displayed. If you have a device with a GPS capable modem, please contact your device/modem manufacturer to get the suitable GeolocationPayloadConfig if any.",
   "example": {
    "id": "52243fa7e4b00e1b8587bd5a",
    "name": "Telecom Design [Root]"
   },
   "properties": {
    "id": {
     "description": "Geolocation payload id",
     "type": "string"
    },
    "name": {
     "description": "Geolocation payload name",
     "type": "string"
    }
   },
   "type": "object"
  },
  "lastComputedLocation": {
   "description": "Contains the estimated position of the device within a circle based on the GPS data or the Sigfox Geolocation service",
   "properties": {
    "lat": {
     "description": "The device's estimated latitude",
     "format": "double",
     "type": "number"
    },
    "lng": {
     "description": "The device's estimated longitude",
     "format": "double",
     "type": "number"
    },
    "placeIds": {
     "description": "The place ids computed by the Sigfox Geolocation service",
     "items": {
      "type": "string"
     },
     "type": "array"
    },
    "radius": {
     "description": "The radius of the circle (meters)",
     "format": "int32",
     "type": "integer"
    },
    "sourceCode": {
     "description": "Define how the location has been computed:\n- 0 -> computed using RSSI and position of the station (legacy)\n- 1 -> computed using the GPS data inside the payload\n- 2 -> computed using Network location\n- 3 -> computed using PoI location\n- 4 -> computed using HD network location\n- 5 -> computed using private database location\n- 6 -> computed using WiFi location\n- 7 -> computed using Proximity location\n",
     "format": "int32",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "minBaseStationWithType": {
   "description": "Minimal information about a BaseStation",
   "example": {
    "actions": [
     "read"
    ],
    "id": "1E6AB",
    "name": "BaseStation1",
    "resourceType": 0
   },
   "properties": {
    "actions": {
     "$ref": "#/definitions/actions"
    },
    "id": {
     "description": "The base station identifier in hexadecimal",
     "type": "string"
    },
    "name": {
     "description": "The base station name",
     "type": "string"
    },
    "resourceType": {
     "description": "Resource type.\n0 -> SBS\n1 -> NAP  \n",
     "format": "int32",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "minContractInfo": {
   "description": "Defines a minimum contract info entity",
   "example": {
    "actions": [
     "read"
    ],
    "id": "572f1204017975032d8ec1dd",
    "name": "Contract info 1",
    "resources": [
     "devices"
    ]
   },
   "properties": {
    "actions": {
     "$ref": "#/definitions/actions"
    },
    "id": {
     "description": "The contract info's identifier",
     "type": "string"
    },
    "name": {
     "description": "The contract info's name",
     "type": "string"
    },
    "resources": {
     "$ref": "#/definitions/resources"
    }
   },
   "title": "Minimal Contract Information",
   "type": "object"
  },
  "minDeviceType": {
   "description": "Defines a minimum contract info entity",
   "example": {
    "actions": [
     "read"
    ],
    "id": "572f1204017975032d8ec1dd",
    "name": "Device type info 1",
    "resources": [
     "messages",
     "messages-oob"
    ]
   },
   "properties": {
    "actions": {
     "$ref": "#/definitions/actions"
    },
    "id": {
     "description": "The device type info's identifier",
     "type": "string"
    },
    "name": {
     "description": "The device type info's name",
     "type": "string"
    },
    "resources": {
     "$ref": "#/definitions/resources"
    }
   },
   "title": "Minimal Device Type Information",
   "type": "object"
  },
  "minGroup": {
   "description": "Defines a group entity",
   "example": {
    "actions": [
     "read"
    ],
    "id": "572f1204017975032d8ec1dd",
    "level": 1,
    "name": "Group 1",
    "type": 0
   },
   "properties": {
    "actions": {
     "$ref": "#/definitions/actions"
    },
    "id": {
     "description": "The group identifier",
     "type": "string"
    },
    "level": {
     "description": "The depth level of the group in hierarchy",
     "format": "int32",
     "type": "integer"
    },
    "name": {
     "description": "The group name",
     "maxLength": 100,
     "minLength": 3,
     "type": "string"
    },
    "resources": {
     "$ref": "#/definitions/resources"
    },
    "type": {
     "description": "Group's type\n0 -> SO\n2 -> Other\n5 -> SVNO\n6 -> Partners\n7 -> NIP\n8 -> DIST\n9 -> Channel\n10 -> Starter\n11 -> Partner\n",
     "format": "int32",
     "type": "integer"
    }
   },
   "title": "Minimal Group",
   "type": "object"
  },
  "paging": {
   "properties": {
    "next": {
     "type": "string"
    }
   },
   "title": "Pagination",
   "type": "object"
  },
  "repetition": {
   "example": {
    "freq": 868.1301,
    "nseq": 1,
    "repeated": true,
    "rssi": -127.52,
    "snr": 27.52
   },
   "properties": {
    "freq": {
     "description": "the frequency at which the message has been received (in Hz)",
     "format": "double",
     "type": "number"
    },
    "nseq": {
     "description": "nseq of the repetition",
     "format": "int32",
     "type": "integer"
    },
    "repeated": {
     "description": "if this repetition has been propagated by a repeater",
     "type": "boolean"
    },
    "rssi": {
     "description": "Received Signal Strength Indication (in dBm, a float with two decimals)",
     "format": "double",
     "type": "number"
    },
    "snr": {
     "description": "the best signal of all repetitions for this base station",
     "format": "double",
     "type": "number"
    }
   },
   "type": "object"
  },
  "resource": {
   "description": "An api resource (endpoint) that this entity is able to use",
   "example": "messages",
   "type": "string"
  },
  "resources": {
   "description": "An array of the api resources (endpoint) that this entity is able to use",
   "example": [
    "messages",
    "product-certificate"
   ],
   "items": {
    "$ref": "#/definitions/resource"
   },
   "type": "array"
  },
  "rinfo": {
   "example": {
    "freq": 868.53,
    "freqRepeaters": 868.1308,
    "lat": 45.32,
    "lng": 102.3,
    "rep": 3,
    "rssi": -128.53,
    "rssiRepeaters": -56.2,
    "snr": 14.3,
    "snrRepeaters": 12.3
   },
   "properties": {
    "baseStation": {
     "allOf": [
      {
       "$ref": "#/definitions/minBaseStationWithType"
      }
     ],
     "description": "Name and Id of the base station which has received the message.",
     "type": "object"
    },
    "cbStatus": {
     "description": "list of callback status for this reception",
     "items": {
      "$ref": "#/definitions/cbStatus"
     },
     "type": "array"
    },
    "delay": {
     "description": "the delay (in second) between sending and receiving the message, may not be present.",
     "format": "double",
     "type": "number"
    },
    "freq": {
     "description": "the frequency at which the message has been received (in Hz)",
     "format": "double",
     "type": "number"
    },
    "freqRepeaters": {
     "description": "the frequency at which the message has been received (in Hz) form repeaters",
     "format": "double",
     "type": "number"
    },
    "lat": {
     "description": "The latitude of the base station that has received the message.",
     "format": "double",
     "type": "number"
    },
    "lng": {
     "description": "The longitude of the base station that has received the message.",
     "format": "double",
     "type": "number"
    },
    "rep": {
     "description": "number of repetitions sent by the base station",
     "format": "int32",
     "type": "integer"
    },
    "repetitions": {
     "description": "detail of the repetitions",
     "items": {
      "$ref": "#/definitions/repetition"
     },
     "type": "array"
    },
    "rssi": {
     "description": "Received Signal Strength Indication (in dBm, a float with two decimals)",
     "format": "double",
     "type": "number"
    },
    "rssiRepeaters": {
     "description": "Received Signal Strength Indication from repeaters (in dBm – Float value with two maximum fraction digits)",
     "format": "int32",
     "type": "integer"
    },
    "snr": {
     "description": "the best signal of all repetitions for this base station",
     "format": "double",
     "type": "number"
    },
    "snrRepeaters": {
     "description": "the best signal of all repetitions for this base station coming from repeaters",
     "format": "double",
     "type": "number"
    }
   },
   "type": "object"
  },
  "singleDeviceFields": {
   "properties": {
    "activable": {
     "default": true,
     "description": "true if the device is activable and can take a token. Not used if the device has already a token",
     "type": "boolean"
    },
    "automaticRenewal": {
     "description": "Allow token renewal ?",
     "type": "boolean"
    },
    "lat": {
     "default": 0,
     "description": "The device's provided latitude",
     "format": "double",
     "type": "number"
    },
    "lng": {
     "default": 0,
     "description": "The device's provided longitude",
     "format": "double",
     "type": "number"
    },
    "productCertificate": {
     "$ref": "#/definitions/certificateUpdate"
    },
    "prototype": {
     "description": "If the device is a prototype or not",
     "type": "boolean"
    }
   },
   "type": "object"
  },
  "token": {
   "description": "Contains the token information of the device",
   "example": {
    "detailMessage": "Active",
    "end": 1503619200000,
    "freeMessages": 1,
    "freeMessagesSent": 9,
    "state": 0,
    "unsubscriptionTime": 1503602300000
   },
   "properties": {
    "detailMessage": {
     "description": "Token state description\n- Valid\n- Off Contract\n- Not applicable for API\n- Invalid\n",
     "type": "string"
    },
    "end": {
     "description": "The device's communication end time (in milliseconds since the Unix Epoch)",
     "format": "int64",
     "type": "integer"
    },
    "freeMessages": {
     "description": "The number of free messages left for this token",
     "format": "int32",
     "type": "integer"
    },
    "freeMessagesSent": {
     "description": "The number of free messages already sent for this token",
     "format": "int32",
     "type": "integer"
    },
    "state": {
     "description": "- 0 -> OK\n- 1 -> OFF_CONTRACT\n- 2 -> NA_FOR_API\n- 3 -> INVALID_TOKEN\n",
     "format": "int32",
     "type": "integer"
    }
   },
   "type": "object"
  },
  "updateCallback": {
   "description": "Common information about Callback template",
   "discriminator": "channel",
   "properties": {
    "callbackSubtype": {
     "description": "The callback's subtype. The subtype must be valid against its type.\n- 0 -> STATUS callback sending information about the status of a device (available for SERVICE callbacks)\n- 1 -> GEOLOC callback is deprecated and can no be longer be created or edited. This callback is in a read only state to allow for migration to a DATA_ADVANCED callback\n- 2 -> UPLINK callback for an uplink message (available for DATA callbacks)\n- 3 -> BIDIR callback for a bidirectional message (available for DATA callbacks)\n- 4 -> ACKNOWLEDGE callback sent on a downlink acknowledged message (available for SERVICE callbacks)\n- 5 -> REPEATER callback triggered when a repeater sends an OOB (available for SERVICE callbacks)\n- 6 -> DATA_ADVANCED callback sent on a message that can be geolocated (available for SERVICE callbacks)\n",
     "example": 2,
     "format": "int32",
     "type": "integer"
    },
    "callbackType": {
     "description": "The callback's type.\n- 0 -> DATA callback delivering uplink messages to a customer platform.\n- 1 -> SERVICE callback to enable additional services (see subtypes).\n- 2 -> ERROR callback to ease troubleshooting in case of communication failure.\n",
     "example": 0,
     "format": "int32",
     "type": "integer"
    },
    "channel": {
     "description": "The callback's channel.\n- URL\n- BATCH_URL\n- EMAIL\n",
     "example": "URL",
     "type": "string"
    },
    "enabled": {
     "description": "True to enable the callback, otherwise false",
     "example": true,
     "type": "boolean"
    },
    "payloadConfig": {
     "description": "The custom payload configuration. Only for DATA callbacks. This field can be unset when updating.",
     "example": "int1::uint:8 int2::uint:8",
     "type": "string"
    }
   },
   "type": "object"
  }
 },
 "info": {
  "description": "The local Sigfox Cloud: the Sigfox API v2 under /v2 (from the reference description, HTTP Basic authentication) and sigfox-sim's control API under /sim. Deviations from the reference: rinfo.rssi: integer in the reference, whose own description and example say a float with two decimals (-128.53): a number here; repetition.rssi: the same as rinfo.rssi.",
  "title": "sigfox-sim serve",
  "version": "1.0"
 },
 "paths": {
  "/health": {
   "get": {
    "operationId": "health",
    "responses": {
     "200": {
      "description": "Ready",
      "schema": {
       "properties": {
        "status": {
         "type": "string"
        },
        "time": {
         "type": "string"
        },
        "version": {
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "200 once serve is ready",
    "tags": [
     "service"
    ]
   }
  },
  "/metrics": {
   "get": {
    "operationId": "metrics",
    "produces": [
     "text/plain"
    ],
    "responses": {
     "200": {
      "description": "Metrics"
     }
    },
    "security": [],
    "summary": "Prometheus text format",
    "tags": [
     "service"
    ]
   }
  },
  "/openapi.json": {
   "get": {
    "operationId": "openapi",
    "responses": {
     "200": {
      "description": "The document",
      "schema": {
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "This document",
    "tags": [
     "service"
    ]
   }
  },
  "/sim/attempts": {
   "get": {
    "operationId": "simListAttempts",
    "parameters": [
     {
      "description": "Hex device id",
      "in": "query",
      "name": "device",
      "required": false,
      "type": "string"
     },
     {
      "description": "Epoch ms, inclusive",
      "in": "query",
      "name": "since",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Epoch ms, exclusive",
      "in": "query",
      "name": "before",
      "required": false,
      "type": "integer"
     },
     {
      "description": "1 to 1000 (default 100)",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Rows to skip",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     },
     {
      "description": "",
      "in": "query",
      "name": "callback",
      "required": false,
      "type": "string"
     },
     {
      "enum": [
       "delivered",
       "retry",
       "failed",
       "cancelled"
      ],
      "in": "query",
      "name": "outcome",
      "required": false,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "The page",
      "schema": {
       "properties": {
        "data": {
         "items": {
          "type": "object"
         },
         "type": "array"
        },
        "paging": {
         "properties": {
          "next": {
           "type": "string"
          }
         },
         "type": "object"
        }
       },
       "required": [
        "data"
       ],
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Tries, newest first",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/base-stations/{id}/down": {
   "post": {
    "operationId": "simStationDown",
    "parameters": [
     {
      "description": "Hex station id",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "Done",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "404": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Take a base station down",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/base-stations/{id}/up": {
   "post": {
    "operationId": "simStationUp",
    "parameters": [
     {
      "description": "Hex station id",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "Done",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "404": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Bring a base station up",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/device-types": {
   "get": {
    "operationId": "simListDeviceTypes",
    "responses": {
     "200": {
      "description": "The list",
      "schema": {
       "properties": {
        "data": {
         "items": {
          "type": "object"
         },
         "type": "array"
        },
        "paging": {
         "properties": {
          "next": {
           "type": "string"
          }
         },
         "type": "object"
        }
       },
       "required": [
        "data"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Device types as the scenario writes them",
    "tags": [
     "control"
    ]
   },
   "post": {
    "operationId": "simCreateDeviceType",
    "parameters": [
     {
      "in": "body",
      "name": "body",
      "required": true,
      "schema": {
       "properties": {
        "callbacks": {
         "items": {
          "type": "object"
         },
         "type": "array"
        },
        "downlinkMode": {
         "type": "string"
        },
        "id": {
         "type": "string"
        },
        "keepAlive": {
         "type": "integer"
        },
        "name": {
         "type": "string"
        },
        "payloadConfig": {
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "413": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Add a device type (scenario form)",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/device-types/{id}/callbacks": {
   "post": {
    "operationId": "simCreateCallback",
    "parameters": [
     {
      "description": "Device type id or name",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "in": "body",
      "name": "body",
      "required": true,
      "schema": {
       "properties": {
        "method": {
         "type": "string"
        },
        "service": {
         "type": "string"
        },
        "url": {
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "413": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Add a callback (scenario or API v2 form)",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/device-types/{id}/events": {
   "post": {
    "operationId": "simCreateEventCallback",
    "parameters": [
     {
      "description": "Device type id or name",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "in": "body",
      "name": "body",
      "required": true,
      "schema": {
       "properties": {
        "eventType": {
         "enum": [
          "INVALID_SEQ_NUMBER",
          "OUT_OF_SEQUENCE",
          "OFF_CONTRACT",
          "TOKEN_RENEWAL"
         ],
         "type": "string"
        },
        "method": {
         "type": "string"
        },
        "url": {
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "413": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Add an event callback (URL or EMAIL with an eventType)",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/devices": {
   "get": {
    "operationId": "simListDevices",
    "responses": {
     "200": {
      "description": "The list",
      "schema": {
       "properties": {
        "data": {
         "items": {
          "type": "object"
         },
         "type": "array"
        },
        "paging": {
         "properties": {
          "next": {
           "type": "string"
          }
         },
         "type": "object"
        }
       },
       "required": [
        "data"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Devices as the scenario writes them",
    "tags": [
     "control"
    ]
   },
   "post": {
    "operationId": "simCreateDevice",
    "parameters": [
     {
      "in": "body",
      "name": "body",
      "required": true,
      "schema": {
       "properties": {
        "deviceType": {
         "type": "string"
        },
        "id": {
         "type": "string"
        },
        "lat": {
         "type": "number"
        },
        "lng": {
         "type": "number"
        }
       },
       "type": "object"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "413": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Add a device (scenario form)",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/devices/{id}": {
   "delete": {
    "operationId": "simDeleteDevice",
    "parameters": [
     {
      "description": "Hex device id",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "204": {
      "description": "Removed"
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "404": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Remove a device",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/devices/{id}/lifecycle": {
   "post": {
    "operationId": "simDeviceLifecycle",
    "parameters": [
     {
      "description": "Hex device id",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "in": "body",
      "name": "body",
      "required": true,
      "schema": {
       "properties": {
        "contractEnd": {
         "description": "contractId, networkOperatorId, businessOperatorId, shortCause, cause",
         "type": "object"
        },
        "disengage": {
         "type": "boolean"
        },
        "renewal": {
         "description": "until, and the contractEnd fields",
         "type": "object"
        },
        "sequence": {
         "description": "+N skips N numbers; N or reset sets the next one",
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Applied",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "404": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "413": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Change a device's sequence, disengage it, end or renew its contract, now",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/devices/{id}/status": {
   "post": {
    "operationId": "simSendStatus",
    "parameters": [
     {
      "description": "Hex device id",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "in": "body",
      "name": "body",
      "required": true,
      "schema": {
       "properties": {
        "batt": {
         "type": "number"
        },
        "temp": {
         "type": "number"
        }
       },
       "type": "object"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Accepted",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "404": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "413": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Send an out-of-band status message",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/devices/{id}/uplinks": {
   "post": {
    "operationId": "simSendUplink",
    "parameters": [
     {
      "description": "Hex device id",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "in": "body",
      "name": "body",
      "required": true,
      "schema": {
       "properties": {
        "ack": {
         "type": "boolean"
        },
        "encode": {
         "description": "Field values for the device type's payloadConfig",
         "type": "object"
        },
        "frames": {
         "enum": [
          1,
          3
         ],
         "type": "integer"
        },
        "payload": {
         "description": "0 to 12 bytes of hex",
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Accepted: the message's id, sequence number, time and the callbacks it fires (or lost, with the reason no station heard it)",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "404": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "413": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Send an uplink now",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/events": {
   "get": {
    "operationId": "simEvents",
    "parameters": [
     {
      "description": "Comma-separated event types",
      "in": "query",
      "name": "types",
      "required": false,
      "type": "string"
     }
    ],
    "produces": [
     "text/event-stream"
    ],
    "responses": {
     "200": {
      "description": "The stream"
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Server-Sent Events: message, attempt, downlink, acknowledge, lost, station, configuration, reset",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/messages": {
   "get": {
    "operationId": "simListMessages",
    "parameters": [
     {
      "description": "Hex device id",
      "in": "query",
      "name": "device",
      "required": false,
      "type": "string"
     },
     {
      "description": "Epoch ms, inclusive",
      "in": "query",
      "name": "since",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Epoch ms, exclusive",
      "in": "query",
      "name": "before",
      "required": false,
      "type": "integer"
     },
     {
      "description": "1 to 1000 (default 100)",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Rows to skip",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     }
    ],
    "responses": {
     "200": {
      "description": "The page",
      "schema": {
       "properties": {
        "data": {
         "items": {
          "type": "object"
         },
         "type": "array"
        },
        "paging": {
         "properties": {
          "next": {
           "type": "string"
          }
         },
         "type": "object"
        }
       },
       "required": [
        "data"
       ],
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Messages, newest first",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/network": {
   "post": {
    "operationId": "simNetwork",
    "parameters": [
     {
      "in": "body",
      "name": "body",
      "required": true,
      "schema": {
       "properties": {
        "downlinkFailure": {
         "type": "boolean"
        },
        "failNextDownlink": {
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Applied",
      "schema": {
       "type": "object"
      }
     },
     "400": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "413": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Inject downlink failures (ACKNOWLEDGE NETWORK_ERROR): all from now on, or a device's next",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/reset": {
   "post": {
    "operationId": "simReset",
    "responses": {
     "200": {
      "description": "Done",
      "schema": {
       "type": "object"
      }
     },
     "500": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     },
     "503": {
      "description": "Refused: the body names the field",
      "schema": {
       "properties": {
        "column": {
         "type": "integer"
        },
        "field": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "message": {
         "type": "string"
        }
       },
       "required": [
        "message"
       ],
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "Back to the initial configuration, records cleared",
    "tags": [
     "control"
    ]
   }
  },
  "/sim/scenario": {
   "get": {
    "operationId": "simExportScenario",
    "responses": {
     "200": {
      "description": "The scenario",
      "schema": {
       "type": "object"
      }
     }
    },
    "security": [],
    "summary": "The configuration as a scenario file",
    "tags": [
     "control"
    ]
   }
  },
  "/v2/device-types/": {
   "get": {
    "description": "Retrieve a list of device types according to visibility permissions and request filters.\n",
    "operationId": "listDeviceTypes",
    "parameters": [
     {
      "description": "Search returns all Device Type names containing the value. Example: ?name=sig\n",
      "in": "query",
      "name": "name",
      "required": false,
      "type": "string"
     },
     {
      "collectionFormat": "csv",
      "description": "Search for device types which are attached to a Group. Example: ?groupIds=57309674171c857460043087,57309674171c857460043088\n",
      "in": "query",
      "items": {
       "type": "string"
      },
      "name": "groupIds",
      "required": false,
      "type": "array"
     },
     {
      "description": "If a group identifier is specified, also includes its subgroups.",
      "in": "query",
      "name": "deep",
      "required": false,
      "type": "boolean"
     },
     {
      "description": "Searches for device types which are attached to the given contract.",
      "in": "query",
      "name": "contractId",
      "required": false,
      "type": "string"
     },
     {
      "description": "Searches device types by payload type\n  - 2 -> Regular (raw payload)\n  - 3 -> Custom grammar\n  - 4 -> Geolocation\n  - 5 -> Display in ASCII\n  - 6 -> Radio planning frame\n  - 9 -> Sensitv2\n",
      "format": "int32",
      "in": "query",
      "name": "payloadType",
      "required": false,
      "type": "integer"
     },
     {
      "default": false,
      "description": "if true, we return the list of actions and resources the user has access",
      "in": "query",
      "name": "authorizations",
      "required": false,
      "type": "boolean"
     },
     {
      "default": "id",
      "description": "The field on which the list will be sorted. (field to sort ascending or -field to sort descending).",
      "enum": [
       "id",
       "-id",
       "name",
       "-name"
      ],
      "in": "query",
      "name": "sort",
      "required": false,
      "type": "string"
     },
     {
      "description": "Defines the other available API user's fields to be returned in the response.\n",
      "enum": [
       "group(name,type,level)",
       "contract(name)",
       "geolocPayloadConfig(name)"
      ],
      "in": "query",
      "name": "fields",
      "required": false,
      "type": "string"
     },
     {
      "default": 100,
      "description": "Defines the maximum number of items to return",
      "format": "int32",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "default": 0,
      "description": "Defines the number of items to skip",
      "format": "int32",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Token representing the page to retrieve",
      "in": "query",
      "name": "pageId",
      "required": false,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "properties": {
        "actions": {
         "$ref": "#/definitions/actions"
        },
        "data": {
         "items": {
          "$ref": "#/definitions/deviceType"
         },
         "type": "array"
        },
        "paging": {
         "$ref": "#/definitions/paging"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve a list of device types",
    "tags": [
     "DeviceTypes"
    ]
   },
   "parameters": [],
   "post": {
    "description": "Create a new device type\n",
    "operationId": "createDeviceType",
    "parameters": [
     {
      "description": "The device type to create",
      "in": "body",
      "name": "deviceType",
      "required": true,
      "schema": {
       "$ref": "#/definitions/deviceTypeCreate"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Successful response",
      "headers": {
       "Location": {
        "description": "The new created device type's location",
        "type": "string"
       }
      },
      "schema": {
       "example": {
        "id": "561e7e699336d297301de3iz"
       },
       "properties": {
        "id": {
         "description": "The new created device type's identifier",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Create a device type",
    "tags": [
     "DeviceTypes"
    ]
   }
  },
  "/v2/device-types/{id}": {
   "delete": {
    "description": "Delete a given device type.\n",
    "operationId": "deviceTypesDelete",
    "parameters": [
     {
      "description": "The Device Type identifier (hexademical format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "204": {
      "description": "No content"
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Delete a device type",
    "tags": [
     "DeviceTypes"
    ]
   },
   "get": {
    "description": "Retrieve information about a device type.\n",
    "operationId": "getDeviceType",
    "parameters": [
     {
      "description": "The Device Type identifier (hexademical format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "default": false,
      "description": "if true, we return the list of actions and resources the user has access",
      "in": "query",
      "name": "authorizations",
      "required": false,
      "type": "boolean"
     },
     {
      "description": "Defines the other available API user's fields to be returned in the response.\n",
      "enum": [
       "group(name,type,level)",
       "contract(name)",
       "geolocPayloadConfig(name)"
      ],
      "in": "query",
      "name": "fields",
      "required": false,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "$ref": "#/definitions/deviceType"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve information about a device type",
    "tags": [
     "DeviceTypes"
    ]
   },
   "parameters": [],
   "put": {
    "description": "Update a given device type.\n",
    "operationId": "updateDeviceType",
    "parameters": [
     {
      "description": "The Device Type identifier (hexademical format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "The device type to update",
      "in": "body",
      "name": "deviceType",
      "required": true,
      "schema": {
       "$ref": "#/definitions/deviceTypeUpdate"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "No content"
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Update a device type",
    "tags": [
     "DeviceTypes"
    ]
   }
  },
  "/v2/device-types/{id}/callbacks": {
   "get": {
    "description": "Retrieve a list of callbacks for a given device type according to visibility permissions and request filters.\n",
    "operationId": "listCallbacks",
    "parameters": [
     {
      "description": "The Device Type identifier from which callbacks will be retrieve",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "example": {
        "data": [
         {
          "callbackSubtype": 2,
          "callbackType": 0,
          "channel": "URL",
          "contentType": "application/x-www-form-urlencoded",
          "dead": false,
          "downlinkHook": false,
          "enabled": true,
          "headers": {
           "key1": "value1",
           "key2": "value2"
          },
          "httpMethod": "POST",
          "id": "5730510c7f071f9afd2bb2b7",
          "payloadConfig": "int1::uint:8 int2::uint:8",
          "sendSni": false,
          "url": "http://myserver.com/sigfox/callback"
         },
         {
          "callbackSubtype": 2,
          "callbackType": 0,
          "channel": "BATCH_URL",
          "contentType": "application/x-www-form-urlencoded",
          "dead": false,
          "downlinkHook": false,
          "enabled": true,
          "httpMethod": "POST",
          "id": "5a547b37d20419040546f3cf",
          "linePattern": "{device};{time};{data}",
          "payloadConfig": "int1::uint:8 int2::uint:8",
          "sendSni": false,
          "url": "http://myserver.com/sigfox/batchcallback"
         },
         {
          "callbackType": 0,
          "channel": "EMAIL",
          "dead": false,
          "enabled": true,
          "id": "5730510c7f071f9afd2bb2b8",
          "message": "Your message: {time} {data}",
          "recipient": "your@email.com",
          "subject": "Your subject"
         },
         {
          "callbackSubtype": 3,
          "callbackType": 0,
          "channel": "URL",
          "contentType": "application/x-www-form-urlencoded",
          "dead": true,
          "downlinkHook": true,
          "enabled": true,
          "httpMethod": "GET",
          "id": "568bee769336cf9a324a9a5e",
          "url": "http://host/path?id={device}&time={time}"
         }
        ]
       },
       "properties": {
        "data": {
         "items": {
          "$ref": "#/definitions/callback"
         },
         "type": "array"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve a list of callbacks",
    "tags": [
     "DeviceTypes"
    ]
   },
   "parameters": [],
   "post": {
    "description": "Create a new callback for a given device type. SNR will be deprecated (see [Newsletter](https://backend.sigfox.com/welcome/news) for details). To monitor radio link quality, please use the [Link Quality Indicator (LQI)](https://support.sigfox.com/docs/link-quality:-general-knowledge) which is more relevant than SNR in Sigfox network.\n",
    "operationId": "createCallback",
    "parameters": [
     {
      "description": "The Device Type identifier from which callbacks will be retrieve",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "in": "body",
      "name": "callback",
      "required": true,
      "schema": {
       "$ref": "#/definitions/createCallback"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "headers": {
       "Location": {
        "description": "The URI of the new created callback",
        "type": "string"
       }
      },
      "schema": {
       "example": {
        "id": "5730510c7f071f9afd2bb2b7"
       },
       "properties": {
        "id": {
         "description": "The callback's identifier",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Create a callback",
    "tags": [
     "DeviceTypes"
    ]
   }
  },
  "/v2/device-types/{id}/callbacks-not-delivered": {
   "get": {
    "description": "Retrieve a list of undelivered callback messages for a given device types. SNR will be deprecated (see [Newsletter](https://backend.sigfox.com/welcome/news) for details). To monitor radio link quality, please use the [Link Quality Indicator (LQI)](https://support.sigfox.com/docs/link-quality:-general-knowledge) which is more relevant than SNR in Sigfox network.\n",
    "operationId": "getCallbackMessagesErrorListForDeviceType",
    "parameters": [
     {
      "description": "The Device Type identifier",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "Starting timestamp (in milliseconds since Unix Epoch).",
      "format": "int64",
      "in": "query",
      "name": "since",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Ending timestamp (in milliseconds since Unix Epoch).",
      "format": "int64",
      "in": "query",
      "name": "before",
      "required": false,
      "type": "integer"
     },
     {
      "default": 100,
      "description": "Defines the maximum number of items to return",
      "format": "int32",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "default": 0,
      "description": "Defines the number of items to skip",
      "format": "int32",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "properties": {
        "data": {
         "items": {
          "$ref": "#/definitions/errorMessages"
         },
         "type": "array"
        },
        "paging": {
         "$ref": "#/definitions/paging"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve a list of callback errors",
    "tags": [
     "DeviceTypes"
    ]
   },
   "parameters": []
  },
  "/v2/device-types/{id}/callbacks/{callbackId}": {
   "delete": {
    "description": "Delete a callback for a given device type.\n",
    "operationId": "deleteCallback",
    "parameters": [
     {
      "description": "The Device Type identifier from which callbacks will be retrieve",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "The Callback identifier",
      "in": "path",
      "name": "callbackId",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "204": {
      "description": "No content"
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Delete a callback",
    "tags": [
     "DeviceTypes"
    ]
   },
   "parameters": [],
   "put": {
    "description": "Update a callback for a given device type SNR will be deprecated (see [Newsletter](https://backend.sigfox.com/welcome/news) for details). To monitor radio link quality, please use the [Link Quality Indicator (LQI)](https://support.sigfox.com/docs/link-quality:-general-knowledge) which is more relevant than SNR in Sigfox network.\n",
    "operationId": "updateCallback",
    "parameters": [
     {
      "description": "The Device Type identifier from which callbacks will be retrieve",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "The Callback identifier",
      "in": "path",
      "name": "callbackId",
      "required": true,
      "type": "string"
     },
     {
      "description": "The callback to update",
      "in": "body",
      "name": "callback",
      "required": true,
      "schema": {
       "$ref": "#/definitions/updateCallback"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "No content"
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Update a callback",
    "tags": [
     "DeviceTypes"
    ]
   }
  },
  "/v2/device-types/{id}/callbacks/{callbackId}/callbacks-not-delivered": {
   "get": {
    "description": "Retrieve the last device message error associated with this callback.",
    "operationId": "listLastCallbackError",
    "parameters": [
     {
      "description": "The Device Type identifier from which callbacks will be retrieve",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "The Callback identifier",
      "in": "path",
      "name": "callbackId",
      "required": true,
      "type": "string"
     },
     {
      "description": "Starting timestamp (in milliseconds since Unix Epoch).",
      "format": "int64",
      "in": "query",
      "name": "since",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Ending timestamp (in milliseconds since Unix Epoch).",
      "format": "int64",
      "in": "query",
      "name": "before",
      "required": false,
      "type": "integer"
     },
     {
      "default": 100,
      "description": "Defines the maximum number of items to return",
      "format": "int32",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "default": 0,
      "description": "Defines the number of items to skip",
      "format": "int32",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "$ref": "#/definitions/errorMessages"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "last device message error for this callback",
    "tags": [
     "DeviceTypes"
    ]
   },
   "parameters": []
  },
  "/v2/device-types/{id}/callbacks/{callbackId}/downlink": {
   "parameters": [],
   "put": {
    "description": "Selects a downlink callback for a device type. The callback will be selected as the downlink one, the one that was previously selected will no longer be used for downlink.\n",
    "operationId": "enableDownlinkCallback",
    "parameters": [
     {
      "description": "The Device Type identifier from which callbacks will be retrieve",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "The Callback identifier",
      "in": "path",
      "name": "callbackId",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "204": {
      "description": "No content"
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Selects a downlink callback",
    "tags": [
     "DeviceTypes"
    ]
   }
  },
  "/v2/device-types/{id}/callbacks/{callbackId}/enable": {
   "parameters": [],
   "put": {
    "description": "Enable or disable a callback for a given device type.\n",
    "operationId": "enableCallback",
    "parameters": [
     {
      "description": "The Device Type identifier from which callbacks will be retrieve",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "The Callback identifier",
      "in": "path",
      "name": "callbackId",
      "required": true,
      "type": "string"
     },
     {
      "description": "True to enable the callback, false to disable it",
      "in": "query",
      "name": "enabled",
      "required": true,
      "type": "boolean"
     }
    ],
    "responses": {
     "204": {
      "description": "No content"
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Enable or disable a callback",
    "tags": [
     "DeviceTypes"
    ]
   }
  },
  "/v2/device-types/{id}/disengage": {
   "put": {
    "operationId": "disengageDeviceType",
    "parameters": [
     {
      "description": "The Device Type identifier (hexadecimal format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "204": {
      "description": "Disengaged: the next message is taken whatever its sequence number"
     },
     "401": {
      "description": "Unauthorized",
      "schema": {
       "properties": {
        "message": {
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not found",
      "schema": {
       "properties": {
        "message": {
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    },
    "summary": "Disengage the sequence number check of every device of a device type",
    "tags": [
     "Device Types"
    ]
   }
  },
  "/v2/device-types/{id}/messages": {
   "get": {
    "description": "Retrieve a list of messages for a given device types. SNR will be deprecated (see [Newsletter](https://backend.sigfox.com/welcome/news) for details). To monitor radio link quality, please use the [Link Quality Indicator (LQI)](https://support.sigfox.com/docs/link-quality:-general-knowledge) which is more relevant than SNR in Sigfox network.\n",
    "operationId": "getDeviceMessagesListForDeviceType",
    "parameters": [
     {
      "description": "The Device Type identifier",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "Defines the other available API user's fields to be returned in the response.\n",
      "enum": [
       "oob",
       "ackRequired",
       "device(name)",
       "rinfos(cbStatus,rep,repetitions,baseStation(name))",
       "downlinkAnswerStatus(baseStation(name))"
      ],
      "in": "query",
      "name": "fields",
      "required": false,
      "type": "string"
     },
     {
      "description": "Starting timestamp (in milliseconds since Unix Epoch).",
      "format": "int64",
      "in": "query",
      "name": "since",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Ending timestamp (in milliseconds since Unix Epoch).",
      "format": "int64",
      "in": "query",
      "name": "before",
      "required": false,
      "type": "integer"
     },
     {
      "default": false,
      "description": "if true, we return the list of actions and resources the user has access",
      "in": "query",
      "name": "authorizations",
      "required": false,
      "type": "boolean"
     },
     {
      "default": 100,
      "description": "Defines the maximum number of items to return",
      "format": "int32",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "default": 0,
      "description": "Defines the number of items to skip",
      "format": "int32",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "properties": {
        "data": {
         "items": {
          "$ref": "#/definitions/deviceMessage"
         },
         "type": "array"
        },
        "paging": {
         "$ref": "#/definitions/paging"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve a list of messages",
    "tags": [
     "DeviceTypes"
    ]
   },
   "parameters": []
  },
  "/v2/devices/": {
   "get": {
    "description": "Retrieve a list of devices according to visibility permissions and request filters.\n",
    "operationId": "listDevices",
    "parameters": [
     {
      "description": "The device's identifier (hexadecimal format)",
      "in": "query",
      "name": "id",
      "required": false,
      "type": "string"
     },
     {
      "collectionFormat": "csv",
      "description": "Returns all devices under the given groups (included sub-groups if the parameter deep is equals to true)",
      "in": "query",
      "items": {
       "type": "string"
      },
      "name": "groupIds",
      "required": false,
      "type": "array"
     },
     {
      "default": false,
      "description": "if true, we search by groups and subgroups through the parameter 'groupIds'",
      "in": "query",
      "name": "deep",
      "required": false,
      "type": "boolean"
     },
     {
      "default": false,
      "description": "if true, we return the list of actions and resources the user has access",
      "in": "query",
      "name": "authorizations",
      "required": false,
      "type": "boolean"
     },
     {
      "description": "Returns all devices of the given device type",
      "in": "query",
      "name": "deviceTypeId",
      "required": false,
      "type": "string"
     },
     {
      "description": "Returns all devices under the given operator",
      "in": "query",
      "name": "operatorId",
      "required": false,
      "type": "string"
     },
     {
      "default": "name",
      "description": "The field on which the list will be sorted. (field to sort ascending or -field to sort descending)",
      "enum": [
       "id",
       "-id",
       "name",
       "-name",
       "lastCom",
       "-lastCom"
      ],
      "in": "query",
      "name": "sort",
      "required": false,
      "type": "string"
     },
     {
      "description": "The minimal id of the filtered range, only availble when sort parameter is set to \"id\" or \"-id\"",
      "in": "query",
      "name": "minId",
      "required": false,
      "type": "string"
     },
     {
      "description": "The maximal id of the filtered range, only availble when sort parameter is set to \"id\" or \"-id\"",
      "in": "query",
      "name": "maxId",
      "required": false,
      "type": "string"
     },
     {
      "description": "Defines the other available fields to be returned in the response.\n",
      "enum": [
       "deviceType(name)",
       "group(name,type,level,bssId,customerBssId)",
       "contract(name)",
       "productCertificate(key)",
       "modemCertificate(key)"
      ],
      "in": "query",
      "name": "fields",
      "required": false,
      "type": "string"
     },
     {
      "default": 100,
      "description": "The maximum number of items to return",
      "format": "int32",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "default": 0,
      "description": "The number of items to skip",
      "format": "int32",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Token representing the page to retrieve",
      "in": "query",
      "name": "pageId",
      "required": false,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "properties": {
        "actions": {
         "$ref": "#/definitions/actions"
        },
        "data": {
         "items": {
          "$ref": "#/definitions/device"
         },
         "type": "array"
        },
        "paging": {
         "$ref": "#/definitions/paging"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve a list of devices",
    "tags": [
     "Devices"
    ]
   },
   "parameters": [],
   "post": {
    "description": "Create a new device.\n",
    "operationId": "createDevice",
    "parameters": [
     {
      "description": "The device to create",
      "in": "body",
      "name": "device",
      "required": true,
      "schema": {
       "$ref": "#/definitions/deviceCreationJob"
      }
     }
    ],
    "responses": {
     "201": {
      "description": "Created",
      "headers": {
       "Location": {
        "description": "The URI of the new created device",
        "type": "string"
       }
      },
      "schema": {
       "example": {
        "id": "56E3AD"
       },
       "properties": {
        "id": {
         "description": "The device's identifier (hexadecimal format)",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "409": {
      "description": "Conflict",
      "schema": {
       "properties": {
        "message": {
         "example": "A conflict happened with the current state of the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Create a device",
    "tags": [
     "Devices"
    ]
   }
  },
  "/v2/devices/{id}": {
   "delete": {
    "description": "Delete a given device.\n",
    "operationId": "deleteDevice",
    "parameters": [
     {
      "description": "The Device identifier (hexadecimal format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "204": {
      "description": "No content"
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Delete a device",
    "tags": [
     "Devices"
    ]
   },
   "get": {
    "description": "Retrieve information about a given device.\n",
    "operationId": "getDevice",
    "parameters": [
     {
      "description": "The Device identifier (hexadecimal format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "default": false,
      "description": "if true, we return the list of actions and resources the user has access",
      "in": "query",
      "name": "authorizations",
      "required": false,
      "type": "boolean"
     },
     {
      "description": "Defines the other available fields to be returned in the response.\n",
      "enum": [
       "deviceType(name)",
       "group(name,type,level,bssId,customerBssId)",
       "contract(name)",
       "productCertificate(key)",
       "modemCertificate(key)"
      ],
      "in": "query",
      "name": "fields",
      "required": false,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "$ref": "#/definitions/device"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve information about a device",
    "tags": [
     "Devices"
    ]
   },
   "parameters": [],
   "put": {
    "description": "Update a given device.\n",
    "operationId": "updateDevice",
    "parameters": [
     {
      "description": "The Device identifier (hexadecimal format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "The device to update",
      "in": "body",
      "name": "device",
      "required": true,
      "schema": {
       "$ref": "#/definitions/deviceUpdateJob"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "No content"
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Update a device",
    "tags": [
     "Devices"
    ]
   }
  },
  "/v2/devices/{id}/callbacks-not-delivered": {
   "get": {
    "description": "Retrieve a list of undelivered callbacks and errors for a given device, in reverse chronological order (most recent message first). SNR will be deprecated (see [Newsletter](https://backend.sigfox.com/welcome/news) for details). To monitor radio link quality, please use the [Link Quality Indicator (LQI)](https://support.sigfox.com/docs/link-quality:-general-knowledge) which is more relevant than SNR in Sigfox network.\n",
    "operationId": "getCallbackMessagesErrorListForDevice",
    "parameters": [
     {
      "description": "The Device identifier (hexadecimal format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "Starting timestamp (in milliseconds since the Unix Epoch)",
      "format": "int64",
      "in": "query",
      "name": "since",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Ending timestamp (in milliseconds since the Unix Epoch)",
      "format": "int64",
      "in": "query",
      "name": "before",
      "required": false,
      "type": "integer"
     },
     {
      "default": 100,
      "description": "The maximum number of items to return",
      "format": "int32",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "default": 0,
      "description": "The number of items to skip",
      "format": "int32",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "example": {
        "data": [
         {
          "callback": {
           "message": "email body",
           "subject": "email title"
          },
          "data": "DEADBEEF",
          "deviceId": "123D5",
          "deviceTypeId": "5964a10570c85b51ccbaf497",
          "messages": "OK",
          "parameters": {
           "key1": "value1",
           "key2": "value2"
          },
          "snr": 27.4,
          "status": "202",
          "time": 1487065942000
         },
         {
          "callback": {
           "body": {
            "value1": "ok",
            "value2": true,
            "value3": 123
           },
           "contentType": "application/json",
           "error": "JSON body could not be evaluated",
           "header": {
            "header1": "value1",
            "header2": "value2"
           },
           "method": "POST",
           "url": "www.google.com"
          },
          "data": "1234ABCD",
          "deviceId": "2",
          "deviceTypeId": "5964a10570c85b51ccbaf497",
          "messages": "Internal Server Error",
          "parameters": {
           "key3": 123,
           "key4": false
          },
          "snr": 78.65,
          "status": "500",
          "time": 1487069845000
         }
        ],
        "paging": {
         "next": "http://next-url-to-request"
        }
       },
       "properties": {
        "data": {
         "items": {
          "$ref": "#/definitions/deviceErrorMessages"
         },
         "type": "array"
        },
        "paging": {
         "$ref": "#/definitions/paging"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve a list of undelivered callbacks",
    "tags": [
     "Devices"
    ]
   },
   "parameters": []
  },
  "/v2/devices/{id}/disengage": {
   "post": {
    "operationId": "disengageDevice",
    "parameters": [
     {
      "description": "The device's identifier (hexadecimal format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "204": {
      "description": "Disengaged: the next message is taken whatever its sequence number"
     },
     "401": {
      "description": "Unauthorized",
      "schema": {
       "properties": {
        "message": {
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not found",
      "schema": {
       "properties": {
        "message": {
         "type": "string"
        }
       },
       "type": "object"
      }
     }
    },
    "summary": "Disengage the sequence number check of a device",
    "tags": [
     "Devices"
    ]
   }
  },
  "/v2/devices/{id}/messages": {
   "get": {
    "description": "Retrieve a list of messages for a given device according to request filters. SNR will be deprecated (see [Newsletter](https://backend.sigfox.com/welcome/news) for details). To monitor radio link quality, please use the [Link Quality Indicator (LQI)](https://support.sigfox.com/docs/link-quality:-general-knowledge) which is more relevant than SNR in Sigfox network.\n",
    "operationId": "getDeviceMessagesListForDevice",
    "parameters": [
     {
      "description": "The Device identifier (hexadecimal format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     },
     {
      "description": "Defines the other available fields to be returned in the response.\n",
      "enum": [
       "oob",
       "ackRequired",
       "device(name)",
       "rinfos(cbStatus,rep,repetitions,baseStation(name))",
       "downlinkAnswerStatus(baseStation(name))"
      ],
      "in": "query",
      "name": "fields",
      "required": false,
      "type": "string"
     },
     {
      "description": "Starting timestamp (in milliseconds since the Unix Epoch)",
      "format": "int64",
      "in": "query",
      "name": "since",
      "required": false,
      "type": "integer"
     },
     {
      "description": "Ending timestamp (in milliseconds since the Unix Epoch)",
      "format": "int64",
      "in": "query",
      "name": "before",
      "required": false,
      "type": "integer"
     },
     {
      "default": 100,
      "description": "The maximum number of items to return",
      "format": "int32",
      "in": "query",
      "name": "limit",
      "required": false,
      "type": "integer"
     },
     {
      "default": 0,
      "description": "The number of items to skip",
      "format": "int32",
      "in": "query",
      "name": "offset",
      "required": false,
      "type": "integer"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "properties": {
        "data": {
         "items": {
          "$ref": "#/definitions/deviceMessage"
         },
         "type": "array"
        },
        "paging": {
         "$ref": "#/definitions/paging"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "412": {
      "description": "Precondition Failed"
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retrieve a list of messages",
    "tags": [
     "Devices"
    ]
   },
   "parameters": []
  },
  "/v2/devices/{id}/messages/metric": {
   "get": {
    "description": "Return the number of messages for a given device, for the last day, last week and last month.\n",
    "parameters": [
     {
      "description": "The Device identifier (hexadecimal format)",
      "in": "path",
      "name": "id",
      "required": true,
      "type": "string"
     }
    ],
    "responses": {
     "200": {
      "description": "Successful response",
      "schema": {
       "example": {
        "lastDay": 387,
        "lastMonth": 3268,
        "lastWeek": 763
       },
       "properties": {
        "lastDay": {
         "description": "Number of device messages for the last day",
         "format": "int32",
         "type": "integer"
        },
        "lastMonth": {
         "description": "Number of device messages for the last month",
         "format": "int32",
         "type": "integer"
        },
        "lastWeek": {
         "description": "Number of device messages for the last week",
         "format": "int32",
         "type": "integer"
        }
       },
       "type": "object"
      }
     },
     "400": {
      "description": "Bad Request",
      "schema": {
       "$ref": "#/definitions/ErrorContent"
      }
     },
     "401": {
      "description": "Unauthorized. Authentication (ID/password) error."
     },
     "403": {
      "description": "Forbidden",
      "schema": {
       "properties": {
        "message": {
         "example": "You are not allowed to access the resource.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "404": {
      "description": "Not Found",
      "schema": {
       "properties": {
        "message": {
         "example": "The requested resource was not found.",
         "type": "string"
        }
       },
       "type": "object"
      }
     },
     "500": {
      "description": "Internal Server Error"
     }
    },
    "summary": "Retreive the number of messages",
    "tags": [
     "Devices"
    ]
   },
   "parameters": []
  }
 },
 "produces": [
  "application/json"
 ],
 "schemes": [
  "http"
 ],
 "security": [
  {
   "basicAuth": []
  }
 ],
 "securityDefinitions": {
  "basicAuth": {
   "description": "Since all communications are encrypted, the authentication is performed using HTTP Basic scheme.",
   "type": "basic"
  }
 },
 "swagger": "2.0"
}
"""##
}
