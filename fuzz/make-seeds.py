#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds/<target>/ from the project's own
examples plus a few hand-made inputs signed by the fixed fuzz key.

Deterministic (Ed25519 signatures are), so re-running it changes nothing
unless the examples changed. Needs the `cryptography` package.
"""
import base64
import hashlib
import json
import pathlib
import shutil

from cryptography.hazmat.primitives.serialization import load_pem_private_key

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
# Same key as tests/fuzz/src/generate.rs FUZZ_KEY_PEM.
FUZZ_KEY_PEM = b"""-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIIER3f1NvYCgFn0Sr4bXr8utMqCXeki3QnvuuJMk/6aC
-----END PRIVATE KEY-----
"""
FUZZ_PUB_PEM = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAV+XqY6var+5rWPKr4kRz2qXeQfIgEtX5M8xg5Las7TQ=
-----END PUBLIC KEY-----
"""
MAX_SEED = 16 * 1024


def pae(payload_type: str, payload: bytes) -> bytes:
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def envelope(payload_type: str, payload: bytes) -> bytes:
    key = load_pem_private_key(FUZZ_KEY_PEM, password=None)
    sig = key.sign(pae(payload_type, payload))
    return json.dumps(
        {
            "payloadType": payload_type,
            "payload": base64.b64encode(payload).decode(),
            "signatures": [{"keyid": "fuzz", "sig": base64.b64encode(sig).decode()}],
        },
        indent=2,
    ).encode()


def write(target: str, name: str, data: bytes) -> None:
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def small(path: pathlib.Path) -> bool:
    return path.stat().st_size <= MAX_SEED


def main() -> None:
    if SEEDS.exists():
        shutil.rmtree(SEEDS)
    examples = ROOT / "examples" / "bundles"
    for bundle in sorted(examples.iterdir()):
        manifest = bundle / "manifest.json"
        if manifest.is_file():
            write("manifest", f"{bundle.name}.json", manifest.read_bytes())
    compliant = examples / "compliant"
    for doc in sorted((compliant / "evidence").rglob("*")):
        if doc.is_file() and small(doc):
            prefix = b"\x01" if doc.suffix in (".yaml", ".yml") else b"\x00"
            write("evidence", doc.name, prefix + doc.read_bytes())
    write("evidence", "anchors.yaml", b"\x01a: &x [1, 2]\nb: *x\nc: {d: *x}\n")
    write("evidence", "deep.json", b"\x00" + b"[" * 200 + b"]" * 200)
    write("evidence", "dup.json", b'\x00{"a": 1, "a": 2}')
    for policy in sorted((ROOT / "policies").glob("*.toml")):
        write("policy_set", policy.name, policy.read_bytes())
    write("waivers", "golden.toml", (ROOT / "tests" / "golden" / "waivers.toml").read_bytes())

    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "model", "digest": {"sha256": "ab" * 32}}],
        "predicateType": "https://assay.dev/attestation/v1",
        "predicate": {"evaluatedAt": "2026-03-01T12:00:00Z", "result": "PASSED"},
    }
    payload = json.dumps(statement).encode()
    write("envelope", "signed.json", envelope("application/vnd.in-toto+json", payload))
    write("envelope", "other-type.json", envelope("application/json", payload))
    write("envelope_mutations", "zeros", bytes(64))
    write("envelope_mutations", "ramp", bytes(range(256)))

    write("pem_keys", "private.pem", FUZZ_KEY_PEM)
    write("pem_keys", "public.pem", FUZZ_PUB_PEM.encode())

    write(
        "trust_store",
        "inline.toml",
        (
            '[[key]]\nname = "fuzz"\npublic_key = """\n' + FUZZ_PUB_PEM + '"""\n'
            'not_before = "2025-01-01T00:00:00Z"\n'
            '[[key]]\nname = "file"\npublic_key_file = "keys/ci.pub"\n'
            'not_after = "2026-12-31T23:59:59Z"\n'
        ).encode(),
    )

    component = b"\x00asm\x0d\x00\x01\x00"
    digest = hashlib.sha256(component).hexdigest()
    policy_toml = (
        'name = "fuzz"\nversion = "1.0.0"\ndescription = "seed"\n\n'
        f'[[plugin]]\nid = "pii"\npath = "pii.wasm"\nsha256 = "{digest}"\n'
    )
    bundle = json.dumps(
        {
            "mediaType": "application/vnd.assay.policy-pack.v1+json",
            "policy": {
                "fileName": "fuzz.toml",
                "sha256": hashlib.sha256(policy_toml.encode()).hexdigest(),
                "toml": policy_toml,
            },
            "components": [
                {
                    "name": "pii.wasm",
                    "sha256": digest,
                    "data": base64.b64encode(component).decode(),
                }
            ],
        },
        indent=2,
    ).encode()
    write("policy_pack", "unsigned.json", bundle)
    write(
        "policy_pack",
        "signed.json",
        envelope("application/vnd.assay.policy-pack.v1+json", bundle),
    )
    write("plugin_output", "zeros", bytes(128))
    write("plugin_output", "ramp", bytes(range(256)))


if __name__ == "__main__":
    main()
