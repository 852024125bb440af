//! `buurtnet backup FILE` and `buurtnet restore FILE`: a node's data in one file, made while
//! it serves, and brought back on a fresh machine.
//!
//! The file is a gzipped tar archive:
//! - `manifest.json` says what it holds: the format, the version that made it, when, the
//!   domain and the kind of database;
//! - `buurtnet.db` is a SQLite copy made with `VACUUM INTO`, consistent while the node
//!   writes, and checked with SQLite's integrity check before it is packed;
//!   or `buurtnet.pgdump` is a `pg_dump` in its custom format;
//! - `media/` holds the uploaded files.
//!
//! The keys of the actors are rows of the database, so they travel with it.
//! A restore goes only into a fresh node: no SQLite file yet, or a PostgreSQL database
//! without tables. A restored node hands out no id twice, because status ids follow the
//! clock (`store::posts::next_status_id`).
//! The archive is written to `FILE.partial` first and renamed when whole, so a failed backup
//! never leaves a file that looks complete.

use crate::config::Config;
use anyhow::{Context as _, Result, bail};
use buurtnet_domain::store::Pool;
use buurtnet_domain::store::backup as db;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};

const FORMAT: u32 = 1;
const SQLITE_FILE: &str = "buurtnet.db";
const POSTGRES_FILE: &str = "buurtnet.pgdump";

/// What the archive holds, written first in it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub version: String,
    pub made_at: String,
    pub domain: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// What a backup or restore carried, for the person running it.
#[derive(Debug)]
pub struct Carried {
    pub manifest: Manifest,
    pub local_actors: i64,
    pub posts: i64,
    pub coalition_operations: i64,
    pub media_files: usize,
}

impl std::fmt::Display for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} database, made {} by Buurtnet {}): {} accounts and initiatives, {} posts, {} coalition operations, {} media files",
            self.manifest.domain,
            self.manifest.database,
            self.manifest.made_at,
            self.manifest.version,
            self.local_actors,
            self.posts,
            self.coalition_operations,
            self.media_files
        )
    }
}

/// Writes the node's data to `file`, while the node may be serving.
pub async fn backup(config: &Config, file: &Path) -> Result<Carried> {
    let store = crate::open_store(config).await?;
    let work = tempfile::tempdir_in(parent_of(file)).context("a working directory beside the backup file")?;
    let (database, name) = match store.pool() {
        Pool::Sqlite(_) => {
            let copy = work.path().join(SQLITE_FILE);
            db::sqlite_snapshot(&store, &copy).await?;
            let verdict = db::sqlite_integrity(&copy).await?;
            if verdict != "ok" {
                bail!("the copy of the database does not pass SQLite's integrity check: {verdict}");
            }
            ("sqlite", SQLITE_FILE)
        }
        Pool::Postgres(_) => {
            pg_tool("pg_dump", &["--format=custom", "--no-owner", "--file"], &work.path().join(POSTGRES_FILE), &config.database_url())?;
            ("postgres", POSTGRES_FILE)
        }
    };
    let (local_actors, posts, coalition_operations) = db::contents(&store).await?;
    store.close().await;
    let manifest = Manifest {
        format: FORMAT,
        version: crate::VERSION.into(),
        made_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        domain: config.domain.clone(),
        database: database.into(),
    };
    let media = config.data_dir.join("media");
    let media_files = pack(file, &manifest, &work.path().join(name), name, &media)?;
    Ok(Carried { manifest, local_actors, posts, coalition_operations, media_files })
}

/// Brings a backup back into this config's fresh data directory and database.
pub async fn restore(config: &Config, file: &Path) -> Result<Carried> {
    let url = config.database_url();
    let postgres = url.starts_with("postgres");
    ensure_fresh(config, &url, postgres).await?;
    let work = tempfile::tempdir().context("a working directory")?;
    let manifest = unpack(file, work.path())?;
    if manifest.format > FORMAT {
        bail!("this backup was made by a newer Buurtnet ({}); restore it with that version or newer", manifest.version);
    }
    if manifest.domain != config.domain {
        tracing::warn!(backup = %manifest.domain, config = %config.domain, "the backup was made for another domain; the node keeps the ids of the old one");
    }
    match (manifest.database.as_str(), postgres) {
        ("sqlite", false) => {
            let target = sqlite_path(&url)?;
            std::fs::create_dir_all(parent_of(&target))?;
            std::fs::copy(work.path().join(SQLITE_FILE), &target).with_context(|| format!("writing {}", target.display()))?;
        }
        ("postgres", true) => {
            pg_tool("pg_restore", &["--no-owner", "--exit-on-error", "--dbname", &url], &work.path().join(POSTGRES_FILE), "")?
        }
        (made, _) => bail!(
            "this backup holds a {made} database and the config points at {}; restore it into the same kind",
            if postgres { "PostgreSQL" } else { "SQLite" }
        ),
    }
    let media_files = move_media(&work.path().join("media"), &config.data_dir.join("media"))?;
    let store = crate::open_store(config).await.context("opening the restored database")?;
    let (local_actors, posts, coalition_operations) = db::contents(&store).await?;
    store.close().await;
    Ok(Carried { manifest, local_actors, posts, coalition_operations, media_files })
}

