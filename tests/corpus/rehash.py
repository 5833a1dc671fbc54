#!/usr/bin/env python3
"""Recompute the sha256 digests in every bundle manifest under a directory.

Usage: rehash.py [--check] [DIR ...]   (default DIR: the directory of this script)

For each `manifest.json` found, every `evidence[].sha256` is set to the
sha256 of the file at `evidence[].path` (relative to the manifest's
directory), and so is `subjects[].digest.sha256` for subjects that carry a
`path`. Manifests are rewritten only when a digest changed. With `--check`
nothing is written and the exit status is 1 if any digest is stale, for CI.

Only JSON manifests are handled; a `manifest.yaml` is reported and skipped,
since rewriting YAML without a round-trip library would lose its comments.
"""

import hashlib
import json
import sys
from pathlib import Path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rehash(manifest_path: Path, check: bool) -> tuple[bool, list[str]]:
    """Returns (stale, errors) for one manifest."""
    bundle = manifest_path.parent
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    errors = []
    stale = False

    def digest_for(rel: str) -> str | None:
        if rel.startswith("/") or ".." in rel.split("/"):
            errors.append(f"{manifest_path}: path `{rel}` leaves the bundle")
            return None
        target = bundle / rel
        if not target.is_file():
            errors.append(f"{manifest_path}: `{rel}` does not exist")
            return None
        return sha256_of(target)

    for entry in manifest.get("evidence", []):
        digest = digest_for(entry.get("path", ""))
        if digest is not None and entry.get("sha256") != digest:
            entry["sha256"] = digest
            stale = True
    for subject in manifest.get("subjects", []):
        if "path" not in subject:
            continue
        digest = digest_for(subject["path"])
        if digest is not None and subject.get("digest", {}).get("sha256") != digest:
            subject.setdefault("digest", {})["sha256"] = digest
            stale = True

    if stale and not check and not errors:
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return stale, errors


def main(argv: list[str]) -> int:
    check = "--check" in argv
    roots = [Path(a) for a in argv if a != "--check"] or [Path(__file__).resolve().parent]
    all_errors = []
    stale_count = 0
    for root in roots:
        for yaml_manifest in sorted(root.rglob("manifest.yaml")):
            print(f"skipped (YAML): {yaml_manifest}", file=sys.stderr)
        for manifest_path in sorted(root.rglob("manifest.json")):
            stale, errors = rehash(manifest_path, check)
            all_errors.extend(errors)
            if stale:
                stale_count += 1
                print(f"{'stale' if check else 'updated'}: {manifest_path}")
    for error in all_errors:
        print(f"error: {error}", file=sys.stderr)
    if all_errors or (check and stale_count):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
