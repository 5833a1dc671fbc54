//! The HTML reports in a real browser: headless Chromium renders each
//! shipped example's report and the portfolio, takes a screenshot, prints a
//! PDF, and its DOM is checked for the verdict, the controls matrix and
//! links that resolve.
//!
//! Chromium comes from Debian's `chromium` package, which `scripts/test.sh`
//! installs. Without it these tests fail when `ASSAY_REQUIRE_BROWSER` is set
//! (as in CI) and are skipped with a message otherwise.
//!
//! `ASSAY_SCREENSHOTS=docs/images` also writes the screenshots there (they
//! are the README's and docs' pictures).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use assay_attestation::report::{html, portfolio, Attested};

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .or_else(|| {
            assert!(
                std::env::var_os("ASSAY_REQUIRE_BROWSER").is_none(),
                "ASSAY_REQUIRE_BROWSER is set but Chromium is not installed (apt-get install chromium)"
            );
            eprintln!("skipped: Chromium is not installed (apt-get install chromium)");
            None
        })
}

/// Runs headless Chromium on `page` with `extra` flags; returns stdout.
/// The flags keep it off the network: this machine has none, and the report
/// must not need one.
fn run_chromium(browser: &Path, profile: &Path, page: &Path, extra: &[String]) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Rendered {
    dom: String,
    png: Vec<u8>,
}

fn render_in_browser(browser: &Path, dir: &Path, name: &str, page_html: &str) -> Rendered {
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, page_html).unwrap();
    let profile = dir.join(format!("profile-{name}"));
    let dom = run_chromium(browser, &profile, &page, &["--dump-dom".into()]);
    let png_path = dir.join(format!("{name}.png"));
    run_chromium(
        browser,
        &profile,
        &page,
        &[
            format!("--screenshot={}", png_path.display()),
            "--window-size=1280,1600".into(),
        ],
    );
    let png = std::fs::read(&png_path).unwrap();
    if let Some(out) = std::env::var_os("ASSAY_SCREENSHOTS") {
        std::fs::create_dir_all(&out).unwrap();
        std::fs::copy(
            &png_path,
            Path::new(&out).join(format!("report-{name}.png")),
        )
        .unwrap();
    }
    Rendered { dom, png }
}

/// Every `href="#x"` in the DOM has an element with `id="x"`.
fn assert_links_resolve(name: &str, dom: &str) {
    let mut checked = 0;
    for part in dom.split("href=\"#").skip(1) {
        let target = &part[..part.find('"').unwrap()];
        assert!(
            dom.contains(&format!("id=\"{target}\"")),
            "{name}: link #{target} has no target"
        );
        checked += 1;
    }
    assert!(checked > 0, "{name}: no in-page links at all");
}

/// PNG signature, and an image that is not one flat colour (a blank page
/// compresses to almost nothing).
fn assert_real_screenshot(name: &str, png: &[u8]) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: not a PNG");
    assert!(
        png.len() > 20_000,
        "{name}: screenshot of {} bytes looks blank",
        png.len()
    );
}

#[test]
fn reports_render_in_chromium_with_verdict_matrix_and_links() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut docs: Vec<Attested> = Vec::new();
    for name in support::FIXTURES {
        let doc = support::attested(dir.path(), name);
        let shown = render_in_browser(&browser, dir.path(), name, &html::render(&doc));
        let p = doc.predicate.as_ref().unwrap();
        assert!(
            shown.dom.contains(&p.result),
            "{name}: verdict {} not shown",
            p.result
        );
        assert!(shown.dom.contains("<table"), "{name}: no table");
        for c in &p.controls {
            assert!(
                shown.dom.contains(&c.id),
                "{name}: control {} missing from the matrix",
                c.id
            );
        }
        for s in &p.bundle.subjects {
            let sha = &s.digest["sha256"];
            assert!(
                shown.dom.contains(sha.as_str()),
                "{name}: subject digest missing"
            );
        }
        assert_links_resolve(name, &shown.dom);
        assert_real_screenshot(name, &shown.png);
        docs.push(doc);
    }
    let rollback = &docs[3];
    let dom = run_chromium(
        &browser,
        &dir.path().join("profile-rollback-again"),
        &dir.path().join("rollback-triggered.html"),
        &["--dump-dom".into()],
    );
    assert!(rollback.predicate.is_some());
    assert!(
        dom.contains("2.2.1"),
        "the rollback decision names its target version"
    );

    let index = render_in_browser(&browser, dir.path(), "portfolio", &portfolio::render(&docs));
    for doc in &docs {
        let file = portfolio::report_file_name(&doc.source);
        assert!(index.dom.contains(&file), "portfolio does not link {file}");
    }
    assert_links_resolve("portfolio", &index.dom);
    assert_real_screenshot("portfolio", &index.png);
}

#[test]
fn a_tampered_attestation_renders_not_verified_and_nothing_of_its_payload() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = support::keypair(dir.path());
    let path = support::sign_fixture(dir.path(), &key, "compliant");
    let other = support::sign_fixture(dir.path(), &key, "pii-leak");
    let mut envelope: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let other: serde_json::Value = serde_json::from_slice(&std::fs::read(other).unwrap()).unwrap();
    envelope["payload"] = other["payload"].clone();
    std::fs::write(&path, serde_json::to_vec(&envelope).unwrap()).unwrap();
    let doc = assay_attestation::report::open(&support::request(&path, &public), None).unwrap();
    let shown = render_in_browser(&browser, dir.path(), "tampered", &html::render(&doc));
    assert!(shown.dom.contains("NOT VERIFIED"));
    let policy_sha = "e40bef21502764e515a0e71797390efc5172b67baf8635050aaada7c92556a18";
    assert!(
        !shown.dom.contains(policy_sha),
        "an unverified payload's content was shown"
    );
}

#[test]
fn a_report_prints_to_pdf() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let doc = support::attested(dir.path(), "pii-leak-waived");
    let page = dir.path().join("waived.html");
    std::fs::write(&page, html::render(&doc)).unwrap();
    let pdf = dir.path().join("waived.pdf");
    run_chromium(
        &browser,
        &dir.path().join("profile-pdf"),
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    // Page objects are `/Type /Page` (Skia writes a space; allow none), and
    // the page tree is `/Type /Pages`, which must not count.
    let pages = [&b"/Type /Page"[..], &b"/Type/Page"[..]]
        .iter()
        .map(|pat| {
            bytes
                .windows(pat.len() + 1)
                .filter(|w| w.starts_with(pat) && w[pat.len()] != b's')
                .count()
        })
        .sum::<usize>();
    assert!(
        pages >= 2,
        "a full report should take more than one page, got {pages}"
    );
}
