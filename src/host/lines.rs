//! Validation of many values given as bytes: newline-separated text (a file's lines, a host's
//! buffer) in, one status byte per value out. A host that would otherwise create or read one
//! string object per value (JavaScript, Python) hands over one buffer instead.
//!
//! Status 0 means valid; any other status `n` is the code `status_table()[n]` (the catalogue's
//! order, so the table belongs to a build: hosts read it from the same build, never hard-code
//! numbers).

use super::{ValueKind, check};
use crate::{Cnpj, Cpf, Document, ErrorCode};

/// The code of one value, `None` when valid. Documents take the core's allocation-free check,
/// valid or not (no message is built, as a status byte carries none).
pub fn code_of(kind: ValueKind, input: &str) -> Option<ErrorCode> {
    match kind {
        ValueKind::Cpf => Cpf::error_code(input),
        ValueKind::Cnpj => Cnpj::error_code(input),
        ValueKind::Document => Document::error_code(input),
        _ => check(kind, input).err().map(|e| e.code),
    }
}

/// The codes of the status bytes: entry 0 is `None` (valid), entry `n` the code of status `n`.
///
/// ```
/// use realestate_crm::host::lines::{status_table, statuses};
/// use realestate_crm::host::ValueKind;
/// let s = statuses(ValueKind::Cpf, b"529.982.247-25\n529.982.247-24\n");
/// assert_eq!(s[0], 0);
/// assert_eq!(status_table()[s[1] as usize], Some("validation.cpf.check_digit"));
/// ```
pub fn status_table() -> Vec<Option<&'static str>> {
    std::iter::once(None)
        .chain(ErrorCode::ALL.iter().map(|c| Some(c.as_str())))
        .collect()
}

/// The status byte of a code.
pub fn status_of(code: ErrorCode) -> u8 {
    // `ALL` is in declaration order, so a code's discriminant is its index there.
    u8::try_from(code as usize + 1).unwrap_or(u8::MAX)
}

/// The lines of a buffer: split on `\n`, a trailing `\r` dropped, a final empty line (the
/// buffer's closing newline) not counted.
pub fn lines(data: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = data
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    if data.is_empty() || data.ends_with(b"\n") {
        out.pop();
    }
    out
}

/// Below this many bytes a buffer is checked on the calling thread.
const PARALLEL_FROM_BYTES: usize = 256 * 1024;

fn status_line(kind: ValueKind, line: &[u8], json: u8) -> u8 {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if kind == ValueKind::Cpf {
        // The common spellings straight from the bytes: no UTF-8 check, no text.
        if let Some(verdict) = Cpf::error_code_common(line) {
            return verdict.map_or(0, status_of);
        }
    }
    match std::str::from_utf8(line) {
        Ok(text) => code_of(kind, text).map_or(0, status_of),
        Err(_) => json,
    }
}

fn statuses_of(kind: ValueKind, body: &[u8], out: &mut Vec<u8>) {
    let json = status_of(ErrorCode::Json);
    out.extend(
        body.split(|b| *b == b'\n')
            .map(|l| status_line(kind, l, json)),
    );
}

/// One status byte per line of `data` (see the module docs and [`lines`]); a line that is not
/// UTF-8 is `input.json`. A large buffer is cut at line ends into one piece per core, each
/// checked on its own thread, with no list of lines built.
pub fn statuses(kind: ValueKind, data: &[u8]) -> Vec<u8> {
    if data.is_empty() {
        return Vec::new();
    }
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || body.len() < PARALLEL_FROM_BYTES {
        let mut out = Vec::new();
        statuses_of(kind, body, &mut out);
        return out;
    }
    // Piece boundaries: the newline at or after each even cut.
    let mut pieces: Vec<&[u8]> = Vec::with_capacity(threads);
    let mut start = 0;
    for t in 1..threads {
        let cut = (body.len() * t / threads).max(start);
        let end = body
            .get(cut..)
            .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
            .map(|p| cut + p);
        if let Some(end) = end {
            pieces.push(body.get(start..end).unwrap_or_default());
            start = end + 1;
        }
    }
    pieces.push(body.get(start..).unwrap_or_default());
    std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .iter()
            .map(|piece| {
                scope.spawn(move || {
                    let mut out = Vec::with_capacity(piece.len() / 8);
                    statuses_of(kind, piece, &mut out);
                    out
                })
            })
            .collect();
        let mut out = Vec::with_capacity(body.len() / 8);
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_status_in_the_table() {
        let table = status_table();
        assert!(table.len() <= 256, "the codes still fit a byte");
        for c in ErrorCode::ALL {
            assert_eq!(table[usize::from(status_of(*c))], Some(c.as_str()));
        }
    }

    #[test]
    fn lines_split_like_a_text_file() {
        assert_eq!(lines(b"a\nb\r\n\nc").len(), 4);
        assert_eq!(lines(b"a\nb\n").len(), 2);
        assert_eq!(lines(b"").len(), 0);
        assert_eq!(lines(b"\n").len(), 1);
    }

    #[test]
    fn large_buffers_keep_their_lines_in_order() {
        let mut data = Vec::new();
        for i in 0..200_000 {
            data.extend_from_slice(if i % 3 == 0 {
                b"529.982.247-25\r\n"
            } else {
                b"1\n"
            });
        }
        let s = statuses(ValueKind::Cpf, &data);
        assert_eq!(s.len(), 200_000);
        assert!(s.iter().enumerate().all(|(i, b)| (*b == 0) == (i % 3 == 0)));
        assert_eq!(lines(&data).len(), s.len());
    }

    #[test]
    fn statuses_index_the_table_and_agree_with_check() {
        let table = status_table();
        assert_eq!(table.len(), ErrorCode::ALL.len() + 1);
        assert!(ErrorCode::ALL.len() < 255);
        let s = statuses(ValueKind::Cpf, b"529.982.247-25\n529.982.247-24\n\xff\n\n");
        let codes: Vec<Option<&str>> = s
            .iter()
            .map(|b| table.get(*b as usize).copied().flatten())
            .collect();
        assert_eq!(
            codes,
            vec![
                None,
                Some("validation.cpf.check_digit"),
                Some("input.json"),
                Some("validation.cpf.empty")
            ]
        );
        for kind in [ValueKind::Cnpj, ValueKind::Document, ValueKind::Phone] {
            for v in [
                "11.222.333/0001-81",
                "11.222.333/0001-82",
                "529.982.247-25",
                "x",
                "",
            ] {
                assert_eq!(
                    code_of(kind, v),
                    check(kind, v).err().map(|e| e.code),
                    "{v}"
                );
            }
        }
    }
}
