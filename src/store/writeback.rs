//! Early write-back of the inventory's files while a sync's transaction is still open.
//!
//! A sync writes its pages into the WAL as the cache spills, then COMMIT checkpoints them
//! into the database file; SQLite makes both durable with an fsync each, at the very end.
//! The kernel would hold those pages dirty until then (its own write-back waits 30 s), so
//! the two fsyncs would write the whole file twice while the user waits: about a tenth of
//! the sync's time. Asking for the write-back as the pages appear, from a thread that
//! fsyncs both files every few tenths of a second, leaves those fsyncs little to do. It
//! changes no guarantee: SQLite still issues its own fsyncs in its own order.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

const PERIOD: Duration = Duration::from_millis(300);

/// Runs until dropped.
pub struct Writeback {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Writeback {
    pub fn start(database: &Path) -> Writeback {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        let files = [PathBuf::from(wal), database.to_path_buf()];
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("inv-writeback".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(PERIOD) {
                    for path in &files {
                        // Best effort: a file not there yet, or an fsync that fails, only
                        // leaves the work to SQLite's own fsync.
                        if let Ok(file) = File::open(path) {
                            let _ = file.sync_data();
                        }
                    }
                }
            })
            .ok();
        Writeback {
            stop: Some(stop),
            thread,
        }
    }
}

impl Drop for Writeback {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
