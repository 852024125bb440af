//! The text a need, offer or event carries for Mastodon readers repeats what our pages show
//! as details: the title ("Hulpvraag: …", "Afgelast: …"), the state ("Geholpen!"), the time
//! and place, "Categorie: … · Wanneer: …", "Komt elke week terug.", and the hashtags. What
//! remains is the description the author wrote; that is what we keep, so that a remote post
//! does not say things twice.

use buurtnet_domain::model::{ProposalState, Repeat};

/// The paragraphs of `text` (plain text, paragraphs apart by a blank line) that are not a
/// repetition of the `title`, of one of `details`, a state line, a details line or hashtags.
pub fn description(text: &str, title: &str, details: &[&str]) -> String {
    let title = title.trim();
    let repeats = |p: &str| {
        p == title
            || p.rsplit_once(": ").is_some_and(|(_, rest)| rest == title)
            || details.iter().any(|d| !d.trim().is_empty() && p == d.trim())
            || is_state_line(p)
            || Repeat::ALL.iter().any(|r| r.comes_back_nl() == p)
            || p.starts_with("Categorie: ")
            || is_hashtags(p)
    };
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty() && !repeats(p)).collect::<Vec<_>>().join("\n\n")
}

fn is_state_line(paragraph: &str) -> bool {
    [ProposalState::InProgress, ProposalState::Fulfilled, ProposalState::Withdrawn, ProposalState::Expired]
        .iter()
        .filter_map(|s| s.headline_nl())
        .any(|h| h == paragraph)
}

fn is_hashtags(paragraph: &str) -> bool {
    paragraph.split_whitespace().all(|w| w.starts_with('#') && w.len() > 1)
}

#[cfg(test)]
mod tests {
    use super::description;

    #[test]
    fn a_need_keeps_only_what_its_author_wrote() {
        let text = "Geholpen!\n\nHulpvraag: Boodschappen\n\nWie haalt zaterdag brood?\n\nCategorie: boodschappen · Wanneer: in overleg\n\n#hulpvraag #boodschappen";
        assert_eq!(description(text, "Boodschappen", &[]), "Wie haalt zaterdag brood?");
    }

    #[test]
    fn an_event_keeps_only_what_its_author_wrote() {
        let when = "donderdag 3 december 2026, 17:30 tot 20:00, Buurthuis De Ark";
        let text = format!("Afgelast: Soep\n\n{when}\n\nIedereen welkom.\n\nNeem een pan mee.\n\nKomt elke week terug.\n\n#activiteit");
        assert_eq!(description(&text, "Soep", &[when]), "Iedereen welkom.\n\nNeem een pan mee.");
    }

    #[test]
    fn a_mastodon_post_keeps_its_words() {
        assert_eq!(description("Wie helpt mij met de tuin? #hulpvraag", "Wie helpt mij met de tuin? #hulpvraag", &[]), "");
        assert_eq!(description("Tuin\n\nHet gras is lang. #hulpvraag", "Tuin", &[]), "Het gras is lang. #hulpvraag");
    }
}
