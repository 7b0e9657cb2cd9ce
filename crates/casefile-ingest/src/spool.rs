//! A cache file written on its own thread.
//!
//! Reading an archive is one thread's work (one deflate or xz stream cannot be split), and
//! copying the decoded bytes into the page cache costs about as much again. The reader hands
//! each member's bytes to the spool and goes on decoding while the spool thread writes the
//! previous ones. The bytes in flight are bounded, so a fast reader waits instead of
//! buffering the archive in memory.
//!
//! Writing leaves most of the spool thread's core idle, so it also runs the index's shallow
//! scan ([`crate::index::scan_text`]) on the members it is asked to: by the time the input
//! is read, most of its index is found, and what the scan found is handed back by
//! [`Spool::finish`] keyed by blob offset. The scan is a pure function of the bytes, so
//! the index is the same whichever thread scanned a member. Asked to, it also decodes the
//! Pods and Events it finds (see [`crate::predecode`]).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

/// How many bytes may wait for the spool thread by default.
pub const DEFAULT_IN_FLIGHT: u64 = 32 << 20;

/// Bytes handed over but not yet written.
#[derive(Debug)]
struct InFlight {
    bytes: Mutex<u64>,
    drained: Condvar,
    cap: u64,
}

impl InFlight {
    fn acquire(&self, n: u64) {
        let mut held = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        // One buffer larger than the cap is let through alone.
        while *held > 0 && held.saturating_add(n) > self.cap {
            held = self
                .drained
                .wait(held)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *held = held.saturating_add(n);
    }

    /// Bytes handed over and not yet done with.
    fn held(&self) -> u64 {
        *self.bytes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn release(&self, n: u64) {
        let mut held = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        *held = held.saturating_sub(n);
        self.drained.notify_all();
    }
}

/// What the spool thread found in one member.
#[derive(Debug)]
pub struct Scanned {
    /// The member's blob offset.
    pub offset: u64,
    /// Its length.
    pub len: u64,
    /// What the index's scan found.
    pub outcome: crate::index::ScanOutcome,
    /// Values decoded ahead, one per object the scan found (empty when none was asked).
    pub decoded: Vec<crate::predecode::Decoded>,
}

/// What the spool thread's scans found, member by member.
pub type Prescanned = Vec<Scanned>;

/// One member handed over: its bytes, and the blob offset to scan it under, if wanted.
type Job = (Vec<u8>, Option<u64>);

/// Appends buffers to a file on a background thread, in the order given.
#[derive(Debug)]
pub struct Spool {
    tx: Option<SyncSender<Job>>,
    in_flight: Arc<InFlight>,
    thread: Option<JoinHandle<io::Result<(File, Prescanned)>>>,
}

impl Spool {
    /// Starts the writer thread for `file`, with at most `in_flight` bytes waiting.
    pub fn new(file: File, in_flight: u64) -> io::Result<Self> {
        Self::with_predecode(file, in_flight, false)
    }

    /// Like [`Spool::new`]; when `predecode`, the objects found in scanned members are also
    /// decoded ahead ([`crate::predecode::decode`]).
    pub fn with_predecode(file: File, in_flight: u64, predecode: bool) -> io::Result<Self> {
        let (tx, rx) = sync_channel::<Job>(1024);
        let shared = Arc::new(InFlight {
            bytes: Mutex::new(0),
            drained: Condvar::new(),
            cap: in_flight.max(1),
        });
        let theirs = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("casefile-spool".into())
            .spawn(move || write_all(file, &rx, &theirs, predecode))?;
        Ok(Self {
            tx: Some(tx),
            in_flight: shared,
            thread: Some(thread),
        })
    }

    /// Queues `buf` for writing; waits while too many bytes are in flight. A write error
    /// is reported by [`Spool::finish`].
    pub fn write(&self, buf: Vec<u8>) {
        self.send(buf, None);
    }

    /// Like [`Spool::write`], and has the spool thread scan the bytes for the index too
    /// (they are stored at blob offset `offset`).
    pub fn write_and_scan(&self, buf: Vec<u8>, offset: u64) {
        self.send(buf, Some(offset));
    }

    fn send(&self, buf: Vec<u8>, scan_at: Option<u64>) {
        if buf.is_empty() {
            return;
        }
        let n = buf.len() as u64;
        self.in_flight.acquire(n);
        let sent = self
            .tx
            .as_ref()
            .is_some_and(|tx| tx.send((buf, scan_at)).is_ok());
        if !sent {
            // The thread is gone (it failed): nothing will drain this buffer.
            self.in_flight.release(n);
        }
    }

    /// Waits for every queued buffer to be written and flushed; returns the file or the
    /// first write error.
    pub fn finish(mut self) -> io::Result<(File, Prescanned)> {
        self.tx.take();
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the cache writer thread panicked")),
            None => Err(io::Error::other("the cache writer already finished")),
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn write_all(
    file: File,
    rx: &Receiver<Job>,
    in_flight: &InFlight,
    predecode: bool,
) -> io::Result<(File, Prescanned)> {
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut failed: Option<io::Error> = None;
    let mut scanned = Prescanned::new();
    for (buf, scan_at) in rx {
        if failed.is_none()
            && let Err(e) = out.write_all(&buf)
        {
            failed = Some(e);
        }
        // The bytes count against the budget until scanned: a slow scan slows the reader
        // rather than piling up members. Keep draining after a failure so the reader never
        // waits forever. Scanning and decoding here are optional work (both are done after
        // reading for what was not done here, to the same result): when writing falls
        // behind, as when the kernel is slow to take page-cache writes, this thread sheds
        // the decoding, then the scan, rather than become what the reader waits for.
        let held = in_flight.held();
        let shed_scan = held > in_flight.cap / 4 * 3;
        let shed_decode = held > in_flight.cap / 2;
        if failed.is_none()
            && !shed_scan
            && let Some(offset) = scan_at
        {
            let outcome = crate::index::scan_text(&buf);
            let decoded = match &outcome {
                Ok(objs) if predecode && !shed_decode => objs
                    .iter()
                    .map(|o| {
                        buf.get(o.start..o.end)
                            .and_then(|text| crate::predecode::decode(o, text))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            scanned.push(Scanned {
                offset,
                len: buf.len() as u64,
                outcome,
                decoded,
            });
        }
        in_flight.release(buf.len() as u64);
    }
    if let Some(e) = failed {
        return Err(e);
    }
    out.flush()?;
    Ok((
        out.into_inner().map_err(io::IntoInnerError::into_error)?,
        scanned,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Read;

    #[test]
    fn writes_in_order_with_a_small_budget() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blob");
        let spool = Spool::new(File::create(&path).unwrap(), 8).unwrap();
        let mut want = Vec::new();
        for i in 0..500u32 {
            // Buffers both under and over the 8-byte budget.
            let buf: Vec<u8> = (0..(i % 17)).map(|k| (i + k) as u8).collect();
            want.extend_from_slice(&buf);
            spool.write(buf);
        }
        drop(spool.finish().unwrap().0);
        let mut got = Vec::new();
        File::open(&path).unwrap().read_to_end(&mut got).unwrap();
        assert_eq!(got, want);
    }

    #[test]
    fn members_asked_for_are_scanned_under_their_offset() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(File::create(dir.path().join("blob")).unwrap(), 1 << 20).unwrap();
        let pod = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n".to_vec();
        let log = b"2024-03-20T10:00:00Z hello\n".to_vec();
        let (pod_len, log_len) = (pod.len() as u64, log.len() as u64);
        spool.write(log.clone());
        spool.write_and_scan(pod, log_len);
        spool.write_and_scan(b"{broken".to_vec(), log_len + pod_len);
        let (_, scanned) = spool.finish().unwrap();
        assert_eq!(scanned.len(), 2, "only the members asked for");
        let first = &scanned[0];
        assert_eq!((first.offset, first.len), (log_len, pod_len));
        assert_eq!(
            first.outcome.as_ref().unwrap()[0].name.as_deref(),
            Some("a")
        );
        assert!(first.decoded.is_empty(), "nothing decoded unless asked");
        assert_eq!(scanned[1].offset, log_len + pod_len);
        assert!(
            scanned[1].outcome.is_err(),
            "a scan error is kept for the index to report"
        );
    }

    #[test]
    fn a_spool_behind_its_budget_sheds_decoding_and_scanning_but_never_writing() {
        const POD: &[u8] = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n";
        let run = |budget: u64| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("blob");
            let spool = Spool::with_predecode(File::create(&path).unwrap(), budget, true).unwrap();
            for i in 0..4u64 {
                spool.write_and_scan(POD.to_vec(), i * POD.len() as u64);
            }
            let (_, scanned) = spool.finish().unwrap();
            (std::fs::read(&path).unwrap(), scanned)
        };
        // Room to spare: every member scanned, its Pod decoded ahead.
        let (written, scanned) = run(1 << 20);
        assert_eq!(written, POD.repeat(4));
        assert_eq!(scanned.len(), 4);
        assert!(
            scanned
                .iter()
                .all(|s| s.decoded.len() == 1 && s.decoded[0].is_some())
        );
        // Every member alone over the budget: nothing optional is done, everything written.
        let (written, scanned) = run(1);
        assert_eq!(written, POD.repeat(4));
        assert!(scanned.is_empty(), "{} scanned", scanned.len());
    }

    #[test]
    fn a_write_error_is_reported_at_finish_and_never_blocks() {
        // /dev/full accepts opens and fails every write with ENOSPC.
        let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            return;
        };
        let spool = Spool::new(full, 4).unwrap();
        for _ in 0..100 {
            spool.write(vec![7u8; 3 << 20]);
        }
        let err = spool.finish().unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28), "{err}");
    }
}
