//! Early write-back of the inventory's files while a sync's transaction is still open.
//!
//! A sync writes its pages into the WAL as the cache spills, then COMMIT checkpoints them
//! into the database file; SQLite makes both durable with an fsync each, at the very end.
//! The kernel would hold those pages dirty until then (its own write-back waits 30 s), so
//! the two fsyncs would write the whole file twice while the user waits: about a tenth of
//! the sync's time. Asking for the write-back as the pages appear, from a thread that
//! fsyncs both files every few tenths of a second, leaves those fsyncs little to do. It
//! changes no guarantee: SQLite still issues its own fsyncs in its own order.
//!
//! Why each file is opened once and closed only after SQLite's connection: SQLite locks
//! the database with POSIX advisory locks, which belong to the process, and closing *any*
//! descriptor of the file releases them all (SQLite's "How To Corrupt", §2.2). A
//! descriptor closed while the sync's connection is open would silently drop its locks: a
//! second sync could then write at the same time, and another process closing the file
//! could delete the WAL under the open transaction.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

const PERIOD: Duration = Duration::from_millis(300);

/// Runs until dropped; must be dropped after the connection to the database has closed.
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
                let mut open: [Option<File>; 2] = [None, None];
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(PERIOD) {
                    for (path, file) in files.iter().zip(open.iter_mut()) {
                        if file.is_none() {
                            *file = File::open(path).ok();
                        }
                        // Best effort: a file not there yet, or an fsync that fails, only
                        // leaves the work to SQLite's own fsync.
                        if let Some(file) = file {
                            let _ = file.sync_data();
                        }
                    }
                }
                // The descriptors close here, when the writer is dropped: after its
                // connection.
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
