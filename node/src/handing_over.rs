//! `buurtnet initiative export SLUG FILE` and `buurtnet initiative import FILE`: one
//! initiative leaves this node in a file and is taken in on another (issue 17). What goes in
//! the file and how it is checked is the domain's (`ops::handing_over`); this module reads and
//! writes the file. The file is written as `FILE.partial` and renamed when whole, and read
//! only up to `format::MAX_BYTES`. Only its owner may read it (password hashes, e-mail
//! addresses).

use crate::config::Config;
use anyhow::{Context as _, Result, bail};
use buurtnet_domain::ops::handing_over::export::Exported;
use buurtnet_domain::ops::handing_over::format;
use buurtnet_domain::ops::handing_over::import::Imported;
use buurtnet_domain::ops::handing_over::{export, import};
use buurtnet_federation::keys;
use std::io::Read as _;
use std::path::Path;

/// Writes the initiative `slug` to `file`.
pub async fn export_initiative(config: &Config, slug: &str, file: &Path) -> Result<Exported> {
    let store = crate::open_store(config).await?;
    let (handover, exported) =
        export::export(&store, slug, &config.domain, crate::VERSION).await.with_context(|| format!("exporting {slug}"))?;
    store.close().await;
    let bytes = format::write(&handover)?;
    let mut partial = file.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    write_private(&partial, &bytes).with_context(|| format!("writing {}", partial.display()))?;
    std::fs::rename(&partial, file).with_context(|| format!("renaming {} to {}", partial.display(), file.display()))?;
    Ok(exported)
}

/// Takes in the initiative in `file` on this node.
pub async fn import_initiative(config: &Config, file: &Path) -> Result<Imported> {
    let handover = format::parse(&read_bounded(file)?)?;
    let store = crate::open_store(config).await?;
    let urls = crate::local_urls(config)?;
    crate::ensure_instance(&store, &urls).await?;
    let imported = import::import(&store, &urls, &handover, keys::generate).await;
    store.close().await;
    Ok(imported?)
}

/// Writes a file only its owner can read: it holds password hashes and e-mail addresses.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, bytes)
}

fn read_bounded(file: &Path) -> Result<Vec<u8>> {
    let opened = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let mut bytes = Vec::new();
    opened.take(format::MAX_BYTES + 1).read_to_end(&mut bytes).with_context(|| format!("reading {}", file.display()))?;
    if bytes.len() as u64 > format::MAX_BYTES {
        bail!("{} is larger than {} bytes: this is not an initiative's handover file", file.display(), format::MAX_BYTES);
    }
    Ok(bytes)
}
