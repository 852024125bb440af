//! # buurtnet-tests
//!
//! Tooling for scenario tests through public surfaces: [`harness`] starts real nodes,
//! [`pg`] a throwaway PostgreSQL cluster, [`hostile`] a peer that captures what nodes send it,
//! [`pages`] a visitor of the web pages, [`app`] a Mastodon app (bearer token, session),
//! [`peers`] where the pinned third-party peers are installed, [`process`] a node as its own
//! process, [`proxy`] a round-robin reverse proxy in front of several.

pub mod app;
pub mod harness;
pub mod hostile;
pub mod pages;
pub mod peers;
pub mod pg;
pub mod process;
pub mod proxy;
pub mod resetting;
