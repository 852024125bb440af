//! A node as its own `buurtnet serve` process (the binary built once), with its data and
//! config in a temporary directory, for what only a real process shows: signals, crashes,
//! restarts.

use crate::harness::eventually;
use crate::peers::free_port;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::process::{Child, Command};

pub struct NodeProcess {
    binary: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
}

impl NodeProcess {
    /// A node on a free port with `config` as its `buurtnet.toml` (development mode, SQLite).
    pub fn new(config: &str) -> Result<NodeProcess> {
        let process = NodeProcess { binary: crate::harness::buurtnet_binary()?, dir: tempfile::tempdir()?, port: free_port()? };
        std::fs::write(process.dir.path().join("buurtnet.toml"), config)?;
        Ok(process)
    }

    /// A node like [`Self::new`] whose data directory is made inside `parent` (a small disk).
    pub fn new_in(config: &str, parent: &Path) -> Result<NodeProcess> {
        let process = NodeProcess { binary: crate::harness::buurtnet_binary()?, dir: tempfile::tempdir_in(parent)?, port: free_port()? };
        std::fs::write(process.dir.path().join("buurtnet.toml"), config)?;
        Ok(process)
    }

    /// The same node (domain, port, config) on a fresh machine: an empty data directory.
    pub fn on_a_fresh_machine(&self) -> Result<NodeProcess> {
        let fresh = NodeProcess { binary: self.binary.clone(), dir: tempfile::tempdir()?, port: self.port };
        std::fs::copy(self.dir.path().join("buurtnet.toml"), fresh.dir.path().join("buurtnet.toml"))?;
        Ok(fresh)
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("buurtnet.db").display())
    }

    pub fn base_url(&self) -> String {
        format!("http://localhost:{}", self.port)
    }

    /// The command with the node's settings (log level `warn` unless `BUURTNET_LOG` is set on it).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .args(args)
            .env("BUURTNET_CONFIG", self.dir.path().join("buurtnet.toml"))
            .env("BUURTNET_DOMAIN", format!("localhost:{}", self.port))
            .env("BUURTNET_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("BUURTNET_DATA_DIR", self.dir.path())
            .env("BUURTNET_DEV", "1")
            .env("BUURTNET_LOG", "warn")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        command
    }

    /// Adds a member with a password, by the CLI.
    pub async fn add_member(&self, name: &str) -> Result<()> {
        let added = self.command(&["member", "add", name]).env("BUURTNET_PASSWORD", crate::harness::PASSWORD).output().await?;
        anyhow::ensure!(added.status.success(), "member add failed: {}", String::from_utf8_lossy(&added.stderr));
        Ok(())
    }

    /// Runs `serve` until it answers `/health`.
    pub async fn serve(&self) -> Result<Child> {
        self.serve_with(self.command(&["serve"])).await
    }

    /// Runs `command` (a `serve` from [`Self::command`], changed as needed) until it answers.
    pub async fn serve_with(&self, mut command: Command) -> Result<Child> {
        let child = command.stdout(Stdio::null()).spawn()?;
        let health = format!("{}/health", self.base_url());
        eventually("node process answers", || async {
            Ok(reqwest::get(&health).await.ok().filter(|r| r.status().is_success()).map(|_| ()))
        })
        .await?;
        Ok(child)
    }
}

/// Sends a signal (`TERM`, `INT`) to a process, as an init system or Ctrl-C would.
pub fn signal(child: &Child, name: &str) -> Result<()> {
    let pid = child.id().ok_or_else(|| anyhow::anyhow!("the process has ended"))?;
    let status = std::process::Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).status()?;
    anyhow::ensure!(status.success(), "kill -{name} {pid} failed");
    Ok(())
}
