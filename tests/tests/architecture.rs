//! The rules of ARCHITECTURE.md that a reading of the source tree can check. Each rule names
//! the places it still allows and why, so the list can only shrink on purpose.

use std::path::{Path, PathBuf};

/// Production files allowed over [`MAX_LINES`] lines (unit tests not counted) for now, with
/// the reason (issue 14 splits them).
const LONG_FILES: &[(&str, &str)] = &[];

const MAX_LINES: usize = 500;

/// The lines of a file that are not its unit tests (everything before `#[cfg(test)]`).
fn production_lines(text: &str) -> usize {
    text.lines().take_while(|line| line.trim() != "#[cfg(test)]").count()
}

/// Page handlers that read a form without `GenuineForm`/`MemberForm`, with the reason.
const OWN_TOKEN_CHECK: &[(&str, &str)] =
    &[("web/src/html/consent.rs", "the OAuth consent form: checks the token only when the session is used")];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace holds tests/").to_path_buf()
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Every production source file, as (path relative to the workspace, text).
fn production_sources() -> Vec<(String, String)> {
    let root = workspace();
    let mut files = Vec::new();
    for crate_src in ["node/src", "node/domain/src", "federation/src", "web/src"] {
        rust_files(&root.join(crate_src), &mut files);
    }
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable source");
            (path.strip_prefix(&root).expect("inside").to_string_lossy().into_owned(), text)
        })
        .collect()
}

#[test]
fn no_production_file_is_longer_than_the_limit_unless_listed() {
    let sources = production_sources();
    assert!(sources.len() > 100, "the source tree was found ({} files)", sources.len());
    let too_long: Vec<String> = sources
        .iter()
        .filter(|(path, text)| production_lines(text) > MAX_LINES && !LONG_FILES.iter().any(|(listed, _)| listed == path))
        .map(|(path, text)| format!("{path}: {} lines", production_lines(text)))
        .collect();
    assert!(too_long.is_empty(), "split these files or list them with a reason: {too_long:?}");
    let now_short: Vec<&str> = LONG_FILES
        .iter()
        .filter(|(listed, _)| sources.iter().any(|(path, text)| path == listed && production_lines(text) <= MAX_LINES))
        .map(|(listed, _)| *listed)
        .collect();
    assert!(now_short.is_empty(), "these files are short now; take them off the list: {now_short:?}");
}

#[test]
fn page_forms_are_checked_before_the_handler_runs() {
    let unchecked: Vec<String> = production_sources()
        .into_iter()
        .filter(|(path, _)| path.starts_with("web/src/html/") && !OWN_TOKEN_CHECK.iter().any(|(listed, _)| listed == path))
        .filter(|(_, text)| text.contains("Form(form): Form<") || text.contains("axum::extract::Form"))
        .map(|(path, _)| path)
        .collect();
    assert!(unchecked.is_empty(), "page handlers take forms through GenuineForm or MemberForm: {unchecked:?}");
}

/// Domain files whose messages to people are all codes (`words::Say`), never the older
/// "English / Nederlands" strings: the help loop's first, then events and meals (issue 14
/// moves the rest).
const SAYS_IN_CODES: &[&str] = &[
    "node/domain/src/model/proposal.rs",
    "node/domain/src/ops/proposals.rs",
    "node/domain/src/ops/responses.rs",
    "node/domain/src/model/event.rs",
    "node/domain/src/model/guest.rs",
    "node/domain/src/model/series.rs",
    "node/domain/src/ops/rsvp.rs",
    "node/domain/src/ops/questions.rs",
    "node/domain/src/ops/guests.rs",
    "node/domain/src/ops/series.rs",
    "node/domain/src/ops/events.rs",
    "node/domain/src/model/participation.rs",
];

/// A string literal holding " / " between words, as the two-language messages are written.
fn two_language_literal(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or_default();
    code.split('"').skip(1).step_by(2).any(|literal| literal.contains(" / "))
}

