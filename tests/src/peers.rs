//! What the tests with third-party peers share: where the pinned peers are installed
//! (`tests/interop/`, by `scripts/install-interop-deps.sh`), whether they are, and free ports.

use anyhow::Result;
use std::path::PathBuf;

/// `tests/interop/`: the peers' scripts, lock files, `.venv` and `node_modules`.
pub fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

/// The Python of `tests/interop/.venv` (bovine, bovine-herd, ...).
pub fn interop_python() -> PathBuf {
    interop_dir().join(".venv/bin/python")
}

/// Whether a peer is installed (`marker` exists). In CI a missing peer fails the test;
/// elsewhere the test is skipped, loudly.
pub fn peers_installed(what: &str, marker: PathBuf) -> Result<bool> {
    if marker.exists() {
        return Ok(true);
    }
    if std::env::var_os("CI").is_some() {
        anyhow::bail!("{} is missing: scripts/install-interop-deps.sh must run before the tests in CI", marker.display());
    }
    eprintln!("SKIPPED INTEROP: {what} is not installed ({} is missing); run scripts/install-interop-deps.sh", marker.display());
    Ok(false)
}

/// A port free on 127.0.0.1 when asked (another process may take it before it is bound).
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
