//! A node as its own `buurtnet serve` process (the binary built once), with its data and
//! config in a temporary directory, for what only a real process shows: signals, crashes,
//! restarts, several processes of one node on one database (`another_process`).

use crate::harness::eventually;
use crate::peers::free_port;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use tokio::process::{Child, Command};

pub struct NodeProcess {
    binary: PathBuf,
    /// Config and data; shared by the processes of one node.
    dir: Arc<tempfile::TempDir>,
    pub port: u16,
    /// The node's domain: `localhost:{port}`, or the proxy's address in front of several.
    domain: String,
}

impl NodeProcess {
    /// A node on a free port with `config` as its `buurtnet.toml` (development mode, SQLite).
    pub fn new(config: &str) -> Result<NodeProcess> {
        NodeProcess::at(tempfile::tempdir()?, config)
    }

    /// A node like [`Self::new`] whose data directory is made inside `parent` (a small disk).
    pub fn new_in(config: &str, parent: &Path) -> Result<NodeProcess> {
        NodeProcess::at(tempfile::tempdir_in(parent)?, config)
    }

    fn at(dir: tempfile::TempDir, config: &str) -> Result<NodeProcess> {
        let port = free_port()?;
        let process =
            NodeProcess { binary: crate::harness::buurtnet_binary()?, dir: Arc::new(dir), port, domain: format!("localhost:{port}") };
        std::fs::write(process.dir.path().join("buurtnet.toml"), config)?;
        Ok(process)
    }

    /// A node at `domain` (the address of a proxy in front of it) with `config`, which
    /// names a shared `database_url`: start [`Self::another_process`] of it beside it.
    pub fn behind(domain: &str, config: &str) -> Result<NodeProcess> {
        Ok(NodeProcess { domain: domain.to_string(), ..NodeProcess::new(config)? })
    }

    /// One more process of the same node: the same domain, config and data directory (media
    /// must be shared too), its own port.
    pub fn another_process(&self) -> Result<NodeProcess> {
        Ok(NodeProcess { binary: self.binary.clone(), dir: self.dir.clone(), port: free_port()?, domain: self.domain.clone() })
    }

    /// The same node (domain, port, config) on a fresh machine: an empty data directory.
    pub fn on_a_fresh_machine(&self) -> Result<NodeProcess> {
        let fresh =
            NodeProcess { binary: self.binary.clone(), dir: Arc::new(tempfile::tempdir()?), port: self.port, domain: self.domain.clone() };
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
            .env("BUURTNET_DOMAIN", &self.domain)
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
