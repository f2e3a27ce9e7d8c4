//! inv: a Scaleway organization as one SQLite file.
pub mod fakeapi;
