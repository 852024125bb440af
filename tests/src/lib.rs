//! # buurtnet-tests
//!
//! Tooling for scenario tests through public surfaces: [`harness`] starts real nodes,
//! [`pg`] a throwaway PostgreSQL cluster.

pub mod harness;
pub mod pages;
pub mod pg;
