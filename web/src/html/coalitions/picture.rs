//! "Who helps whom" as a picture that stays readable on a phone (issue 16): the member
//! initiatives one under the other, each name beside its dot (wrapped, never cut off), and
//! an arc on the left for each flow of help, thicker for more, pointing at the one helped and
//! labelled with how often. Drawn 320 units wide, about its size on a 360 px screen, so its
//! text is 14 px there. The sentences beside it say the same without the picture.

use super::ActorLink;
use crate::html::escape;
use crate::html::i18n::Tr;
use buurtnet_domain::model::Actor;
use buurtnet_domain::ops::coalition_overview::Flow;
use std::collections::BTreeMap;

const WIDTH: f64 = 320.0;
/// Where the dots stand; the arcs use the room to their left, the names the room to their right.
const DOT_X: f64 = 110.0;
const LINE: f64 = 18.0;
const ROW_GAP: f64 = 22.0;
/// Characters per line of a name (14 px text in the 190 units right of the dots).
const WRAP: usize = 22;

/// A name in lines of at most [`WRAP`] characters, broken between words (a longer word
/// gets a line of its own).
fn wrapped(name: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in name.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= WRAP => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Each member's name lines and the y of its dot; the picture's height.
fn rows(members: &[String], known: &BTreeMap<String, Actor>) -> (Vec<(Vec<String>, f64)>, f64) {
    let mut y = ROW_GAP;
    let mut placed = Vec::new();
    for member in members {
        let lines = wrapped(&ActorLink::of(member, known).name);
        let height = LINE * lines.len().max(1) as f64;
        placed.push((lines, y + height / 2.0));
        y += height + ROW_GAP;
    }
    (placed, y)
}

/// One arc from the dot at `from` to the dot at `to`, the further apart the wider; help the
/// other way round bulges a little further, so the two do not cover each other.
fn arc(from: f64, to: f64, times: i64, apart: usize) -> String {
    let back = if to < from { 12.0 } else { 0.0 };
    let control = (DOT_X - 14.0 - 22.0 * apart as f64 - back).max(6.0);
    let start = DOT_X - 10.0;
    let width = (2.0 + times as f64).min(8.0);
    let (label_x, label_y) = (0.25 * start + 0.75 * control, (from + to) / 2.0 + 5.0);
    format!(
        "<path d=\"M{start:.0},{from:.0} C{control:.0},{from:.0} {control:.0},{to:.0} {start:.0},{to:.0}\" fill=\"none\" stroke=\"#1d5e3a\" stroke-width=\"{width:.0}\" marker-end=\"url(#arrow)\"/>\
         <text x=\"{label_x:.0}\" y=\"{label_y:.0}\" text-anchor=\"middle\" font-weight=\"700\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\">{times}</text>"
    )
}

/// The picture as SVG with every text escaped; empty when no help is known.
pub(super) fn network_picture(members: &[String], flows: &[Flow], known: &BTreeMap<String, Actor>, tr: Tr) -> String {
    if flows.is_empty() {
        return String::new();
    }
    let (placed, height) = rows(members, known);
    let index = |id: &str| members.iter().position(|m| m == id).unwrap_or(0);
    let mut arcs = String::new();
    for flow in flows {
        let (i, j) = (index(&flow.from), index(&flow.to));
        arcs.push_str(&arc(placed[i].1, placed[j].1, flow.times, i.abs_diff(j)));
    }
    let mut dots = String::new();
    for (lines, y) in &placed {
        let first = y - LINE * (lines.len() as f64 - 1.0) / 2.0 + 5.0;
        let spans: String = lines
            .iter()
            .enumerate()
            .map(|(n, line)| format!("<tspan x=\"{:.0}\" y=\"{:.0}\">{}</tspan>", DOT_X + 16.0, first + LINE * n as f64, escape(line)))
            .collect();
        dots.push_str(&format!("<circle cx=\"{DOT_X:.0}\" cy=\"{y:.0}\" r=\"8\" fill=\"#0b4f9c\"/><text class=\"name\">{spans}</text>"));
    }
    format!(
        "<svg viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"img\" aria-labelledby=\"network-title\" class=\"network-picture arcs\" font-size=\"14\" fill=\"#1a1a1a\">\
         <title id=\"network-title\">{}</title>\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"4\" markerHeight=\"4\" orient=\"auto\">\
         <path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1d5e3a\"/></marker></defs>{arcs}{dots}</svg>",
        escape(&tr.t("coalition-network-title"))
    )
}

#[cfg(test)]
mod tests {
    use super::wrapped;

    #[test]
    fn long_names_wrap_between_words_and_nothing_is_dropped() {
        assert_eq!(wrapped("Buurtvrouw"), vec!["Buurtvrouw"]);
        let lines = wrapped("Stichting Welzijn en Zorg Nieuwe Westen");
        assert_eq!(lines, vec!["Stichting Welzijn en", "Zorg Nieuwe Westen"]);
        assert!(lines.iter().all(|l| l.chars().count() <= 22));
    }
}
