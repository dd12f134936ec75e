//! CSV from bytes: encoding detection, RFC 4180 parsing, per-cell decoding.
//!
//! Encoding: a UTF-8 byte-order mark means UTF-8; a UTF-16 one UTF-16; bytes that are valid
//! UTF-8 are UTF-8; anything else is GBK (decoded as GB 18030, its superset), which is what
//! Chinese Excel and WPS write. In a GBK file, a cell whose bytes are valid UTF-8 with CJK
//! characters is marked as mixed encoding (a GBK text practically never is), and bytes GBK
//! cannot decode become U+FFFD, which the validation reports.
//!
//! Parsing works on bytes before decoding: the quote, the delimiters and the line ends are
//! ASCII, and GBK's second bytes never take those values, so one parser serves both. The
//! delimiter is a comma, or a tab or a semicolon when the first line has more of those.
//! Quoted fields may hold delimiters, doubled quotes and line breaks; one record is one
//! spreadsheet row, so row numbers match what Excel shows.

use super::check_size;
use crate::directory::issue::{ImportIssue, IssueCode};
use crate::directory::validate::{CellPosition, Table, TextEncoding};

/// Reads a CSV file. Fails only on an unterminated quoted field (or an oversized file).
pub fn read_csv(bytes: &[u8]) -> Result<Table, ImportIssue> {
    check_size(bytes)?;
    let (encoding, utf8_owned) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (TextEncoding::Utf8Bom, Some(rest.to_vec()))
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        (TextEncoding::Utf16Le, Some(text.into_owned().into_bytes()))
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        (TextEncoding::Utf16Be, Some(text.into_owned().into_bytes()))
    } else if std::str::from_utf8(bytes).is_ok() {
        (TextEncoding::Utf8, None)
    } else {
        (TextEncoding::Gbk, None)
    };
    let body: &[u8] = utf8_owned.as_deref().unwrap_or(bytes);
    let records = parse_records(body)?;
    let mut table = Table {
        rows: Vec::with_capacity(records.len()),
        encoding: Some(encoding),
        mixed_encoding_cells: Vec::new(),
    };
    for (row_index, record) in records.into_iter().enumerate() {
        let mut row = Vec::with_capacity(record.len());
        for (column, cell) in record.into_iter().enumerate() {
            let text = if encoding == TextEncoding::Gbk && !cell.is_ascii() {
                match std::str::from_utf8(&cell) {
                    Ok(text) if text.chars().any(|c| u32::from(c) >= 0x800) => {
                        table.mixed_encoding_cells.push(CellPosition {
                            row: row_index as u32 + 1,
                            column: column as u32,
                        });
                        text.to_owned()
                    }
                    _ => encoding_rs::GBK
                        .decode_without_bom_handling(&cell)
                        .0
                        .into_owned(),
                }
            } else {
                String::from_utf8_lossy(&cell).into_owned()
            };
            row.push(text);
        }
        table.rows.push(row);
    }
    Ok(table)
}

fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in bytes {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[1] > counts[0] && counts[1] >= counts[2] {
        b'\t'
    } else if counts[2] > counts[0] && counts[2] > counts[1] {
        b';'
    } else {
        b','
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Splits CSV bytes into records of cells (still bytes).
fn parse_records(bytes: &[u8]) -> Result<Vec<Vec<Vec<u8>>>, ImportIssue> {
    let delimiter = sniff_delimiter(bytes);
    let mut records = Vec::new();
    let mut record: Vec<Vec<u8>> = Vec::new();
    let mut field = Vec::new();
    let mut state = State::FieldStart;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        index += 1;
        let line_end = byte == b'\n' || byte == b'\r';
        if line_end && state != State::Quoted {
            if byte == b'\r' && bytes.get(index) == Some(&b'\n') {
                index += 1;
            }
            record.push(std::mem::take(&mut field));
            records.push(std::mem::take(&mut record));
            state = State::FieldStart;
            continue;
        }
        state = match (state, byte) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => {
                field.push(byte);
                State::Quoted
            }
            (State::QuoteInQuoted, b'"') => {
                field.push(b'"');
                State::Quoted
            }
            (State::FieldStart, b'"') => State::Quoted,
            (_, byte) if byte == delimiter => {
                record.push(std::mem::take(&mut field));
                State::FieldStart
            }
            // Lenient: text after a closing quote, or a quote inside an unquoted field, is kept.
            (_, byte) => {
                field.push(byte);
                State::Unquoted
            }
        };
    }
    match state {
        State::Quoted => {
            let row = records.len() as u32 + 1;
            return Err(ImportIssue {
                row: Some(row),
                column: Some(crate::directory::issue::ColumnRef {
                    letter: crate::directory::issue::column_letter(record.len() as u32),
                    header: String::new(),
                }),
                code: IssueCode::MalformedCsv,
                message_zh: "CSV 格式错误：引号没有闭合，文件可能不完整".to_owned(),
                message_en: "malformed CSV: a quoted field is never closed".to_owned(),
            });
        }
        State::FieldStart if record.is_empty() && field.is_empty() => {}
        _ => {
            record.push(field);
            records.push(record);
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
        read_csv(bytes).unwrap().rows
    }

    #[test]
    fn rfc4180_quoting() {
        assert_eq!(
            cells(b"a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\n"),
            vec![
                vec!["a".to_owned(), "b,c".into(), "say \"hi\"".into()],
                vec!["two\nlines".to_owned(), "".into(), "x".into()],
            ]
        );
    }

    #[test]
    fn blank_lines_keep_row_numbers() {
        assert_eq!(
            cells(b"h\n\nv"),
            vec![
                vec!["h".to_owned()],
                vec!["".to_owned()],
                vec!["v".to_owned()]
            ]
        );
    }

    #[test]
    fn tabs_and_semicolons_are_sniffed() {
        assert_eq!(
            cells(b"a\tb\tc,d\n")[0],
            vec!["a".to_owned(), "b".into(), "c,d".into()]
        );
        assert_eq!(cells(b"a;b;c\n")[0].len(), 3);
    }

    #[test]
    fn encodings_are_detected() {
        let utf8 = "名称,代码\n丰都,1\n";
        assert_eq!(
            read_csv(utf8.as_bytes()).unwrap().encoding,
            Some(TextEncoding::Utf8)
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(utf8.as_bytes());
        let table = read_csv(&bom).unwrap();
        assert_eq!(table.encoding, Some(TextEncoding::Utf8Bom));
        assert_eq!(table.rows[0][0], "名称");
        let (gbk, _, _) = encoding_rs::GBK.encode(utf8);
        let table = read_csv(&gbk).unwrap();
        assert_eq!(table.encoding, Some(TextEncoding::Gbk));
        assert_eq!(table.rows[1][0], "丰都");
        assert!(table.mixed_encoding_cells.is_empty());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(utf8.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read_csv(&utf16).unwrap().rows[1][0], "丰都");
    }

    #[test]
    fn utf8_cells_in_a_gbk_file_are_marked() {
        let (mut bytes, _, _) = encoding_rs::GBK.encode("名称,代码\n丰都,1\n");
        bytes.to_mut().extend_from_slice("名山,2\n".as_bytes());
        let table = read_csv(&bytes).unwrap();
        assert_eq!(
            table.mixed_encoding_cells,
            vec![CellPosition { row: 3, column: 0 }]
        );
    }

    #[test]
    fn an_unterminated_quote_is_an_error_with_its_row() {
        let issue = read_csv(b"a,b\n1,\"open\n").unwrap_err();
        assert_eq!(issue.code, IssueCode::MalformedCsv);
        assert_eq!(issue.row, Some(2));
    }
}
