//! `inv query`: run one saved question or ad-hoc SQL on the inventory.

use crate::cli::QueryArgs;
use crate::exit::{Failure, Status};

pub fn run(_args: QueryArgs) -> Result<Status, Failure> {
    Err(Failure::usage("inv query is not implemented yet"))
}
