//! Rego plugins: authored outside the workspace with nothing but `assay`,
//! refused with file and line when broken, held by the same sandbox limits
//! as Rust plugins, and (for the Rego port of `transmission`) giving the
//! Rust plugin's findings on its corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use assay::policy::Limits;
use assay::runtime::{EvaluationInput, PluginFailure, Runtime};

use crate::support;

/// A directory outside the workspace (the system temp dir), so nothing can
/// find the assay sources or a cargo workspace above it.
fn outside_workspace(name: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix(name).tempdir().unwrap();
    assert!(
        !dir.path().starts_with(support::workspace()),
        "the temp dir must be outside the workspace"
    );
    dir
}

/// `assay` run in `dir` with an empty PATH: no cargo, no rustc, no opa.
fn assay_alone(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_assay"))
        .current_dir(dir)
        .env_clear()
        .env("PATH", "")
        .env("NO_COLOR", "1")
        .env("ASSAY_CACHE_DIR", dir.join(".assay-cache"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_rego_policy_from_a_teams_own_repository_end_to_end() {
    let repo = outside_workspace("security-policies-");
    let dir = repo.path();
    let steps: &[&[&str]] = &[
        &[
            "new",
            "plugin",
            "owner-check",
            "--lang",
            "rego",
            "--dir",
            ".",
        ],
        &["plugin", "build", "owner-check"],
    ];
    for args in steps {
        let out = assay_alone(dir, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
    }
    let out = assay_alone(dir, &["test", "owner-check/corpus"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout.contains("2 passed, 0 failed, 0 errors") && stdout.contains("1/1 rules"),
        "{stdout}"
    );

    std::fs::create_dir_all(dir.join("policies")).unwrap();
    std::fs::write(
        dir.join("policies/owner.toml"),
        format!(
            "name = \"ownership\"\nversion = \"1.0.0\"\n\n[[plugin]]\npath = \"../target/plugins/owner-check.wasm\"\nsha256 = \"{}\"\n[plugin.parameters]\nmin_owners = 1\n",
            "0".repeat(64)
        ),
    )
    .unwrap();
    let steps: &[&[&str]] = &[
        &["policy", "pin", "policies/owner.toml"],
        &["keygen", "--out", "security"],
        &[
            "policy",
            "pack",
            "policies/owner.toml",
            "--out",
            "owner.pack.json",
        ],
        &["policy", "sign", "owner.pack.json", "--key", "security.key"],
    ];
    for args in steps {
        let out = assay_alone(dir, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
    }
    let eval = |case: &str| {
        assay_alone(
            dir,
            &[
                "eval",
                "--bundle",
                &format!("owner-check/corpus/{case}/bundle"),
                "--policy-pack",
                "owner.pack.json",
                "--trust",
                "security.pub",
            ],
        )
    };
    let failing = eval("fail-no-owner");
    assert_eq!(failing.status.code(), Some(1), "{}", text(&failing));
    let stdout = String::from_utf8_lossy(&failing.stdout);
    assert!(
        stdout.contains("owner-check/model-owner")
            && stdout.contains("the model card names 0 owner(s); at least 1 required")
            && stdout.contains("evidence/model-card.json:4")
            && stdout.contains("verdict: FAILED"),
        "{stdout}"
    );
    let passing = eval("pass-owner-named");
    assert_eq!(passing.status.code(), Some(0), "{}", text(&passing));
}

/// Writes the scaffolded plugin with `edit` applied to its policy.
fn scaffold_with(dir: &Path, edit: impl Fn(&str) -> String) -> PathBuf {
    let out = assay_alone(
        dir,
        &[
            "new",
            "plugin",
            "owner-check",
            "--lang",
            "rego",
            "--dir",
            ".",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let policy = dir.join("owner-check/owner_check.rego");
    let source = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, edit(&source)).unwrap();
    policy
}

/// `assay plugin build owner-check` in `dir`, which must refuse (exit 2);
/// its stderr.
fn refused_build(dir: &Path) -> String {
    let out = assay_alone(dir, &["plugin", "build", "owner-check"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_policy_that_does_not_parse_is_refused_with_file_and_line() {
    let repo = outside_workspace("broken-rego-");
    scaffold_with(repo.path(), |s| {
        s.replace("owners < input.parameters.min_owners", "owners < < 1")
    });
    let stderr = refused_build(repo.path());
    // The comparison is on line 30 of the scaffolded policy.
    assert!(
        stderr.contains("does not compile") && stderr.contains("owner_check.rego:30:"),
        "{stderr}"
    );
    assert!(
        !repo.path().join("target/plugins/owner-check.wasm").exists(),
        "nothing is written for a broken policy"
    );
}

#[test]
fn incomplete_annotations_are_refused_with_every_problem() {
    let repo = outside_workspace("annotations-");
    scaffold_with(repo.path(), |s| {
        s.replace("#   severity: medium\n", "")
            .replace("#   version: 0.1.0\n", "")
    });
    let stderr = refused_build(repo.path());
    assert!(
        stderr.contains("owner_check.rego:1:") && stderr.contains("`version`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`severity`"),
        "both problems in one run: {stderr}"
    );
}

#[test]
fn an_undefined_reference_is_refused_at_build_time() {
    let repo = outside_workspace("undefined-");
    scaffold_with(repo.path(), |s| {
        s.replace(
            "assay.documents(\"model-card\")",
            "assay.documentz(\"model-card\")",
        )
    });
    let stderr = refused_build(repo.path());
    assert!(stderr.contains("owner_check.rego:"), "{stderr}");
}

#[test]
fn rego_components_are_reproducible_and_import_nothing() {
    let repo = outside_workspace("repro-");
    scaffold_with(repo.path(), str::to_owned);
    let mut digests = Vec::new();
    for out_dir in ["a", "b"] {
        let out = assay_alone(
            repo.path(),
            &["plugin", "build", "owner-check", "--out-dir", out_dir],
        );
        assert!(out.status.success(), "{}", text(&out));
        digests.push(support::sha256_file(
            &repo.path().join(out_dir).join("owner-check.wasm"),
        ));
    }
    assert_eq!(digests[0], digests[1]);
    let out = assay_alone(repo.path(), &["plugin", "inspect", "a/owner-check.wasm"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("imports    none"), "{stdout}");
    assert!(stdout.contains("owner-check/model-owner"), "{stdout}");

    // The digest covers the policy: one changed character changes it.
    scaffold_again_with_other_message(repo.path());
    let out = assay_alone(
        repo.path(),
        &["plugin", "build", "owner-check", "--out-dir", "c"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_ne!(
        support::sha256_file(&repo.path().join("c/owner-check.wasm")),
        digests[0]
    );
}

fn scaffold_again_with_other_message(dir: &Path) {
    let policy = dir.join("owner-check/owner_check.rego");
    let source = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, source.replace("owner(s)", "owners")).unwrap();
}

/// Builds a Rego plugin from `source` in a temp dir and loads it.
fn load_rego(runtime: &Runtime, source: &str) -> assay::runtime::LoadedPlugin {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.rego"), source).unwrap();
    let (bytes, _) = assay::rego::component(dir.path()).unwrap();
    runtime.load(&dir.path().join("p.wasm"), &bytes).unwrap()
}

const HEADER: &str = "# METADATA\n# description: hostile\n# custom:\n#   id: hostile-rego\n#   version: 0.1.0\n#   evidence_kinds: [x]\npackage hostile\n\n";
const RULE: &str =
    "# METADATA\n# title: t\n# description: d\n# custom:\n#   severity: low\n#   remediation: r\n";

fn empty_input() -> EvaluationInput<'static> {
    EvaluationInput {
        deployment: "{}".into(),
        evidence: Vec::new(),
        parameters: "{}".into(),
        evaluation_time: "2026-12-01T00:00:00Z".into(),
    }
}

#[test]
fn a_runaway_rego_policy_is_stopped_by_the_sandbox() {
    let runtime = Runtime::new().unwrap();
    // Nine million iterations over two small ranges: far past the fuel
    // budget below, in little memory.
    let plugin = load_rego(
        &runtime,
        &format!("{HEADER}{RULE}spin contains a if {{\n  some a in numbers.range(1, 3000)\n  some b in numbers.range(1, 3000)\n  a * b < 0\n}}\n"),
    );
    let limits = Limits {
        fuel: 50_000_000,
        ..assay::policy::DEFAULT_LIMITS
    };
    match runtime.evaluate(&plugin, &empty_input(), &limits) {
        Err(PluginFailure::OutOfFuel { .. }) => {}
        other => panic!("expected out of fuel, got {other:?}"),
    }
    // A policy that builds a huge value hits the memory cap, not the host.
    let plugin = load_rego(
        &runtime,
        &format!("{HEADER}{RULE}hog contains x if {{\n  x := count([y | some y in numbers.range(1, 50000000)])\n  x < 0\n}}\n"),
    );
    let limits = Limits {
        memory_mib: 64,
        fuel: u64::MAX / 2,
        ..assay::policy::DEFAULT_LIMITS
    };
    match runtime.evaluate(&plugin, &empty_input(), &limits) {
        Err(PluginFailure::MemoryLimit { .. } | PluginFailure::Timeout { .. }) => {}
        other => panic!("expected the memory cap or the deadline, got {other:?}"),
    }
}

#[test]
fn a_finding_without_a_message_is_an_error_not_a_pass() {
    let runtime = Runtime::new().unwrap();
    // A valid set rule, but its element has no `message`.
    let plugin = load_rego(
        &runtime,
        &format!("{HEADER}{RULE}odd contains {{\"text\": \"no message field\"}} if true\n"),
    );
    match runtime.evaluate(&plugin, &empty_input(), &assay::policy::DEFAULT_LIMITS) {
        Err(PluginFailure::Internal { message }) => {
            assert!(message.contains("rule `odd`"), "{message}")
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

/// The report of `plugin` (one-plugin policy set) on `bundle`, as JSON,
/// with the plugin's identity (component path and digest, policy digest)
/// taken out and findings in a canonical order (Rego sets are sorted, Rust
/// plugins report in the order they derive links).
fn report_without_identity(
    runtime: &Runtime,
    plugin: &Path,
    bundle: &Path,
    at: &str,
) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        format!(
            "name = \"parity\"\nversion = \"1.0.0\"\n\n[[plugin]]\npath = \"{}\"\nsha256 = \"{}\"\n",
            plugin.display(),
            support::sha256_file(plugin)
        ),
    )
    .unwrap();
    let options = assay::bundle::LoadOptions {
        bind_subjects: false,
        ..Default::default()
    };
    let bundle = assay::bundle::Bundle::load(bundle, &options).unwrap();
    let prepared =
        assay::evaluate::prepare(runtime, assay::policy::PolicySet::load(&policy).unwrap())
            .unwrap();
    let eval_options = assay::evaluate::EvalOptions {
        at: time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .unwrap(),
        ..Default::default()
    };
    let report = assay::evaluate::evaluate(runtime, &prepared, &bundle, &eval_options);
    let mut json = serde_json::to_value(&report).unwrap();
    json.as_object_mut().unwrap().remove("policy");
    for plugin in json["plugins"].as_array_mut().unwrap() {
        plugin.as_object_mut().unwrap().remove("component");
        let findings = plugin["findings"].as_array_mut().unwrap();
        findings.sort_by_key(|f| f.to_string());
    }
    json
}

#[test]
fn the_rego_port_of_transmission_gives_the_rust_plugins_findings_on_its_corpus() {
    let runtime = Runtime::new().unwrap();
    let rust = support::plugin("transmission");
    let out = tempfile::tempdir().unwrap();
    let rego = assay::rego::build(
        &runtime,
        &support::workspace().join("plugins/rego/transmission"),
        out.path(),
    )
    .unwrap()
    .path;
    let corpus = support::workspace().join("tests/corpus/transmission");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "the corpus and the parity cases");
    let mut findings = 0;
    for case in &cases {
        let bundle = case.join("bundle");
        let at = "2026-12-01T00:00:00Z";
        let a = report_without_identity(&runtime, &rust, &bundle, at);
        let b = report_without_identity(&runtime, &rego, &bundle, at);
        assert_eq!(
            serde_json::to_string_pretty(&a).unwrap(),
            serde_json::to_string_pretty(&b).unwrap(),
            "{}",
            case.display()
        );
        findings += a["plugins"][0]["findings"].as_array().unwrap().len();
    }
    // The comparison covers real findings, not only empty reports.
    assert!(findings >= 60, "{findings} findings compared");
}
