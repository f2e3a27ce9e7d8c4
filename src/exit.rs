//! The documented exit statuses, and the conversion of every error into one of them.

use std::process::ExitCode;

use crate::config::ConfigError;
use crate::history::HistoryError;
use crate::query::QueryError;
use crate::store::StoreError;
use crate::sync::SyncError;

/// Exit statuses (the README lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok = 0,
    Internal = 1,
    Usage = 2,
    /// The sync stored what it could but some scopes failed.
    Partial = 3,
    /// Missing or refused credentials, bad config file or profile.
    Config = 4,
    /// The inventory file cannot be created, read or written.
    Database = 5,
    /// The API could not be read (unreachable, failing).
    Api = 6,
    /// `inv audit --fail-on`: findings at or above the threshold.
    Findings = 7,
    Interrupted = 130,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        ExitCode::from(status as u8)
    }
}

/// An error on its way to the user: one message, one status.
#[derive(Debug)]
pub struct Failure {
    pub status: Status,
    pub message: String,
}

impl Failure {
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Failure::new(Status::Usage, message)
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure::new(Status::Database, error.to_string())
    }
}

impl From<QueryError> for Failure {
    fn from(error: QueryError) -> Self {
        let status = if error.is_database() {
            Status::Database
        } else {
            Status::Usage
        };
        Failure::new(status, error.to_string())
    }
}

impl From<HistoryError> for Failure {
    fn from(error: HistoryError) -> Self {
        let status = if error.is_database() {
            Status::Database
        } else {
            Status::Usage
        };
        Failure::new(status, error.to_string())
    }
}

impl From<ConfigError> for Failure {
    fn from(error: ConfigError) -> Self {
        Failure::new(Status::Config, error.to_string())
    }
}

impl From<SyncError> for Failure {
    fn from(error: SyncError) -> Self {
        use crate::api::ApiError;
        let status = match &error {
            SyncError::Store(_) => Status::Database,
            SyncError::Organization(e) => match e.api_error() {
                Some(ApiError::Unreachable { .. } | ApiError::Timeout { .. }) => Status::Api,
                _ => Status::Config,
            },
            SyncError::Api(ApiError::Unauthorized { .. } | ApiError::Forbidden { .. }) => {
                Status::Config
            }
            SyncError::Api(_) => Status::Api,
            SyncError::Interrupted => Status::Interrupted,
            SyncError::Internal(_) => Status::Internal,
        };
        Failure::new(status, error.to_string())
    }
}
