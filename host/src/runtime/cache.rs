//! The compiled-plugin cache: each component is compiled by Cranelift once
//! and the native artifact reused, keyed by the component's sha256 and the
//! engine's configuration.
//!
//! A precompiled artifact is native code that wasmtime loads without
//! re-validating it, so the cache only ever loads what assay itself wrote:
//! the directory must be private to the user (mode 0700, owned by them, or
//! the cache is not used), every entry names the sha256 of the component it
//! was compiled from and carries a sha256 over that name and its payload,
//! both checked before loading; any mismatch (a tampered, truncated or
//! foreign entry, the entry of another component copied over this one's,
//! another wasmtime version) means compile again and overwrite. So a cache
//! entry can only ever stand for the component whose pin was checked. The
//! digest guards against corruption, mix-ups and other tools, not against
//! someone who can already write to the user's private directory (they
//! could compute the digest too; SECURITY.md draws that boundary).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use wasmtime::component::Component;
use wasmtime::Engine;

use crate::digest::sha256_hex;

/// Version 2 binds each entry to its component (version 1 entries are
/// rejected and recompiled).
const MAGIC: &[u8; 8] = b"ASSAYC2\0";

/// A private directory of precompiled components.
#[derive(Debug, Clone)]
pub struct CompileCache {
    dir: PathBuf,
}

/// What happened to one lookup, for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Loaded from the cache.
    Hit,
    /// Not in the cache; compiled and stored.
    Miss,
    /// In the cache but unusable (tampered, truncated, incompatible);
    /// compiled again and replaced.
    Rejected,
}

impl CompileCache {
    /// Opens (creating, mode 0700) the cache directory. Returns `None`, with
    /// a warning, when the directory is not private to this user.
    pub fn open(dir: &Path) -> Option<CompileCache> {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        if let Err(e) = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
        {
            tracing::warn!(dir = %dir.display(), error = %e, "cannot create the compile cache; compiling every time");
            return None;
        }
        let meta = std::fs::metadata(dir).ok()?;
        // The owner of /proc/self is this process's user; where there is no
        // /proc, the comparison fails and the cache is simply not used.
        let uid = std::fs::metadata("/proc/self")
            .map(|m| m.uid())
            .unwrap_or(u32::MAX);
        let private = meta.permissions().mode() & 0o077 == 0 && meta.uid() == uid;
        if !private {
            tracing::warn!(dir = %dir.display(), "compile cache directory is not private (mode 0700, owned by you); not using it");
            return None;
        }
        Some(CompileCache {
            dir: dir.to_path_buf(),
        })
    }

