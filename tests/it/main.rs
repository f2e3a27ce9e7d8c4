//! The integration tests: one binary, the real `inv` run against a fake API on loopback
//! and real SQLite files.

mod demo;
mod errors;
mod fake_api;
mod history;
mod queries;
mod recorded;
mod schema;
mod support;
mod sync;
mod world;
