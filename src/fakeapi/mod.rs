//! A faithful fake of the Scaleway API (Account, IAM, Instance, Block) served on loopback, for `inv sync --demo`, integration tests and benchmarks.
//!
//! The fake serves a [`World`] (organizations and their objects as wire JSON)
//! over real HTTP on `127.0.0.1`, with the real API's quirks: two pagination
//! styles (`page`/`page_size` with a body `total_count`, and Instance's
//! `page`/`per_page` with an `X-Total-Count` header), wrapped Instance single
//! objects, the `organization` vs `organization_id` filter names, the error
//! bodies of the reference, 501 `unknown service` for Block in `it-mil-1`,
//! and the gateway's empty-body 429. [`Faults`] adds latency, a token-bucket
//! rate limit and scripted failures.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use inv::fakeapi::{self, Faults};
//! let (world, credential) = fakeapi::demo_world();
//! let api = fakeapi::start(world, Faults::default()).await?;
//! // point the client at api.url() with X-Auth-Token: credential.secret_key
//! # let _ = credential;
//! api.shutdown();
//! # Ok(()) }
//! ```
//!
//! One deliberate unfaithfulness: a list request **without** an organization
//! filter returns the objects of every organization in the world, so a client
//! that forgets the filter visibly leaks another organization's objects.

pub mod demo;
pub mod faults;
pub mod server;
pub mod stats;
pub mod synthetic;
pub mod world;

pub use demo::{demo_world, demo_world_week_before, DEMO_NOW};
pub use faults::{FaultAction, FaultRule, Faults};
pub use server::{start, start_in_thread, start_on, FakeApi, FakeApiHandle};
pub use stats::StatsSnapshot;
pub use synthetic::{churn, synthetic_world, SyntheticSpec};
pub use world::{wire, Credential, OrgWorld, World, ZoneWorld, BLOCK_ZONES, INSTANCE_ZONES};