    /// The default location: `$ASSAY_CACHE_DIR`, else `$XDG_CACHE_HOME/assay`,
    /// else `~/.cache/assay`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(d) = std::env::var_os("ASSAY_CACHE_DIR") {
            return Some(PathBuf::from(d));
        }
        if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
            return Some(PathBuf::from(d).join("assay"));
        }
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/assay"))
    }

    fn entry(&self, engine: &Engine, component_sha256: &str) -> PathBuf {
        // The engine's compatibility hash covers the wasmtime version and
        // every setting that changes generated code.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut h);
        self.dir
            .join(format!("{component_sha256}-{:016x}.cwasm", h.finish()))
    }

    /// Returns the compiled component for `bytes`, from the cache when a
    /// valid entry exists, compiling (and storing) it otherwise.
    pub fn get_or_compile(
        &self,
        engine: &Engine,
        bytes: &[u8],
    ) -> wasmtime::Result<(Component, CacheOutcome)> {
        self.get_or_compile_with(engine, bytes, || {})
    }

    /// [`Self::get_or_compile`], calling `before_compiling` when the
    /// component has to be compiled (for progress output: that is the slow
    /// part, about 100 ms per plugin).
    pub fn get_or_compile_with(
        &self,
        engine: &Engine,
        bytes: &[u8],
        before_compiling: impl FnOnce(),
    ) -> wasmtime::Result<(Component, CacheOutcome)> {
        let sha = sha256_hex(bytes);
        let path = self.entry(engine, &sha);
        let mut outcome = CacheOutcome::Miss;
        let component_digest = sha2_bytes(bytes);
        if let Ok(stored) = std::fs::read(&path) {
            match verified_payload(&stored, &component_digest) {
                Some(payload) => {
                    // SAFETY: `payload` is an artifact that assay serialised
                    // into this user-private directory (checked in `open`)
                    // from this very component (its sha256 is bound into the
                    // entry), and its digest matches the one written with it,
                    // so it is byte for byte what `Component::serialize`
                    // produced for these bytes.
                    // wasmtime itself refuses artifacts from another version
                    // or configuration.
                    #[allow(unsafe_code)]
                    let loaded = unsafe { Component::deserialize(engine, payload) };
                    match loaded {
                        Ok(c) => return Ok((c, CacheOutcome::Hit)),
                        Err(e) => {
                            tracing::debug!(entry = %path.display(), error = %e, "cache entry incompatible");
                            outcome = CacheOutcome::Rejected;
                        }
                    }
                }
                None => {
                    tracing::warn!(entry = %path.display(), "cache entry failed its integrity check; recompiling");
                    outcome = CacheOutcome::Rejected;
                }
            }
        }
        before_compiling();
        let component = Component::new(engine, bytes)?;
        if let Ok(artifact) = component.serialize() {
            let file = encode_entry(&component_digest, &artifact);
            if let Err(e) = crate::fsutil::write_atomic(&path, &file, 0o600) {
                tracing::warn!(entry = %path.display(), error = %e, "cannot write the compile cache");
            }
        }
        Ok((component, outcome))
    }
}

fn sha2_bytes(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// A cache file: magic, the component's sha256, sha256(component sha256 ||
/// payload), payload.
fn encode_entry(component: &[u8; 32], payload: &[u8]) -> Vec<u8> {
    let mut file = Vec::with_capacity(payload.len() + 72);
    file.extend_from_slice(MAGIC);
    file.extend_from_slice(component);
    file.extend_from_slice(&entry_digest(component, payload));
    file.extend_from_slice(payload);
    file
}

fn entry_digest(component: &[u8], payload: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(component);
    h.update(payload);
    h.finalize().into()
}

/// The payload of a cache file whose header and digest check out and that
/// was compiled from the component whose sha256 is `component`.
fn verified_payload<'a>(file: &'a [u8], component: &[u8; 32]) -> Option<&'a [u8]> {
    let rest = file.strip_prefix(MAGIC.as_slice())?;
    let (named, rest) = rest.split_at_checked(32)?;
    let (digest, payload) = rest.split_at_checked(32)?;
    (named == component.as_slice() && digest == entry_digest(named, payload).as_slice())
        .then_some(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flipped_byte_fails_the_integrity_check() {
        let component = sha2_bytes(b"component");
        let payload = b"compiled code".to_vec();
        let mut file = encode_entry(&component, &payload);
        assert_eq!(
            verified_payload(&file, &component),
            Some(payload.as_slice())
        );
        let last = file.len() - 1;
        file[last] ^= 1;
        assert_eq!(verified_payload(&file, &component), None);
        assert_eq!(verified_payload(b"short", &component), None);
    }

    #[test]
    fn another_components_entry_is_refused() {
        // The attack: copy the (valid) entry of component B over the entry
        // of the pinned component A. B's entry names B.
        let a = sha2_bytes(b"pinned component");
        let b = sha2_bytes(b"other component");
        let file_of_b = encode_entry(&b, b"code of b");
        assert_eq!(verified_payload(&file_of_b, &a), None);
        // Rewriting the name without the digest does not help either.
        let mut forged = file_of_b.clone();
        forged[MAGIC.len()..MAGIC.len() + 32].copy_from_slice(&a);
        assert_eq!(verified_payload(&forged, &a), None);
    }

    #[test]
    fn a_directory_open_to_others_is_not_used() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(CompileCache::open(&open).is_none());
        let private = dir.path().join("private");
        assert!(CompileCache::open(&private).is_some());
        let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