async fn ensure_fresh(config: &Config, url: &str, postgres: bool) -> Result<()> {
    if postgres {
        if !db::postgres_is_empty(url).await? {
            bail!("the database in database_url already has tables: restore into a new, empty database");
        }
    } else if sqlite_path(url)?.exists() {
        bail!("{} already holds a node: restore into a fresh data directory (move the old one aside first)", sqlite_path(url)?.display());
    }
    let media = config.data_dir.join("media");
    if media.read_dir().is_ok_and(|mut entries| entries.next().is_some()) {
        bail!("{} already holds files: restore into a fresh data directory", media.display());
    }
    Ok(())
}

fn sqlite_path(url: &str) -> Result<PathBuf> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        bail!("database_url {url} names no file to restore into");
    }
    Ok(PathBuf::from(path))
}

fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Writes the archive to `file` by way of `file.partial`; returns how many media files it holds.
fn pack(file: &Path, manifest: &Manifest, database: &Path, name: &str, media: &Path) -> Result<usize> {
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let out = File::create(&partial).with_context(|| format!("cannot write {}", partial.display()))?;
    let mut archive = tar::Builder::new(flate2::write::GzEncoder::new(out, flate2::Compression::default()));
    let manifest = serde_json::to_vec_pretty(manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(manifest.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(chrono::Utc::now().timestamp().max(0) as u64);
    header.set_cksum();
    archive.append_data(&mut header, "manifest.json", manifest.as_slice())?;
    archive.append_path_with_name(database, name)?;
    let media_files = if media.is_dir() {
        archive.append_dir_all("media", media)?;
        files_in(media)?
    } else {
        0
    };
    archive.into_inner()?.finish()?.sync_all()?;
    std::fs::rename(&partial, file)?;
    Ok(media_files)
}

/// Unpacks the archive into `into` and reads its manifest. `tar` refuses entries that would
/// land outside `into`.
fn unpack(file: &Path, into: &Path) -> Result<Manifest> {
    let input = File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    tar::Archive::new(flate2::read::GzDecoder::new(input))
        .unpack(into)
        .with_context(|| format!("{} is not a Buurtnet backup", file.display()))?;
    let manifest = std::fs::read(into.join("manifest.json"))
        .with_context(|| format!("{} has no manifest.json: not a Buurtnet backup", file.display()))?;
    Ok(serde_json::from_slice(&manifest)?)
}

/// Copies the tree `from` into `to`; returns how many files.
fn move_media(from: &Path, to: &Path) -> Result<usize> {
    let mut copied = 0;
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                copied += move_media(&entry.path(), &to.join(entry.file_name()))?;
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name()))?;
                copied += 1;
            }
        }
    }
    Ok(copied)
}

fn files_in(dir: &Path) -> Result<usize> {
    let mut files = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        files += if entry.file_type()?.is_dir() { files_in(&entry.path())? } else { 1 };
    }
    Ok(files)
}

/// Runs `pg_dump` or `pg_restore` (from PATH) on `file`; `url` is the database for
/// `pg_dump` (empty for `pg_restore`, whose `--dbname` is among `args`).
fn pg_tool(tool: &str, args: &[&str], file: &Path, url: &str) -> Result<()> {
    let mut command = std::process::Command::new(tool);
    command.args(args).arg(file);
    if !url.is_empty() {
        command.arg(url);
    }
    let output =
        command.output().with_context(|| format!("{tool} is needed for a PostgreSQL node (the server's major version, on PATH)"))?;
    if !output.status.success() {
        bail!("{tool} failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}
