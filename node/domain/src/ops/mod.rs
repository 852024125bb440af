//! Use cases. Each one authorises, validates, and writes its rows and any [`crate::outbox::Outgoing`]
//! entry in one transaction. The web pages, the Mastodon API, the CLI and the inbox all call
//! these, so the rules hold whatever the door.

pub mod actors;
pub mod articles;
pub mod browse;
pub mod calendar;
pub mod coalition_acts;
pub mod coalition_overview;
pub mod coalition_pages;
pub mod coalition_week;
pub mod coalitions;
pub mod conversations;
pub mod desk;
pub mod events;
pub mod federation_health;
pub mod figures;
pub mod follows;
pub mod guests;
pub mod handing_over;
pub mod housekeeping;
pub mod initiatives;
pub mod mail;
pub mod matching;
pub mod media;
pub mod members;
pub mod moderation;
pub mod moving;
pub mod node_settings;
pub mod notices;
pub mod oauth;
pub mod password_guessing;
pub mod posts;
pub mod proposals;
pub mod questions;
pub mod reactions;
mod receiving;
pub mod registrations;
pub mod responses;
pub mod rsvp;
pub mod series;
pub mod sessions;
pub mod signup;
pub mod statuses;
pub mod visibility;
