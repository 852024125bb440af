//! The node's own settings that administrators change on the pages: its name and
//! description (shown on the front page and to Mastodon apps), its rules, and how people
//! sign up (overriding the config file's default).

use crate::error::{DomainError, Result, Say, Violation};
use crate::model::Actor;
use crate::store::{self, Store};

pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_DESCRIPTION_CHARS: usize = 500;
pub const MAX_RULES: usize = 20;
pub const MAX_RULE_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeSettings {
    pub name: String,
    pub description: String,
    pub rules: Vec<String>,
    /// `invitation`, `approval` or `closed`; empty: as the config file says.
    pub registrations: String,
}

/// The settings in force (empty fields where nothing was set).
pub async fn load(store: &Store) -> Result<NodeSettings> {
    let mut settings = NodeSettings::default();
    for (key, value) in store::settings::all(&mut store.conn().await?).await? {
        match key.as_str() {
            "name" => settings.name = value,
            "description" => settings.description = value,
            "rules" => settings.rules = value.lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect(),
            "registrations" => settings.registrations = value,
            _ => {}
        }
    }
    Ok(settings)
}

fn check(settings: &NodeSettings) -> Result<()> {
    let mut problems = Vec::new();
    let mut problem = |field: &'static str, message: Say| problems.push(Violation { field, message: message.into() });
    if settings.name.trim().chars().count() > MAX_NAME_CHARS {
        problem("name", Say::AtMostChars(MAX_NAME_CHARS));
    }
    if settings.description.trim().chars().count() > MAX_DESCRIPTION_CHARS {
        problem("description", Say::AtMostChars(MAX_DESCRIPTION_CHARS));
    }
    if settings.rules.len() > MAX_RULES || settings.rules.iter().any(|r| r.chars().count() > MAX_RULE_CHARS) {
        problem("rules", Say::RulesLimit(MAX_RULES, MAX_RULE_CHARS));
    }
    if !matches!(settings.registrations.as_str(), "" | "invitation" | "approval" | "closed") {
        problem("registrations", Say::ChooseSignUpWay);
    }
    if problems.is_empty() { Ok(()) } else { Err(DomainError::Invalid(problems)) }
}

/// An administrator saves the settings.
pub async fn save(store: &Store, admin: &Actor, settings: &NodeSettings) -> Result<()> {
    if !store::actors::is_admin(&mut store.conn().await?, admin.id).await? {
        return Err(DomainError::Forbidden);
    }
    let rules: Vec<String> = settings.rules.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    let settings = NodeSettings { rules, ..settings.clone() };
    check(&settings)?;
    let mut tx = store.begin().await?;
    store::settings::set(&mut tx, "name", settings.name.trim()).await?;
    store::settings::set(&mut tx, "description", settings.description.trim()).await?;
    store::settings::set(&mut tx, "rules", &settings.rules.join("\n")).await?;
    store::settings::set(&mut tx, "registrations", &settings.registrations).await?;
    tx.commit().await?;
    Ok(())
}
