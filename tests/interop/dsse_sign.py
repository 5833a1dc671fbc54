#!/usr/bin/env python3
"""Signs a payload into a DSSE envelope with Python `cryptography`.

usage: dsse_sign.py PRIVATE_KEY_PEM PAYLOAD_FILE [--payload-type TYPE]
                    [--encoding std|std-nopad|url|url-nopad] [--keyid KEYID]

Builds the PAE itself and prints the envelope JSON on stdout. The keyid
defaults to the lowercase hex SHA-256 of the DER SubjectPublicKeyInfo.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from dsse_common import b64encode, key_id, pae  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("private_key")
    parser.add_argument("payload")
    parser.add_argument("--payload-type", default="application/vnd.in-toto+json")
    parser.add_argument(
        "--encoding", choices=["std", "std-nopad", "url", "url-nopad"], default="std"
    )
    parser.add_argument("--keyid")
    args = parser.parse_args()

    with open(args.private_key, "rb") as handle:
        private_key = serialization.load_pem_private_key(handle.read(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        print("not an Ed25519 private key", file=sys.stderr)
        return 2
    with open(args.payload, "rb") as handle:
        payload = handle.read()

    signature = private_key.sign(pae(args.payload_type, payload))
    keyid = args.keyid if args.keyid is not None else key_id(private_key.public_key())
    envelope = {
        "payload": b64encode(payload, args.encoding),
        "payloadType": args.payload_type,
        "signatures": [{"keyid": keyid, "sig": b64encode(signature, args.encoding)}],
    }
    json.dump(envelope, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
