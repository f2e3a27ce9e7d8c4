//! Helpers shared by the integration tests: temporary folders and the built binary.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `inv` binary built for these tests, with a clean environment: no SCW_* variable,
/// no INV_* variable and an empty HOME, so that nothing on the machine leaks in.
pub fn inv(home: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inv"));
    for (name, _) in std::env::vars() {
        if name.starts_with("SCW_")
            || name.starts_with("INV_")
            || name.starts_with("SCALEWAY_")
            || name == "RUST_LOG"
        {
            command.env_remove(name);
        }
    }
    command.env("HOME", home).env_remove("XDG_CONFIG_HOME");
    command
}

/// Runs a command and returns its output, with stdout and stderr as text.
pub fn run(command: &mut Command) -> (Output, String, String) {
    let output = command.output().expect("the inv binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    (output, stdout, stderr)
}

/// A temporary folder that is removed at the end of the test.
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

#[allow(dead_code)]
pub fn db_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("inventory.db")
}
