//! The only HTTP in inv: an authenticated, paced and retrying client for the Scaleway API.

mod client;
mod error;
mod pacer;
mod retry;

pub use client::{Client, ClientOptions, ClientStats, Page};
pub use error::ApiError;
pub use pacer::Pacer;
pub use retry::RetryPolicy;
