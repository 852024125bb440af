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

/// Production files that hold text in both languages on purpose ("English / Nederlands" in
/// one string), with the reason. Everything else that is said to people is a code
/// (`words::Say`, or a key of the web crate's locales) put into Dutch or English at the edge
/// (issue 14).
const BOTH_LANGUAGES_ON_PURPOSE: &[(&str, &str)] = &[
    ("node/src/main.rs", "the command line's own output, for an administrator who has set no language"),
    ("node/src/moving.rs", "the command line's own output, for an administrator who has set no language"),
    ("node/src/demo.rs", "the command line's own output, for an administrator who has set no language"),
    (
        "node/domain/src/ops/articles.rs",
        "article content that peers show as it is: the line under a copied article, the first version's summary",
    ),
    ("node/domain/src/ops/actors.rs", "a coalition actor's published summary, which peers show as it is"),
    ("node/domain/src/ops/oauth.rs", "the description of a refused password grant, which an app shows as it is"),
    ("node/domain/src/words.rs", "joins both languages for readers that take no codes (`both_languages`)"),
    ("web/src/api/instance.rs", "the node's default description, published to every app and peer"),
    ("web/src/html/layout.rs", "the visitor's half of the messages still in both languages, the plain answer when a page cannot be drawn"),
    ("web/src/html/mod.rs", "the answer to a language we do not offer, so in both"),
];

/// A string literal holding " / " between words, as the two-language messages are written.
/// Comment lines are skipped (a `//` inside a line may be an address's `https://`).
fn two_language_literal(line: &str) -> bool {
    !line.trim_start().starts_with("//") && line.split('"').skip(1).step_by(2).any(|literal| literal.contains(" / "))
}

#[test]
fn messages_are_codes_except_where_both_languages_are_meant() {
    let mut found = Vec::new();
    let mut listed_but_clean = Vec::new();
    for (path, text) in production_sources() {
        let production = text.lines().take_while(|line| line.trim() != "#[cfg(test)]");
        let both: Vec<String> =
            production.filter(|line| two_language_literal(line)).map(|line| format!("{path}: {}", line.trim())).collect();
        match (BOTH_LANGUAGES_ON_PURPOSE.iter().any(|(listed, _)| *listed == path), both.is_empty()) {
            (false, false) => found.extend(both),
            (true, true) => listed_but_clean.push(path),
            _ => {}
        }
    }
    assert!(found.is_empty(), "say these with a words::Say code or a locales key: {found:?}");
    assert!(listed_but_clean.is_empty(), "no longer in both languages, take them off the list: {listed_but_clean:?}");
    assert!(two_language_literal(r#"    problem("x", "at most 4 / hoogstens 4");"#), "the check sees such a message");
    assert!(two_language_literal(r#"  .ok_or("not an address (https://...) / geen adres (https://...)")"#), "after an address too");
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

const MAX_FUNCTION_LINES: usize = 80;

/// Production functions allowed over [`MAX_FUNCTION_LINES`] lines for now, as
/// `path::function`, with the reason.
const LONG_FUNCTIONS: &[(&str, &str)] = &[
    ("node/domain/src/words.rs::code", "a table: one line for each message code"),
    ("node/domain/src/words.rs::examples", "a table: one example of each message code"),
    ("web/src/html/mod.rs::routes", "a table: one line for each page's address"),
];

/// The source with the insides of comments, string and character literals blanked (lines
/// kept), so that braces and `fn` are only seen where they are code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let rest = |n: usize| chars.get(i + n).copied().unwrap_or('\0');
        let end = if chars[i] == '/' && rest(1) == '/' {
            chars[i..].iter().position(|&c| c == '\n').map_or(chars.len(), |n| i + n)
        } else if chars[i] == '/' && rest(1) == '*' {
            (i + 2..chars.len()).find(|&j| chars[j - 1] == '*' && chars[j] == '/').map_or(chars.len(), |j| j + 1)
        } else if chars[i] == 'r'
            && (rest(1) == '"' || (rest(1) == '#' && matches!(rest(2), '"' | '#')))
            && !is_ident(chars.get(i.wrapping_sub(1)))
        {
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            let closing: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let start = i + 2 + hashes;
            (start..chars.len()).find(|&j| chars[j..].starts_with(&closing)).map_or(chars.len(), |j| j + closing.len())
        } else if chars[i] == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if chars[i] == '\'' && rest(1) == '\\' {
            // An escaped character ('\'', '\n', '\u{..}'): its closing quote comes after the escape.
            (i + 3..chars.len()).find(|&j| chars[j] == '\'').map_or(chars.len(), |j| j + 1)
        } else if chars[i] == '\'' && rest(2) == '\'' {
            i + 3
        } else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        let end = end.min(chars.len());
        out.extend(chars[i..end].iter().map(|&c| blank(c)));
        i = end;
    }
    out
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// Each function with a body in `text`, as (name, lines from `fn` to its closing brace).
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let code = code_only(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(at) = line.find("fn ").filter(|&at| at == 0 || !is_ident(line[..at].chars().last().as_ref())) else { continue };
        let name: String = line[at + 3..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            continue;
        }
        let mut depth = 0i32;
        let mut opened = false;
        'scan: for (offset, later) in lines[start..].iter().enumerate() {
            let from = if offset == 0 { at } else { 0 };
            for c in later[from..].chars() {
                match c {
                    ';' if !opened && depth == 0 => break 'scan,
                    '{' => (depth, opened) = (depth + 1, true),
                    '}' => depth -= 1,
                    _ => {}
                }
                if opened && depth == 0 {
                    found.push((name.clone(), offset + 1));
                    break 'scan;
                }
            }
        }
    }
    found
}

#[test]
fn no_production_function_is_longer_than_the_limit_unless_listed() {
    let mut too_long = Vec::new();
    let mut seen = Vec::new();
    for (path, text) in production_sources() {
        let production: String = text.lines().take_while(|line| line.trim() != "#[cfg(test)]").map(|l| format!("{l}\n")).collect();
        for (name, lines) in function_lengths(&production) {
            let key = format!("{path}::{name}");
            if lines > MAX_FUNCTION_LINES {
                seen.push(key.clone());
                if !LONG_FUNCTIONS.iter().any(|(listed, _)| *listed == key) {
                    too_long.push(format!("{key}: {lines} lines"));
                }
            }
        }
    }
    assert!(too_long.is_empty(), "split these functions or list them with a reason: {too_long:?}");
    let now_short: Vec<&str> =
        LONG_FUNCTIONS.iter().map(|(listed, _)| *listed).filter(|listed| !seen.iter().any(|s| s == listed)).collect();
    assert!(now_short.is_empty(), "no longer over the limit, take them off the list: {now_short:?}");
    let sample = "fn short() {\n    let s = \"}\";\n}\n\nfn long() {\n    let c = '{';\n    let q = '\\'';\n    // }\n}\n";
    assert_eq!(
        function_lengths(sample),
        vec![("short".to_string(), 3), ("long".to_string(), 5)],
        "braces in literals and comments do not count"
    );
}
