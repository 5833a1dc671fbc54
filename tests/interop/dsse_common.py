"""DSSE v1 helpers written from the spec, independently of assay's Rust code.

Used by dsse_sign.py and dsse_verify.py, which the Rust test suites run to
check that assay's envelopes interoperate with a second implementation.
"""

import base64
import hashlib

from cryptography.hazmat.primitives import serialization


def pae(payload_type: str, payload: bytes) -> bytes:
    """PAE per DSSE protocol.md: lengths are byte counts in ASCII decimal."""
    type_bytes = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(type_bytes), type_bytes, len(payload), payload)


def b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not (DSSE allows both)."""
    padded = text + "=" * (-len(text) % 4)
    if "-" in text or "_" in text:
        return base64.urlsafe_b64decode(padded.encode("ascii"))
    return base64.b64decode(padded.encode("ascii"), validate=True)


def b64encode(data: bytes, encoding: str) -> str:
    """Encodes as `std`, `std-nopad`, `url` or `url-nopad`."""
    if encoding.startswith("url"):
        text = base64.urlsafe_b64encode(data).decode("ascii")
    else:
        text = base64.b64encode(data).decode("ascii")
    if encoding.endswith("-nopad"):
        text = text.rstrip("=")
    return text


def key_id(public_key) -> str:
    """Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


assert pae("http://example.com/HelloWorld", b"hello world") == (
    b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
)
