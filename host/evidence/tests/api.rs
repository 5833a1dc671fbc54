//! The public API end to end: every format through `parse` and `locate`,
//! warnings, and inputs big enough to show the streaming paths.

use assay_evidence::{locate, parse, Format, Limits, ParseError, Position, Warning};

fn pos(line: u32, column: u32) -> Option<Position> {
    Some(Position { line, column })
}

#[test]
fn bom_is_stripped_with_a_warning_and_json_keeps_its_bytes() {
    let text = b"\xEF\xBB\xBF{\n  \"a\": [1, 2]\n}";
    let parsed = parse(text, Format::Json, &Limits::default()).unwrap();
    assert_eq!(parsed.warnings, vec![Warning::BomStripped]);
    assert_eq!(parsed.documents[0].json.as_bytes(), &text[3..]);
    assert_eq!(parsed.warnings[0].code(), "bom_stripped");
    // The BOM is not a column.
    assert_eq!(locate(text, Format::Json, 0, "/a/1"), pos(2, 12));
    assert_eq!(locate(text, Format::Json, 0, ""), pos(1, 1));
    assert_eq!(locate(text, Format::Json, 1, ""), None);
}

#[test]
fn crlf_is_noted_for_line_based_formats() {
    let parsed = parse(b"a\r\nb\r\n", Format::Text, &Limits::default()).unwrap();
    assert_eq!(parsed.warnings, vec![Warning::CrlfLineEndings { line: 1 }]);
    assert_eq!(parsed.documents[0].json, r#"{"lines":["a","b"]}"#);
    let parsed = parse(b"a: 1\nb: 2\r\n", Format::Yaml, &Limits::default()).unwrap();
    assert_eq!(parsed.warnings, vec![Warning::CrlfLineEndings { line: 2 }]);
    assert_eq!(parsed.documents[0].json, r#"{"a":1,"b":2}"#);
    let parsed = parse(b"{\r\n}", Format::Json, &Limits::default()).unwrap();
    assert!(parsed.warnings.is_empty());
}

#[test]
fn every_format_locates_a_pointer_to_a_line() {
    let yaml = b"a: 1\n---\nitems:\n  - name: x\n  - name: y\n";
    assert_eq!(locate(yaml, Format::Yaml, 1, "/items/1/name"), pos(5, 11));
    assert_eq!(
        locate(yaml, Format::Yaml, 1, "/items/1/name/deeper"),
        pos(5, 11)
    );
    assert_eq!(locate(yaml, Format::Yaml, 2, ""), None);
    let jsonl = b"\n{\"a\": 1}\n{\"a\": 2}\n";
    assert_eq!(locate(jsonl, Format::JsonLines, 0, "/1/a"), pos(3, 7));
    let csv = b"a,b\n\"1\n2\",3\n4,5\n";
    assert_eq!(locate(csv, Format::Csv, 0, "/1"), pos(4, 1));
    assert_eq!(locate(csv, Format::Csv, 0, "/1/b"), pos(4, 3));
    assert_eq!(locate(csv, Format::Csv, 0, "/0/b"), pos(3, 4));
    let md = b"---\ntitle: x\n---\nfirst\nsecond\n";
    assert_eq!(locate(md, Format::Markdown, 0, "/lines/1"), pos(5, 1));
    assert_eq!(
        locate(md, Format::Markdown, 0, "/frontMatter/title"),
        pos(2, 8)
    );
    let text = b"one\ntwo\nthree\n";
    assert_eq!(locate(text, Format::Text, 0, "/lines/2"), pos(3, 1));
    assert_eq!(locate(text, Format::Text, 0, "/lines/3"), None);
    assert_eq!(locate(text, Format::Text, 0, "lines"), None);
}

#[test]
fn big_csv_and_json_lines_convert_in_one_pass() {
    let rows = 200_000;
    let mut csv = String::from("id,email,note\n");
    let mut jsonl = String::new();
    for i in 0..rows {
        csv.push_str(&format!("{i},user{i}@example.com,\"a, b\"\n"));
        jsonl.push_str(&format!(
            "{{\"id\": {i}, \"email\": \"user{i}@example.com\"}}\n"
        ));
    }
    let parsed = parse(csv.as_bytes(), Format::Csv, &Limits::default()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&parsed.documents[0].json).unwrap();
    assert_eq!(value.as_array().unwrap().len(), rows);
    assert_eq!(value[rows - 1]["note"], "a, b");
    assert_eq!(
        locate(csv.as_bytes(), Format::Csv, 0, &format!("/{}", rows - 1)),
        pos(u32::try_from(rows + 1).unwrap(), 1)
    );
    let parsed = parse(jsonl.as_bytes(), Format::JsonLines, &Limits::default()).unwrap();
    // The output is the lines themselves plus brackets and commas.
    assert_eq!(parsed.documents[0].json.len(), jsonl.len() + 1);
}

#[test]
fn errors_carry_codes_and_positions() {
    let e = parse(b"a,b\n1\n2\n3,4\n", Format::Csv, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "bad_rows");
    // Every bad row is named, so one run shows them all.
    assert_eq!(
        e.to_string(),
        "2 bad rows in csv: line 2:1: expected 2 fields as in the header, found 1; \
         line 3:1: expected 2 fields as in the header, found 1"
    );
    let e = parse(b"x: [1\n", Format::Yaml, &Limits::default()).unwrap_err();
    assert!(
        matches!(
            e,
            ParseError::Syntax {
                format: Format::Yaml,
                ..
            }
        ),
        "{e}"
    );
    let e = parse(b"ok\n\xff\n", Format::Text, &Limits::default()).unwrap_err();
    assert_eq!(e, ParseError::NotUtf8 { line: 2, column: 1 });
}