#[test]
fn the_help_loop_says_everything_in_codes() {
    let sources = production_sources();
    let mut found = Vec::new();
    for listed in SAYS_IN_CODES {
        let (_, text) = sources.iter().find(|(path, _)| path == listed).unwrap_or_else(|| panic!("{listed} exists"));
        let production = text.lines().take_while(|line| line.trim() != "#[cfg(test)]");
        found.extend(production.filter(|line| two_language_literal(line)).map(|line| format!("{listed}: {}", line.trim())));
    }
    assert!(found.is_empty(), "say these with a words::Say code: {found:?}");
    assert!(two_language_literal(r#"    problem("x", "at most 4 / hoogstens 4");"#), "the check sees such a message");
}

/// Files outside `ops` that write through the store, with the reason. They are the
/// transport's own bookkeeping, which no use case owns.
const STORE_WRITERS: &[(&str, &str)] = &[
    ("federation/src/deliver/mod.rs", "a delivery's outcome: delivered, failed, retried, the peer's health"),
    ("federation/src/deliver/expand.rs", "the outbox expanded into deliveries once, the signed body kept, unreadable entries set aside"),
    ("federation/src/deliver/worker.rs", "delivery leases claimed and released"),
    ("federation/src/deliver/recorder.rs", "deliveries that went through, marked in batches with their peers' health"),
    ("federation/src/deliver/knock.rs", "which signature style a peer answered to"),
    ("federation/src/inbox.rs", "activity ids remembered against replays, a peer's signature style, its deliveries woken"),
];

/// The store functions that change data, as `module::function`: those whose body holds an
/// `INSERT`, `UPDATE` or `DELETE`, and those that call one of them.
fn store_writes() -> Vec<String> {
    let folder = workspace().join("node/domain/src/store");
    let mut files = Vec::new();
    rust_files(&folder, &mut files);
    let mut bodies = Vec::new();
    for path in files {
        let module = path.file_stem().expect("a file name").to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("readable source");
        for function in text.split("pub async fn ").skip(1) {
            let name: String = function.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let body = function.split("\npub ").next().unwrap_or_default().to_string();
            bodies.push((module.clone(), name, body));
        }
    }
    let mut writes: Vec<(String, String)> = Vec::new();
    loop {
        let before = writes.len();
        for (module, name, body) in &bodies {
            let known = writes.iter().any(|(m, n)| m == module && n == name);
            let writes_itself = ["INSERT INTO", "UPDATE ", "DELETE FROM"].iter().any(|sql| body.contains(sql));
            let calls_a_write = writes.iter().any(|(m, n)| body.contains(&format!("{m}::{n}(")) || (m == module && calls(body, n)));
            if !known && (writes_itself || calls_a_write) {
                writes.push((module.clone(), name.clone()));
            }
        }
        if writes.len() == before {
            return writes.into_iter().map(|(m, n)| format!("{m}::{n}")).collect();
        }
    }
}

/// Whether `body` calls the function `name` by its bare name.
fn calls(body: &str, name: &str) -> bool {
    body.match_indices(&format!("{name}("))
        .any(|(at, _)| !body[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':' || c == '.'))
}

#[test]
fn only_use_cases_change_data() {
    let writes = store_writes();
    for known in ["posts::insert", "notifications::dismiss", "deliveries::mark_delivered"] {
        assert!(writes.iter().any(|w| w == known), "{known} is seen as a write ({} found)", writes.len());
    }
    assert!(!writes.iter().any(|w| w == "actors::by_id"), "a read is not a write");
    let mut found = Vec::new();
    let sources = production_sources();
    for (listed, _) in STORE_WRITERS {
        let (_, text) = sources.iter().find(|(path, _)| path == listed).unwrap_or_else(|| panic!("{listed} exists"));
        let still_writes = writes.iter().any(|write| text.contains(&format!("store::{write}(")));
        assert!(still_writes, "{listed} no longer writes through the store; take it off the list");
    }
    for (path, text) in sources {
        let allowed = path.starts_with("node/domain/src/ops/")
            || path.starts_with("node/domain/src/store/")
            || STORE_WRITERS.iter().any(|(listed, _)| *listed == path);
        if allowed {
            continue;
        }
        for line in text.lines().filter(|line| !line.trim_start().starts_with("//")) {
            for write in &writes {
                if line.contains(&format!("store::{write}(")) {
                    found.push(format!("{path}: {write}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "change data through ops::, not the store: {found:?}");
}
