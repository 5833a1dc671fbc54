//! JSON Schema validation of documented formats, with Python's `jsonschema`
//! (an implementation independent of assay's own parsing).

use std::path::Path;
use std::process::Command;

const VALIDATE: &str = r#"
import json, sys
from jsonschema.validators import validator_for
schema = json.load(open(sys.argv[1]))
cls = validator_for(schema)  # the schema's own draft ($schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(json.load(open(sys.argv[2]))), key=lambda e: list(e.path))
for e in errors:
    print("/" + "/".join(str(p) for p in e.path), e.message)
sys.exit(1 if errors else 0)
"#;

/// Fails the test when `doc` does not match `schema`. Skips (with a message)
/// only when Python's jsonschema is missing and CI did not require it.
pub fn assert_valid(schema: &Path, doc: &Path) {
    let probe = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("ASSAY_REQUIRE_INTEROP").is_none(),
            "python3 with jsonschema is required"
        );
        eprintln!("skipping schema validation: python3 jsonschema missing");
        return;
    }
    let out = Command::new("python3")
        .args(["-c", VALIDATE])
        .arg(schema)
        .arg(doc)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} does not match {}:\n{}{}",
        doc.display(),
        schema.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
