//! File writing that never leaves a partial file behind.
//!
//! A file is written to a temporary file in the same directory, created
//! with its final permissions, flushed to disk, and then renamed over (or,
//! for [`write_new`], linked to) its final name. Readers, and a crash, see
//! either no file (or the old one) or the whole new file, never a partial
//! one, and a secret file is never readable by others, not even for a moment.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically, replacing any existing file. On
/// Unix the file gets `mode` (less the process umask).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    write(path, bytes, mode, Replace::Yes)
}

/// Like [`write_atomic`], but fails with [`io::ErrorKind::AlreadyExists`]
/// rather than replace an existing file, even one that appears between a
/// check and the write.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    write(path, bytes, mode, Replace::No)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Replace {
    Yes,
    No,
}

fn write(path: &Path, bytes: &[u8], mode: u32, replace: Replace) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the path does not name a file")
    })?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(file_name);
    prefix.push(".");

    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    set_mode(&mut builder, mode);
    // On failure the temporary file is removed when `temp` is dropped.
    let mut temp = builder.tempfile_in(dir)?;
    write_contents(&mut temp, bytes)?;
    temp.as_file().sync_all()?;

    let persisted = match replace {
        Replace::Yes => temp.persist(path),
        Replace::No => temp.persist_noclobber(path),
    };
    persisted.map_err(|failure| failure.error)?;
    sync_dir(dir);
    Ok(())
}

/// Test hook, read from the environment: `ASSAY_TEST_SLOW_WRITE_MS=<ms>`
/// writes the first half, flushes it and pauses that long before the rest,
/// so a crash-safety test can kill the process while a file is provably
/// half-written. Unset (always, outside that test) it costs one lookup.
const SLOW_WRITE_ENV: &str = "ASSAY_TEST_SLOW_WRITE_MS";

fn write_contents(file: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    let pause = std::env::var(SLOW_WRITE_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    match pause {
        Some(ms) => {
            let (first, rest) = bytes.split_at(bytes.len() / 2);
            file.write_all(first)?;
            file.flush()?;
            std::thread::sleep(std::time::Duration::from_millis(ms));
            file.write_all(rest)
        }
        None => file.write_all(bytes),
    }
}

#[cfg(unix)]
fn set_mode(builder: &mut tempfile::Builder<'_, '_>, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_builder: &mut tempfile::Builder<'_, '_>, _mode: u32) {}

/// Flushes the directory entry of the rename to disk. The file is in place
/// already, so a failure here (some file systems refuse to sync a
/// directory) is logged rather than reported as a failed write.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(error) = File::open(dir).and_then(|handle| handle.sync_all()) {
        tracing::warn!(dir = %dir.display(), %error, "cannot sync directory after rename");
    }
    #[cfg(not(unix))]
    let _ = (dir, File::open);
}
