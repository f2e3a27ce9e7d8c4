//! inv: a Scaleway organization as one SQLite file, every entity and relationship, ready
//! for SQL and audits.

pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod exit;
pub mod fakeapi;
pub mod history;
pub mod kinds;
pub mod output;
pub mod progress;
pub mod query;
pub mod store;
pub mod sync;
pub mod timestamp;
