//! HTML in posts: local text turned into safe HTML, remote HTML sanitised to the same subset.
//! The subset is Mastodon's (`MASTODON_STRICT` in its `lib/sanitize_ext/sanitize_config.rb`)
//! for the inline and block elements a post uses; other elements keep only their text.

use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(["p", "br", "a", "span", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote", "code", "pre", "del", "s"].into())
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into());
    builder
});

/// Articles (how-tos, manifests) also keep headings, tables and rules.
static ARTICLE_SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(
            [
                "p",
                "br",
                "a",
                "span",
                "em",
                "strong",
                "b",
                "i",
                "u",
                "ul",
                "ol",
                "li",
                "blockquote",
                "code",
                "pre",
                "del",
                "s",
                "h1",
                "h2",
                "h3",
                "h4",
                "h5",
                "h6",
                "hr",
                "table",
                "thead",
                "tbody",
                "tr",
                "th",
                "td",
            ]
            .into(),
        )
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into());
    builder
});

/// Most elements an HTML fragment may have to be read as HTML.
pub const MAX_ELEMENTS: usize = 4_000;
/// Deepest nesting an HTML fragment may have to be read as HTML. Parsing and cleaning grow
/// with the square of the nesting (488 KiB of nested `<div>`s took 41 s of CPU); no post
/// anyone writes comes near this.
pub const MAX_DEPTH: usize = 64;

/// As [`sanitize`], for articles: headings, tables and rules stay.
pub fn sanitize_article(html: &str) -> String {
    clean_within_limits(&ARTICLE_SANITIZER, html)
}

/// Cleans HTML from another server down to the tags we show; scripts, styles and event
/// handlers are dropped. HTML past [`MAX_ELEMENTS`] or [`MAX_DEPTH`] is not parsed at all:
/// it is shown as its text.
pub fn sanitize(html: &str) -> String {
    clean_within_limits(&SANITIZER, &headings_as_paragraphs(html))
}

/// Headings as paragraphs in bold, as Mastodon shows them, so that two headings do not run
/// together once their tags are gone.
fn headings_as_paragraphs(html: &str) -> std::borrow::Cow<'_, str> {
    let is_heading = |tag: &str| {
        let bytes = tag.as_bytes();
        bytes.len() >= 2
            && bytes[0].eq_ignore_ascii_case(&b'h')
            && (b'1'..=b'6').contains(&bytes[1])
            && bytes.get(2).is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
    };
    if !html.contains(['h', 'H']) || !html.split('<').skip(1).any(|t| is_heading(t.trim_start_matches('/'))) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut pieces = html.split('<');
    out.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        let (closing, tag) = piece.strip_prefix('/').map_or((false, piece), |t| (true, t));
        match tag.find('>') {
            Some(end) if is_heading(tag) => {
                out.push_str(if closing { "</strong></p>" } else { "<p><strong>" });
                out.push_str(&tag[end + 1..]);
            }
            _ => {
                out.push('<');
                out.push_str(piece);
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

fn clean_within_limits(sanitizer: &ammonia::Builder<'static>, html: &str) -> String {
    if within_limits(html) { sanitizer.clean(html).to_string() } else { text_to_html(&to_plain_text(html)) }
}

/// Elements that never hold others, so they do not nest.
const VOID_ELEMENTS: [&str; 14] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Whether `html` has at most [`MAX_ELEMENTS`] start tags nested at most [`MAX_DEPTH`] deep,
/// by one linear pass over its tags, before any parser sees it. (Tags a parser would close
/// by itself count as open: sloppy HTML is held to the limits a little early, never late.)
pub fn within_limits(html: &str) -> bool {
    let (mut elements, mut depth) = (0usize, 0usize);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if let Some(closing) = tag.strip_prefix('/') {
            if closing.starts_with(|c: char| c.is_ascii_alphabetic()) {
                depth = depth.saturating_sub(1);
            }
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            elements += 1;
            let name = &tag[..tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tag.len())];
            let is_void = VOID_ELEMENTS.iter().any(|void| void.eq_ignore_ascii_case(name));
            if !is_void && !tag.ends_with('/') {
                depth += 1;
            }
            if elements > MAX_ELEMENTS || depth > MAX_DEPTH {
                return false;
            }
        }
        rest = &rest[end.min(rest.len())..];
    }
    true
}

