//! The simple question on the form anyone may send ("Vraag het ons"): a small sum that people
//! answer and most spam robots do not, without a captcha from a third party. The answer is
//! never in the page. The form carries a token `expires.nonce.mac`, where `mac` is an
//! HMAC-SHA256, under the node's key, of the expiry, the nonce, the visitor's CSRF token and
//! the answer; checking computes it again with the answer given. So a token works only for
//! the visitor it was made for, only until it expires, and only with the right answer. The
//! key is derived from a secret every process of the node shares ([`Challenges::from_secret`]),
//! so a sum shown by one process may be answered to another, and survives a restart.

use aws_lc_rs::{hmac, rand};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// How long a form's sum may be answered.
const LIFETIME_MS: i64 = 2 * 3600 * 1000;

/// Numbers as words, from zero, in Dutch and in English, for people who write the answer out.
const DUTCH: [&str; 19] = [
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
];
const ENGLISH: [&str; 19] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
];

/// The node's key for the sums on its forms (one per node, the same in all its processes).
pub struct Challenges {
    key: hmac::Key,
}

/// A sum to show, `left + right`, with the token its form carries.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub left: u32,
    pub right: u32,
    pub token: String,
}

impl Default for Challenges {
    fn default() -> Self {
        Challenges { key: hmac::Key::generate(hmac::HMAC_SHA256, &rand::SystemRandom::new()).expect("the system makes random keys") }
    }
}

impl Challenges {
    /// The key derived from `secret` (the instance actor's private key): the same in every
    /// process that reads it, and telling nothing of it.
    pub fn from_secret(secret: &[u8]) -> Challenges {
        let derived = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &[b"buurtnet-sum-key\n".as_slice(), secret].concat());
        Challenges { key: hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref()) }
    }

    /// A new sum for the visitor whose CSRF token is `csrf`.
    pub fn make(&self, csrf: &str) -> Challenge {
        let (left, right) = (::rand::random_range(1..=9), ::rand::random_range(1..=9));
        let expires = buurtnet_domain::now_ms() + LIFETIME_MS;
        let nonce = URL_SAFE_NO_PAD.encode(::rand::random::<[u8; 9]>());
        let tag = hmac::sign(&self.key, signed_text(expires, &nonce, csrf, left + right).as_bytes());
        Challenge { left, right, token: format!("{expires}.{nonce}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref())) }
    }

    /// Whether `answer` is the answer to the sum of `token`, made for `csrf`, still in time.
    pub fn check(&self, token: &str, csrf: &str, answer: &str) -> bool {
        let mut parts = token.split('.');
        let (Some(expires), Some(nonce), Some(tag), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        let (Ok(expires), Ok(tag), Some(answer)) = (expires.parse::<i64>(), URL_SAFE_NO_PAD.decode(tag), read_number(answer)) else {
            return false;
        };
        expires > buurtnet_domain::now_ms() && hmac::verify(&self.key, signed_text(expires, nonce, csrf, answer).as_bytes(), &tag).is_ok()
    }
}

fn signed_text(expires: i64, nonce: &str, csrf: &str, answer: u32) -> String {
    format!("buurtnet-sum\n{expires}\n{nonce}\n{csrf}\n{answer}")
}

/// A number as someone typed it: digits, or a word in Dutch or English ("zeven", "seven").
pub fn read_number(text: &str) -> Option<u32> {
    let text = text.trim().to_lowercase().replace('é', "e");
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    DUTCH.iter().chain(ENGLISH.iter()).position(|word| *word == text).map(|i| (i % DUTCH.len()) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_right_answer_passes_for_the_same_visitor_only() {
        let challenges = Challenges::default();
        let sum = challenges.make("csrf-a");
        let answer = (sum.left + sum.right).to_string();
        assert!(challenges.check(&sum.token, "csrf-a", &answer));
        assert!(challenges.check(&sum.token, "csrf-a", &format!(" {} ", DUTCH[(sum.left + sum.right) as usize].to_uppercase())));
        assert!(!challenges.check(&sum.token, "csrf-a", &(sum.left + sum.right + 1).to_string()), "a wrong answer");
        assert!(!challenges.check(&sum.token, "csrf-b", &answer), "another visitor's token");
        assert!(!Challenges::default().check(&sum.token, "csrf-a", &answer), "another node's key");
        let shared = Challenges::from_secret(b"the instance key");
        let shown = shared.make("csrf-a");
        let answer = (shown.left + shown.right).to_string();
        assert!(Challenges::from_secret(b"the instance key").check(&shown.token, "csrf-a", &answer), "another process of the node");
        assert!(!Challenges::from_secret(b"another key").check(&shown.token, "csrf-a", &answer), "another node");
        assert!(!challenges.check("1.2.3", "csrf-a", &answer));
        assert!(!challenges.check("", "csrf-a", &answer));
    }

    #[test]
    fn an_expired_token_fails() {
        let challenges = Challenges::default();
        let expires = buurtnet_domain::now_ms() - 1;
        let tag = hmac::sign(&challenges.key, signed_text(expires, "n", "c", 5).as_bytes());
        let token = format!("{expires}.n.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()));
        assert!(!challenges.check(&token, "c", "5"));
    }

    #[test]
    fn numbers_are_read_as_digits_or_words() {
        assert_eq!(read_number("12"), Some(12));
        assert_eq!(read_number("Zeven"), Some(7));
        assert_eq!(read_number("één"), Some(1));
        assert_eq!(read_number("eighteen"), Some(18));
        assert_eq!(read_number("veel"), None);
    }
}
