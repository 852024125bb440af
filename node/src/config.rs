//! Settings: `buurtnet.toml` plus `BUURTNET_*` environment overrides. Strict: unknown keys
//! are errors, so a typo never silently falls back to a default.

use anyhow::{Context as _, Result, bail};
use buurtnet_federation::FederationSettings;
use buurtnet_web::WebSettings;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Public host of the node, with port in development (`localhost:8081`).
    pub domain: String,
    /// Address and port to listen on.
    pub listen: String,
    /// Where the SQLite database (and later media) live.
    pub data_dir: PathBuf,
    /// `sqlite://...` (default: a file in `data_dir`) or `postgres://...`.
    pub database_url: Option<String>,
    /// Development mode: `http://` URLs and peers on localhost or private addresses.
    pub dev: bool,
    /// `text` or `json` logs.
    pub log_format: String,
    pub federation: FederationSettings,
    pub web: WebSettings,
    pub server: crate::server::ServerSettings,
    /// E-mail; without it the node sends none.
    pub mail: Option<crate::mail::MailSettings>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            domain: "localhost:8080".into(),
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            dev: false,
            log_format: "text".into(),
            federation: FederationSettings::default(),
            web: WebSettings::default(),
            server: crate::server::ServerSettings::default(),
            mail: None,
        }
    }
}

impl Config {
    /// Reads the file (if given, or `buurtnet.toml` when it exists) and applies the
    /// environment on top.
    pub fn load(file: Option<&Path>) -> Result<Config> {
        let path = file.map(Path::to_path_buf).or_else(|| std::env::var_os("BUURTNET_CONFIG").map(PathBuf::from)).or_else(|| {
            let default = PathBuf::from("buurtnet.toml");
            default.exists().then_some(default)
        });
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
                toml::from_str(&text).with_context(|| format!("{} is not a valid Buurtnet config", path.display()))?
            }
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        config.check()?;
        Ok(config)
    }

    /// Applies `BUURTNET_*` overrides from `env`.
    pub fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<()> {
        if let Some(v) = env("BUURTNET_DOMAIN") {
            self.domain = v;
        }
        if let Some(v) = env("BUURTNET_LISTEN") {
            self.listen = v;
        }
        if let Some(v) = env("BUURTNET_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = env("BUURTNET_DATABASE_URL") {
            self.database_url = Some(v);
        }
        if let Some(v) = env("BUURTNET_DEV") {
            self.dev = parse_flag("BUURTNET_DEV", &v)?;
        }
        if let Some(v) = env("BUURTNET_AUTHORIZED_FETCH") {
            self.federation.authorized_fetch = parse_flag("BUURTNET_AUTHORIZED_FETCH", &v)?;
        }
        if let Some(v) = env("BUURTNET_LOG_FORMAT") {
            self.log_format = v;
        }
        if let (Some(v), Some(mail)) = (env("BUURTNET_MAIL_PASSWORD"), self.mail.as_mut()) {
            mail.password = Some(v);
        }
        Ok(())
    }

    /// Refuses combinations that would be unsafe or cannot work.
    pub fn check(&self) -> Result<()> {
        if self.domain.is_empty() || self.domain.contains('/') {
            bail!("domain must be a host name, with a port in development (for example localhost:8081), not {:?}", self.domain);
        }
        let host = self.domain.split(':').next().unwrap_or_default();
        if host.parse::<std::net::IpAddr>().is_ok() {
            bail!("domain must be a name, not an IP address: use localhost:PORT for local nodes");
        }
        let local_name = host == "localhost" || [".localhost", ".local", ".test", ".internal", ".lan"].iter().any(|s| host.ends_with(s));
        if self.dev && !local_name {
            bail!("BUURTNET_DEV=1 is for local networks only and is refused for the public domain {host:?}");
        }
        if self.federation.delivery.give_up_after_hours < 48 && !self.dev {
            bail!("federation.delivery.give_up_after_hours must be at least 48 outside development mode");
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            bail!("log_format must be text or json");
        }
        if let Some(mail) = &self.mail {
            mail.check(self.dev)?;
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("buurtnet.db").display()))
    }

    /// The settings as TOML, the mail password left out.
    pub fn to_toml(&self) -> String {
        let mut shown = self.clone();
        if let Some(password) = shown.mail.as_mut().and_then(|m| m.password.as_mut()) {
            *password = "***".into();
        }
        toml::to_string_pretty(&shown).expect("config serialises")
    }

    /// The web settings, with whether the node sends e-mail.
    pub fn web_settings(&self) -> buurtnet_web::WebSettings {
        buurtnet_web::WebSettings { mail: self.mail.as_ref().map(crate::mail::MailSettings::status), ..self.web.clone() }
    }
}

fn parse_flag(name: &str, value: &str) -> Result<bool> {
    match value.trim().to_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        other => bail!("{name} must be 1 or 0, not {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file_and_is_checked() {
        let mut config: Config = toml::from_str("domain = \"buurt.example\"\n[federation]\nauthorized_fetch = true\n").unwrap();
        assert!(config.federation.authorized_fetch);
        config.apply_env(|n| (n == "BUURTNET_DOMAIN").then(|| "localhost:9000".to_string())).unwrap();
        assert_eq!(config.domain, "localhost:9000");
        assert!(config.apply_env(|n| (n == "BUURTNET_DEV").then(|| "misschien".to_string())).is_err());
        assert!(toml::from_str::<Config>("domian = \"typo\"").is_err(), "unknown keys are refused");
    }

    #[test]
    fn mail_settings_are_checked_and_the_password_never_shown() {
        let text =
            "domain = \"buurt.example\"\n[mail]\nhost = \"smtp.example.nl\"\nfrom = \"Buurt <buurt@example.nl>\"\nusername = \"buurt\"\n";
        let mut config: Config = toml::from_str(text).unwrap();
        config.apply_env(|n| (n == "BUURTNET_MAIL_PASSWORD").then(|| "geheim".to_string())).unwrap();
        assert!(config.check().is_ok());
        assert!(!config.to_toml().contains("geheim") && !format!("{config:?}").contains("geheim"));
        assert!(config.web_settings().mail.is_some());
        config.mail.as_mut().unwrap().tls = crate::mail::TlsMode::None;
        assert!(config.check().is_err(), "no plain SMTP to another machine");
        config.mail.as_mut().unwrap().from = "geen adres".into();
        assert!(config.check().is_err());
        assert!(Config::default().web_settings().mail.is_none(), "no [mail]: no e-mail");
    }

    #[test]
    fn dev_mode_is_refused_for_public_domains() {
        let config = Config { domain: "buurt.example".into(), dev: true, ..Config::default() };
        assert!(config.check().is_err());
        let config = Config { domain: "localhost:8081".into(), dev: true, ..Config::default() };
        assert!(config.check().is_ok());
        let config = Config { domain: "127.0.0.1:8081".into(), ..Config::default() };
        assert!(config.check().is_err());
    }
}
