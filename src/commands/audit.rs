//! `inv audit`: run every saved question and summarise the findings.

use crate::cli::AuditArgs;
use crate::exit::{Failure, Status};

pub fn run(_args: AuditArgs) -> Result<Status, Failure> {
    Err(Failure::usage("inv audit is not implemented yet"))
}
