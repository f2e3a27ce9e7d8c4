//! One module per subcommand: each turns resolved arguments into output and a status.

pub mod audit;
pub mod diff;
pub mod fake_api;
pub mod history;
pub mod query;
pub mod schema;
pub mod status;
pub mod sync;

use crate::exit::{Failure, Status};

/// Writes a command's output to stdout. A reader that stops early (`inv schema | head`)
/// closes the pipe: that ends the output, it is not a failure of the command.
pub(crate) fn emit(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::new(
            Status::Internal,
            format!("cannot write the output: {error}"),
        )),
    }
}
