#!/usr/bin/env python3
"""Verifies a DSSE envelope with Python `cryptography`, independently of assay.

usage: dsse_verify.py ENVELOPE_JSON PUBLIC_KEY_PEM [--payload-type TYPE]

Rebuilds the PAE from the envelope JSON and accepts if at least one
signature verifies with the Ed25519 public key (the keyid is ignored).
Prints a JSON report on stdout. Exit status: 0 verified, 1 not verified,
2 bad input.
"""

import argparse
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey  # noqa: E402

from dsse_common import b64decode, key_id, pae  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("envelope")
    parser.add_argument("public_key")
    parser.add_argument("--payload-type", default="application/vnd.in-toto+json")
    args = parser.parse_args()

    try:
        with open(args.envelope, "rb") as handle:
            envelope = json.load(handle)
        with open(args.public_key, "rb") as handle:
            public_key = serialization.load_pem_public_key(handle.read())
        if not isinstance(public_key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        payload_type = envelope["payloadType"]
        payload = b64decode(envelope["payload"])
        signatures = envelope["signatures"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(json.dumps({"error": str(error)}))
        return 2

    report = {
        "verified": False,
        "payload_type": payload_type,
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "key_id": key_id(public_key),
        "signature_index": None,
    }
    if payload_type != args.payload_type:
        report["error"] = "payload type mismatch"
        print(json.dumps(report))
        return 1
    message = pae(payload_type, payload)
    for index, signature in enumerate(signatures):
        try:
            public_key.verify(b64decode(signature["sig"]), message)
        except (InvalidSignature, ValueError):
            continue
        report["verified"] = True
        report["signature_index"] = index
        break
    print(json.dumps(report))
    return 0 if report["verified"] else 1


if __name__ == "__main__":
    sys.exit(main())