/// Turns what a person typed into HTML: text escaped, blank lines as paragraphs, line breaks
/// kept, web addresses made into links.
pub fn text_to_html(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|paragraph| {
            let lines: Vec<String> = paragraph.trim().lines().map(linkify_escaped).collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn linkify_escaped(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if (word.starts_with("https://") || word.starts_with("http://")) && word.len() > 8 {
                let href = escape(word);
                format!("<a href=\"{href}\" rel=\"nofollow noopener noreferrer\">{href}</a>")
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An account a post mentions, to link where the text names it.
pub struct Mentioned<'a> {
    pub username: &'a str,
    pub host: &'a str,
    /// Whether `@username` alone names it (an account of this node).
    pub is_local: bool,
    pub url: &'a str,
}

/// Our HTML with each `@user@host` (or `@user` of this node) that names one of `mentioned`
/// made into a link as Mastodon writes it (`h-card`, `u-url mention`), so that apps show it
/// as a mention and open the account.
pub fn link_mentions(html: &str, mentioned: &[Mentioned<'_>]) -> String {
    let is_handle_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '@' | ':');
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('@') {
        let before = rest[..at].chars().next_back();
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        let length = tail[1..].find(|c: char| !is_handle_char(c)).map_or(tail.len() - 1, |n| n);
        let handle = tail[1..1 + length].trim_end_matches(['.', ':', '-']);
        let (username, host) = handle.split_once('@').map_or((handle, None), |(u, h)| (u, Some(h)));
        let found = mentioned
            .iter()
            .find(|m| m.username.eq_ignore_ascii_case(username) && host.map_or(m.is_local, |h| m.host.eq_ignore_ascii_case(h)));
        match found.filter(|_| before.is_none_or(|c| !c.is_alphanumeric() && c != '/')) {
            Some(m) => {
                let url = escape(m.url);
                let name = escape(m.username);
                out.push_str(&format!(
                    r#"<span class="h-card" translate="no"><a href="{url}" class="u-url mention">@<span>{name}</span></a></span>"#
                ));
                rest = &tail[1 + handle.len()..];
            }
            None => {
                out.push('@');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Plain text of an HTML fragment, for summaries and search.
pub fn to_plain_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.replace("<br>", "\n").replace("</p>", "\n\n").chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&").trim().to_string()
}

/// The hashtags in a post's HTML, lower-cased, each once, in order.
pub fn hashtags(html: &str) -> Vec<String> {
    let text = to_plain_text(html);
    let mut seen: Vec<String> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?' | ';' | ':' | '(' | ')')) {
        if let Some(tag) = word.strip_prefix('#').filter(|t| !t.is_empty() && t.chars().all(|c| c.is_alphanumeric() || c == '_')) {
            let tag = tag.to_lowercase();
            if !seen.contains(&tag) {
                seen.push(tag);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_become_bold_paragraphs() {
        assert_eq!(sanitize("<h1>h1</h1><H2 class=\"x\">h2</h2>"), "<p><strong>h1</strong></p><p><strong>h2</strong></p>");
        assert_eq!(sanitize("<hr><header>x</header>"), "x");
    }

    #[test]
    fn struck_text_stays_and_elements_outside_the_subset_keep_their_text() {
        assert_eq!(sanitize("<s>stricken</s> <del>old</del>"), "<s>stricken</s> <del>old</del>");
        assert_eq!(sanitize("<mark>mark</mark> <small>small</small> <sup>2</sup>"), "mark small 2");
    }

    #[test]
    fn mentions_are_linked_where_the_text_names_them() {
        let koe = Mentioned { username: "koe", host: "wei.example", is_local: false, url: "https://wei.example/@koe" };
        let linked = link_mentions("<p>Hoi @koe@wei.example, en @koe, en mail@koe.nl</p>", &[koe]);
        assert_eq!(
            linked,
            r#"<p>Hoi <span class="h-card" translate="no"><a href="https://wei.example/@koe" class="u-url mention">@<span>koe</span></a></span>, en @koe, en mail@koe.nl</p>"#
        );
    }

    #[test]
    fn sanitize_drops_scripts_and_handlers() {
        let dirty = r#"<p onclick="x()">Hoi <script>alert(1)</script><a href="javascript:alert(1)">x</a><img src=x onerror=y></p>"#;
        let clean = sanitize(dirty);
        assert!(!clean.contains("script"));
        assert!(!clean.contains("onclick"));
        assert!(!clean.contains("javascript"));
        assert!(!clean.contains("<img"));
        assert!(clean.contains("Hoi"));
    }

    #[test]
    fn text_becomes_paragraphs_and_links() {
        let html = text_to_html("Wie helpt <mij>?\nMet boodschappen\n\nZie https://buurt.example/x");
        assert_eq!(
            html,
            "<p>Wie helpt &lt;mij&gt;?<br>Met boodschappen</p><p>Zie <a href=\"https://buurt.example/x\" rel=\"nofollow noopener noreferrer\">https://buurt.example/x</a></p>"
        );
        assert_eq!(to_plain_text(&html), "Wie helpt <mij>?\nMet boodschappen\n\nZie https://buurt.example/x");
    }

    #[test]
    fn html_past_the_limits_is_shown_as_its_text_without_parsing() {
        let nested = format!("{}Help{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let started = std::time::Instant::now();
        assert_eq!(sanitize(&nested), "<p>Help</p>");
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "took {:?}", started.elapsed());
        let many = "<b>x</b> ".repeat(MAX_ELEMENTS + 1);
        assert!(!within_limits(&many));
        assert!(!sanitize_article(&many).contains("<b>"));
        for text in ["<".repeat(300_000), format!("{}>", "<a".repeat(150_000)), "<!--".repeat(100_000)] {
            let started = std::time::Instant::now();
            let _ = sanitize(&text);
            assert!(started.elapsed() < std::time::Duration::from_secs(2), "linear even for {}", &text[..8]);
        }
    }

    #[test]
    fn ordinary_html_is_within_the_limits() {
        let post = "<p>Hoi <a href=\"https://buurt.example\">buurt</a><br>Wie helpt?</p><ul><li><b>soep</b></li><li>brood<br/></li></ul>";
        assert!(within_limits(post));
        assert!(sanitize(post).contains("<li><b>soep</b></li>"));
        let deep_enough = format!("{}x{}", "<blockquote>".repeat(MAX_DEPTH), "</blockquote>".repeat(MAX_DEPTH));
        assert!(within_limits(&deep_enough));
        let closed_again = "<p>a</p>".repeat(MAX_DEPTH * 2);
        assert!(within_limits(&closed_again), "depth goes down at closing tags");
    }
}
