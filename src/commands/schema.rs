//! `inv schema`: the documentation of every table and column.

use crate::cli::SchemaArgs;
use crate::exit::{Failure, Status};

pub fn run(_args: SchemaArgs) -> Result<Status, Failure> {
    Err(Failure::usage("inv schema is not implemented yet"))
}
