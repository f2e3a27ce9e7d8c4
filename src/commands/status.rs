//! `inv status`: what the inventory file holds.

use crate::cli::DbArgs;
use crate::exit::{Failure, Status};

pub fn run(_args: DbArgs) -> Result<Status, Failure> {
    Err(Failure::usage("inv status is not implemented yet"))
}
