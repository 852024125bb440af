//! A throwaway PostgreSQL cluster for tests: one per test process, started on first use with
//! the machine's server binaries (as the `postgres` user, since they refuse to run as root),
//! listening only on a Unix socket in a temporary directory. Each test gets its own database.
//! `BUURTNET_TEST_POSTGRES_URL` points the tests at an existing server instead.

use anyhow::{Context as _, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub struct PgCluster {
    /// Directory holding the data and the socket; removed when the process exits cleanly.
    dir: Option<PathBuf>,
    port: u16,
    /// `postgres://...` of an external server, when one is given.
    external: Option<String>,
}

fn as_postgres(program: &str, args: &[&str]) -> Result<Output> {
    let output = Command::new("runuser")
        .args(["-u", "postgres", "--", program])
        .args(args)
        .output()
        .with_context(|| format!("running {program} as postgres"))?;
    if !output.status.success() {
        bail!("{program} failed: {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    }
    Ok(output)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl PgCluster {
    /// Starts a new cluster (initdb, then pg_ctl start), or uses `BUURTNET_TEST_POSTGRES_URL`.
    /// It does not write to disk durably: fast for tests, and a crash of the machine loses it.
    pub fn start() -> Result<PgCluster> {
        PgCluster::start_with("-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    }

    /// A cluster for benchmarks, durable the way the node's SQLite is (WAL, `synchronous =
    /// NORMAL`): a power cut may lose the last commits but never corrupts the database.
    pub fn start_durable() -> Result<PgCluster> {
        PgCluster::start_with("-c synchronous_commit=off")
    }

    fn start_with(settings: &str) -> Result<PgCluster> {
        if let Ok(url) = std::env::var("BUURTNET_TEST_POSTGRES_URL") {
            return Ok(PgCluster { dir: None, port: 0, external: Some(url) });
        }
        let dir = tempfile::Builder::new().prefix("buurtnet-pg-").tempdir()?.keep();
        Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().context("chown to postgres")?;
        let data = dir.join("data");
        as_postgres("initdb", &["-D", path(&data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])?;
        let port = free_port()?;
        let options = format!("-k {} -p {port} -c listen_addresses='' {settings} -c max_connections=200", dir.display());
        as_postgres("pg_ctl", &["-D", path(&data), "-o", &options, "-l", path(&dir.join("log")), "-w", "start"])?;
        Ok(PgCluster { dir: Some(dir), port, external: None })
    }

    /// Makes an empty database and gives its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        if let Some(url) = &self.external {
            let mut admin = url::Url::parse(url)?;
            return create_on_external(&mut admin, name);
        }
        let dir = self.dir.as_ref().expect("own cluster");
        as_postgres("createdb", &["-h", path(dir), "-p", &self.port.to_string(), "-U", "postgres", name])?;
        Ok(format!("postgres://postgres@localhost/{name}?host={}&port={}", dir.display(), self.port))
    }

    fn stop(&self) {
        if let Some(dir) = &self.dir {
            let _ = as_postgres("pg_ctl", &["-D", path(&dir.join("data")), "-m", "immediate", "stop"]);
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn create_on_external(admin: &mut url::Url, name: &str) -> Result<String> {
    let output = Command::new("psql").arg(admin.as_str()).args(["-c", &format!("CREATE DATABASE {name}")]).output()?;
    if !output.status.success() {
        bail!("creating database {name}: {}", String::from_utf8_lossy(&output.stderr));
    }
    admin.set_path(&format!("/{name}"));
    Ok(admin.to_string())
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

static SHARED: OnceLock<PgCluster> = OnceLock::new();

/// The cluster of this test process, started on first use and stopped when the process exits.
pub fn shared() -> &'static PgCluster {
    static WATCHER: std::sync::Once = std::sync::Once::new();
    let cluster = SHARED.get_or_init(|| {
        PgCluster::start().unwrap_or_else(|e| panic!("cannot start a PostgreSQL test cluster (initdb, pg_ctl and runuser are needed; scripts/install-test-deps.sh installs them): {e:#}"))
    });
    WATCHER.call_once(stop_at_exit);
    cluster
}

/// Statics are never dropped, so the shared cluster is stopped by a watcher process that waits
/// for this test process to end.
fn stop_at_exit() {
    let Some(cluster) = SHARED.get() else { return };
    let Some(dir) = &cluster.dir else { return };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; runuser -u postgres -- pg_ctl -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        data = dir.join("data").display(),
        dir = dir.display()
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
