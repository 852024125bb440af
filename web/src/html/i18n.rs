//! Translations with Project Fluent (`fluent-bundle`): one `.ftl` file per language in
//! `web/locales/`, built into the binary. Dutch is the default; English when the visitor
//! chose it (a cookie) or, before choosing, when the browser puts English first.
//! A key missing from a language is a bug: the unit tests compare the files and the
//! templates' keys, and at run time the key itself shows (and a warning is logged).

use axum::http::{HeaderMap, header};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;

/// The cookie that keeps a visitor's choice of language.
pub const LANG_COOKIE: &str = "bn_taal";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The visitor's choice (cookie), else the browser's first preference we have, else Dutch.
    pub fn of_request(headers: &HeaderMap) -> Lang {
        if let Some(chosen) = super::visitor::cookie(headers, LANG_COOKIE).and_then(|c| Lang::parse(&c)) {
            return chosen;
        }
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        accept
            .split(',')
            .filter_map(|part| part.split(';').next())
            .filter_map(|tag| Lang::parse(tag.trim().split('-').next().unwrap_or("")))
            .next()
            .unwrap_or(Lang::Nl)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Nl => include_str!("../../locales/nl.ftl"),
            Lang::En => include_str!("../../locales/en.ftl"),
        }
    }
}

struct Bundles {
    nl: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("language code");
    let resource =
        FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(_, errors)| panic!("{}.ftl: {errors:?}", lang.code()));
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // The text goes into HTML, where Unicode isolation marks would only get in the way.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).unwrap_or_else(|errors| panic!("{}.ftl: {errors:?}", lang.code()));
    bundle
}

/// The translations are data built into the program, parsed once.
static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles { nl: bundle(Lang::Nl), en: bundle(Lang::En) });

/// Translates for one visitor; templates call `tr.t("nav-home")`.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    fn bundle(&self) -> &'static FluentBundle<FluentResource> {
        match self.lang {
            Lang::Nl => &BUNDLES.nl,
            Lang::En => &BUNDLES.en,
        }
    }

    /// The text of `key`, or `None` when no such message exists.
    pub fn lookup(&self, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = self.bundle();
        let pattern = bundle.get_message(key)?.value()?;
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation problem");
        }
        Some(text)
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        self.lookup(key, None).unwrap_or_else(|| {
            tracing::warn!(key, lang = self.lang.code(), "missing translation");
            key.to_string()
        })
    }

    /// The text of `key` with one variable.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_string(), FluentValue::from(value.to_string()));
        self.lookup(key, Some(&args)).unwrap_or_else(|| key.to_string())
    }

    /// The text of `key` with several variables.
    pub fn with(&self, key: &str, values: &[(&str, String)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set(name.to_string(), FluentValue::from(value.clone()));
        }
        self.lookup(key, Some(&args)).unwrap_or_else(|| key.to_string())
    }

    /// The text of `key` with a number (for plurals).
    pub fn count(&self, key: &str, n: impl std::borrow::Borrow<i64>) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(*n.borrow()));
        self.lookup(key, Some(&args)).unwrap_or_else(|| key.to_string())
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(source: &str) -> BTreeSet<String> {
        let resource = FluentResource::try_new(source.to_string()).expect("parses");
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_message() {
        let nl = keys(Lang::Nl.source());
        let en = keys(Lang::En.source());
        let only_nl: Vec<_> = nl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&nl).collect();
        assert!(only_nl.is_empty() && only_en.is_empty(), "only in nl.ftl: {only_nl:?}; only in en.ftl: {only_en:?}");
    }

    fn files_under(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() { files_under(&path, found) } else { found.push(path) }
        }
    }

    /// Every `t("…")`, `t1("…"` and `count("…"` in the templates and the page code names a
    /// message that exists.
    #[test]
    fn every_key_used_exists() {
        let nl = keys(Lang::Nl.source());
        let mut missing = BTreeSet::new();
        let mut files = Vec::new();
        for dir in [concat!(env!("CARGO_MANIFEST_DIR"), "/templates"), concat!(env!("CARGO_MANIFEST_DIR"), "/src/html")] {
            files_under(std::path::Path::new(dir), &mut files);
        }
        assert!(files.iter().any(|f| f.ends_with("coalitions/page.rs")), "page modules in folders are read too");
        for path in files {
            let text = std::fs::read_to_string(path).expect("file");
            for call in [".t(\"", ".t1(\"", ".count(\"", ".with(\""] {
                for part in text.split(call).skip(1) {
                    let key = part.split('"').next().unwrap_or_default();
                    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !nl.contains(key) {
                        missing.insert(key.to_string());
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not in the .ftl files: {missing:?}");
    }

    /// Every message code the domain can give has its words in both languages.
    #[test]
    fn every_refusal_code_has_both_translations() {
        let (nl, en) = (keys(Lang::Nl.source()), keys(Lang::En.source()));
        let coalition = buurtnet_domain::model::coalition::Refusal::ALL.map(|r| format!("coalition-refused-{}", r.code()));
        let missing: Vec<&String> = coalition.iter().filter(|key| !nl.contains(*key) || !en.contains(*key)).collect();
        assert!(missing.is_empty(), "codes without words: {missing:?}");
    }

    /// Every message the domain says by code is put in words in both languages, with its
    /// values, and the two differ.
    #[test]
    fn every_domain_message_code_is_said_in_both_languages() {
        use buurtnet_domain::error::{Say, Words};
        for say in Say::examples() {
            let words = Words::Say(say.clone());
            let (nl, en) = (super::super::layout::say(&words, Tr::new(Lang::Nl)), super::super::layout::say(&words, Tr::new(Lang::En)));
            for said in [&nl, &en] {
                assert!(!said.is_empty() && !said.contains("say-") && !said.contains('{'), "{say:?}: {said}");
                for (_, value) in say.values() {
                    assert!(said.contains(&value), "{say:?} names {value}: {said}");
                }
            }
            assert_ne!(nl, en, "{say:?}");
        }
    }

    #[test]
    fn the_browser_preference_and_the_cookie_choose() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, "de-DE,en-GB;q=0.8,nl;q=0.5".parse().unwrap());
        assert_eq!(Lang::of_request(&headers), Lang::En, "German is not offered; English comes next");
        headers.insert(header::COOKIE, "bn_taal=nl".parse().unwrap());
        assert_eq!(Lang::of_request(&headers), Lang::Nl, "a choice made on the site wins");
        assert_eq!(Lang::of_request(&HeaderMap::new()), Lang::Nl);
    }

    #[test]
    fn plurals_follow_the_language() {
        assert_eq!(Tr::new(Lang::En).count("participants-count", 1), "1 participant");
        assert_eq!(Tr::new(Lang::Nl).count("participants-count", 3), "3 deelnemers");
    }
}
