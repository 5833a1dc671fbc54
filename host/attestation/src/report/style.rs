//! The one stylesheet of the HTML report and the portfolio, inlined into
//! each page so the file stands alone (no network, no external assets).
//!
//! Colours are chosen for at least 4.5:1 contrast against their
//! background, and every coloured thing also carries a word or symbol, so
//! the page reads in greyscale and in print.

/// The stylesheet, without the `<style>` tags.
pub(crate) const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: #1a1a1a; background: #ffffff; margin: 0 auto; max-width: 78rem; padding: 1rem 1.5rem 3rem;
  line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0.5rem 0; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 2px solid #1a1a1a; padding-bottom: 0.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
a { color: #0b4f9c; }
a:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em;
  overflow-wrap: break-word; }
.skip { position: absolute; left: -10000px; }
.skip:focus { position: static; display: inline-block; padding: 0.3rem; background: #ffffff; }
.banner { border: 3px solid; border-radius: 4px; padding: 0.8rem 1rem; margin: 1rem 0; }
.banner p { margin: 0.3rem 0; }
.banner .big { font-size: 1.5rem; font-weight: 700; margin: 0; }
.banner.bad { background: #8b0000; color: #ffffff; border-color: #5c0000; }
.banner.bad a { color: #ffffff; }
.banner.ok-pass { background: #e8f5e9; color: #1b5e20; border-color: #1b5e20; }
.banner.ok-fail { background: #fdecea; color: #8b0000; border-color: #8b0000; }
.banner ul { margin: 0.3rem 0 0.3rem 1.2rem; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid #8a8a8a; padding: 0.3rem 0.45rem; text-align: left; vertical-align: top; }
thead th { background: #eeeeee; }
th[scope="row"] { font-weight: 600; background: #f7f7f7; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
td code.hash { display: inline-block; min-width: 32ch; max-width: 100%; overflow-wrap: anywhere; }
.st { font-weight: 600; white-space: nowrap; }
.st-sat { color: #1b5e20; }
.st-not { color: #8b0000; }
.st-gap { color: #7a4100; }
.st-na { color: #4d4d4d; }
.st-waived { color: #5b2a86; }
.st-unknown { color: #4d4d4d; }
td.st-not, td.cell-not { background: #fdecea; }
td.st-gap { background: #fff4e0; }
td.st-waived { background: #f3ecfa; }
.bad-text { color: #8b0000; font-weight: 700; }
.note { color: #4d4d4d; }
.applies-not { border-left: 4px solid #4d4d4d; padding: 0.2rem 0.6rem; background: #f2f2f2; }
.finding { border: 1px solid #8a8a8a; border-left: 6px solid #4d4d4d; padding: 0.4rem 0.9rem; margin: 0.8rem 0;
  break-inside: avoid; }
.finding.sev-critical, .finding.sev-high { border-left-color: #8b0000; }
.finding.sev-medium { border-left-color: #7a4100; }
.finding.waived { border-left-color: #5b2a86; }
.finding h3 { margin: 0.3rem 0; }
.rollback { border: 4px solid #8b0000; background: #fdecea; padding: 0.6rem 1rem; }
.rollback .target { font-size: 1.3rem; font-weight: 700; color: #8b0000; }
nav.toc ol { columns: 2; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; font-weight: 600; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.5rem; }
.matrix td { text-align: center; white-space: nowrap; }
.matrix th[scope="row"] { white-space: nowrap; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: #000000; text-decoration: underline; }
  .skip, nav.toc { display: none; }
  .banner, .banner.bad, .banner.ok-pass, .banner.ok-fail, .rollback, td.st-not, td.cell-not, td.st-gap,
  td.st-waived, thead th, th[scope="row"], .applies-not { background: none; color: #000000; }
  .banner, .rollback { border: 3px double #000000; }
  .st, .st-sat, .st-not, .st-gap, .st-na, .st-waived, .st-unknown, .bad-text, .rollback .target { color: #000000; }
  tr, .finding, .banner, .rollback { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a.file[href]::after { content: " (" attr(href) ")"; }
  details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: block; }
}
"#;
