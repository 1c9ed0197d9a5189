//! Reading NDJSON in batches of lines, with memory bounded whatever the
//! input: a line longer than the record limit is skipped as it is read,
//! never held whole.

use std::io::{self, BufRead};

/// A run of input lines, read together and processed by one worker.
#[derive(Debug, Default)]
pub struct Batch {
    /// The bytes of the lines, back to back.
    pub data: Vec<u8>,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Copy)]
pub struct Line {
    /// 1-based line number in the input.
    pub number: u64,
    pub start: usize,
    pub end: usize,
    /// The line was longer than the limit and was not kept (its size, in bytes).
    pub oversized: Option<usize>,
}

impl Batch {
    pub fn bytes(&self, line: &Line) -> &[u8] {
        &self.data[line.start..line.end]
    }
}

/// Cuts an input into batches of up to `batch_lines` lines / `batch_bytes` bytes.
pub struct LineReader<R> {
    input: R,
    max_line: usize,
    batch_lines: usize,
    batch_bytes: usize,
    line_no: u64,
    done: bool,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R, max_line: usize, batch_lines: usize, batch_bytes: usize) -> Self {
        LineReader {
            input,
            max_line,
            batch_lines: batch_lines.max(1),
            batch_bytes,
            line_no: 0,
            done: false,
        }
    }

    /// The next batch, or `None` at the end of the input. Blank lines are
    /// not records and are not returned.
    pub fn next_batch(&mut self) -> io::Result<Option<Batch>> {
        let mut batch = Batch::default();
        while !self.done && batch.lines.len() < self.batch_lines && batch.data.len() < self.batch_bytes {
            self.read_line(&mut batch)?;
        }
        Ok(if batch.lines.is_empty() { None } else { Some(batch) })
    }

    fn read_line(&mut self, batch: &mut Batch) -> io::Result<()> {
        let start = batch.data.len();
        let mut size = 0usize;
        let mut oversized = false;
        let mut saw_any = false;
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                self.done = true;
                break;
            }
            saw_any = true;
            let (chunk, found_newline) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            size += chunk.len();
            if !oversized && size > self.max_line {
                // Too long to be a record: stop keeping it, but read on to its end.
                oversized = true;
                batch.data.truncate(start);
            }
            if !oversized {
                batch.data.extend_from_slice(chunk);
            }
            let used = chunk.len() + usize::from(found_newline);
            self.input.consume(used);
            if found_newline {
                break;
            }
        }
        if !saw_any {
            return Ok(());
        }
        self.line_no += 1;
        if oversized {
            batch.lines.push(Line {
                number: self.line_no,
                start,
                end: start,
                oversized: Some(size),
            });
            return Ok(());
        }
        let line = &batch.data[start..];
        if line.iter().all(u8::is_ascii_whitespace) {
            batch.data.truncate(start);
            return Ok(());
        }
        let end = batch.data.len() - usize::from(line.ends_with(b"\r"));
        batch.lines.push(Line {
            number: self.line_no,
            start,
            end,
            oversized: None,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], max_line: usize, batch_lines: usize) -> Vec<(u64, Vec<u8>, Option<usize>)> {
        let mut r = LineReader::new(input, max_line, batch_lines, 1 << 20);
        let mut out = Vec::new();
        while let Some(b) = r.next_batch().unwrap() {
            for l in &b.lines {
                out.push((l.number, b.bytes(l).to_vec(), l.oversized));
            }
        }
        out
    }

    #[test]
    fn numbers_lines_and_skips_blank_ones() {
        let got = all(b"a\n\n  \nb\r\nc", 100, 2);
        assert_eq!(
            got,
            vec![
                (1, b"a".to_vec(), None),
                (4, b"b".to_vec(), None),
                (5, b"c".to_vec(), None)
            ]
        );
    }

    #[test]
    fn oversized_lines_are_reported_not_kept() {
        let input = [b"short\n".as_slice(), &[b'x'; 50], b"\nnext\n"].concat();
        let got = all(&input, 10, 100);
        assert_eq!(
            got,
            vec![
                (1, b"short".to_vec(), None),
                (2, Vec::new(), Some(50)),
                (3, b"next".to_vec(), None)
            ]
        );
    }

    #[test]
    fn small_reads_still_split_lines_correctly() {
        let input = b"{\"a\":1}\n{\"b\":2}\n".repeat(100);
        let reader = io::BufReader::with_capacity(3, input.as_slice());
        let mut r = LineReader::new(reader, 100, 7, 1 << 20);
        let mut n = 0;
        while let Some(b) = r.next_batch().unwrap() {
            for l in &b.lines {
                assert!(b.bytes(l) == b"{\"a\":1}" || b.bytes(l) == b"{\"b\":2}");
                n += 1;
            }
        }
        assert_eq!(n, 200);
    }
}
