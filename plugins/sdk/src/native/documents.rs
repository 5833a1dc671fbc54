//! Document readers: OpenAPI 3.0/3.1 and Markdown (`{"frontMatter",
//! "lines"}`), with a Hugging Face model card view on top.
//!
//! Derived facts: the property names (with `format`) that an operation's
//! request and responses carry, following `$ref` inside the document with
//! a cycle guard; an operation's effective `security`; Markdown headings
//! and sections with their `/lines/i` pointers. Not read yet: `$ref` to
//! other files, `parameters` (path/query/header), `callbacks`, `webhooks`,
//! setext (underlined) Markdown headings, and model-card fields other than
//! those named below.

use serde_json::Value;

use super::shape::{entries, list, one_or_many, text};
use crate::bindings::PluginError;
use crate::evidence::{Document, Node};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const MAX_DEPTH: usize = 64;

/// An OpenAPI document.
#[derive(Debug, Clone)]
pub struct OpenApi<'a> {
    doc: &'a Document,
    /// `openapi` (`3.0.3`, `3.1.0`).
    pub version: String,
    /// Every operation, in document order.
    pub operations: Vec<Operation<'a>>,
    /// `components.securitySchemes` as (name, node).
    pub security_schemes: Vec<(String, Node<'a>)>,
    /// Top-level `security` (`None` when absent).
    pub security: Option<Node<'a>>,
}

/// One operation (`paths.<path>.<method>`).
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// The operation object.
    pub node: Node<'a>,
    /// The path template.
    pub path: String,
    /// The method, lower case.
    pub method: String,
    /// `operationId`.
    pub operation_id: Option<String>,
    /// `security` of the operation (overrides the top level; `[]` = none).
    pub security: Option<Node<'a>>,
}

/// A property an operation carries.
#[derive(Debug, Clone)]
pub struct Property<'a> {
    /// The property's name.
    pub name: String,
    /// `format` (`email`, `date`, `uuid`, ...).
    pub format: Option<String>,
    /// The schema node (where its definition is, after `$ref`).
    pub node: Node<'a>,
    /// `request` or the response status (`200`, `default`).
    pub carried_by: String,
}

impl<'a> OpenApi<'a> {
    /// Reads the document.
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let root = doc.root();
        let version = root.require::<&str>("openapi")?.to_owned();
        let mut operations = Vec::new();
        if let Some(paths) = root.field("paths") {
            for (path, item) in entries(&paths)? {
                for m in METHODS {
                    if let Some(op) = item.field(m) {
                        operations.push(Operation {
                            path: path.clone(),
                            method: m.to_owned(),
                            operation_id: text(&op, "operationId")?,
                            security: op.field("security"),
                            node: op,
                        });
                    }
                }
            }
        }
        let security_schemes = match root.field("components") {
            Some(c) => super::shape::members(&c, "securitySchemes")?,
            None => Vec::new(),
        };
        Ok(Self {
            doc,
            version,
            operations,
            security_schemes,
            security: root.field("security"),
        })
    }

    /// The node a `$ref` (`#/components/schemas/X`) names, following
    /// chained refs; `None` for external or dangling refs and cycles.
    pub fn resolve(&self, node: Node<'a>) -> Option<Node<'a>> {
        let mut current = node;
        for _ in 0..MAX_DEPTH {
            let Some(r) = current.value().get("$ref").and_then(Value::as_str) else {
                return Some(current);
            };
            current = self.doc.at(r.strip_prefix('#')?)?;
        }
        None
    }

    /// The security requirement in force for `op`: its own, else the
    /// document's. `None` means no requirement at all.
    pub fn effective_security(&self, op: &Operation<'a>) -> Option<Node<'a>> {
        op.security.clone().or_else(|| self.security.clone())
    }

    /// The properties `op` carries in its request body and responses,
    /// through `$ref`, `allOf`/`oneOf`/`anyOf`, `items`, nested
    /// `properties` and `additionalProperties`.
    pub fn properties(&self, op: &Operation<'a>) -> Result<Vec<Property<'a>>, PluginError> {
        let mut out = Vec::new();
        if let Some(body) = op.node.field("requestBody").and_then(|b| self.resolve(b)) {
            self.content(&body, "request", &mut out)?;
        }
        if let Some(responses) = op.node.field("responses") {
            for (status, r) in entries(&responses)? {
                if let Some(r) = self.resolve(r) {
                    self.content(&r, &status, &mut out)?;
                }
            }
        }
        Ok(out)
    }

    fn content(
        &self,
        holder: &Node<'a>,
        carried_by: &str,
        out: &mut Vec<Property<'a>>,
    ) -> Result<(), PluginError> {
        for (_, media) in super::shape::members(holder, "content")? {
            if let Some(schema) = media.field("schema") {
                let mut seen = Vec::new();
                self.schema(schema, carried_by, &mut seen, out)?;
            }
        }
        Ok(())
    }

    fn schema(
        &self,
        node: Node<'a>,
        carried_by: &str,
        seen: &mut Vec<String>,
        out: &mut Vec<Property<'a>>,
    ) -> Result<(), PluginError> {
        let Some(node) = self.resolve(node) else {
            return Ok(());
        };
        if seen.len() >= MAX_DEPTH || seen.iter().any(|p| p == node.pointer()) {
            return Ok(());
        }
        seen.push(node.pointer().to_owned());
        for (name, prop) in super::shape::members(&node, "properties")? {
            let resolved = self.resolve(prop.clone()).unwrap_or(prop);
            out.push(Property {
                name,
                format: resolved
                    .value()
                    .get("format")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                node: resolved.clone(),
                carried_by: carried_by.to_owned(),
            });
            self.schema(resolved, carried_by, seen, out)?;
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for sub in list(&node, key)? {
                self.schema(sub, carried_by, seen, out)?;
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(sub) = node.field(key).filter(|n| n.value().is_object()) {
                self.schema(sub, carried_by, seen, out)?;
            }
        }
        seen.pop();
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Markdown

/// A Markdown document as delivered (`{"frontMatter", "lines"}`).
#[derive(Debug, Clone)]
pub struct Markdown<'a> {
    /// `frontMatter` (`None` when absent or `null`).
    pub front_matter: Option<Node<'a>>,
    /// Every body line with its node (`/lines/i`).
    pub lines: Vec<(Node<'a>, &'a str)>,
    /// ATX headings (`#` to `######`) outside fenced code.
    pub headings: Vec<Heading<'a>>,
}

/// A heading.
#[derive(Debug, Clone)]
pub struct Heading<'a> {
    /// The line (`/lines/i`).
    pub node: Node<'a>,
    /// 1 to 6.
    pub level: usize,
    /// The text, trimmed, closing `#`s removed.
    pub title: String,
    /// The index of the heading line in `lines`.
    pub line: usize,
}

impl<'a> Markdown<'a> {
    /// Reads the document.
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let root = doc.root();
        let mut lines = Vec::new();
        for n in list(&root, "lines")? {
            let s = n.to::<&'a str>()?;
            lines.push((n, s));
        }
        let mut headings = Vec::new();
        let mut fence: Option<&str> = None;
        for (i, (n, s)) in lines.iter().enumerate() {
            let t = s.trim_start();
            if let Some(f) = fence {
                if t.starts_with(f) {
                    fence = None;
                }
                continue;
            }
            if t.starts_with("```") || t.starts_with("~~~") {
                fence = t.get(..3);
                continue;
            }
            let level = t.bytes().take_while(|&b| b == b'#').count();
            let rest = t.get(level..).unwrap_or("");
            if (1..=6).contains(&level) && (rest.is_empty() || rest.starts_with([' ', '\t'])) {
                let title = rest.trim().trim_end_matches('#').trim().to_owned();
                headings.push(Heading {
                    node: n.clone(),
                    level,
                    title,
                    line: i,
                });
            }
        }
        Ok(Self {
            front_matter: root.field("frontMatter"),
            lines,
            headings,
        })
    }

    /// The body lines of the first section titled `title` (case-insensitive),
    /// up to the next heading of the same or a higher level; `None` when
    /// there is no such heading.
    pub fn section(&self, title: &str) -> Option<Vec<(Node<'a>, &'a str)>> {
        let at = self
            .headings
            .iter()
            .position(|h| h.title.eq_ignore_ascii_case(title))?;
        let h = self.headings.get(at)?;
        let end = self
            .headings
            .iter()
            .skip(at + 1)
            .find(|n| n.level <= h.level)
            .map_or(self.lines.len(), |n| n.line);
        Some(self.lines.get(h.line + 1..end)?.to_vec())
    }
}

/// A Hugging Face model card: the front matter fields the Hub documents
/// (`license`, `tags`, `datasets`, `metrics`, `model-index`).
#[derive(Debug, Clone)]
pub struct ModelCard<'a> {
    /// The Markdown body.
    pub markdown: Markdown<'a>,
    /// `license`.
    pub license: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `datasets`.
    pub datasets: Vec<String>,
    /// `metrics`.
    pub metrics: Vec<String>,
    /// `model-index[].results[].metrics[]`, flattened.
    pub results: Vec<ModelResult<'a>>,
}

/// One reported metric of `model-index`.
#[derive(Debug, Clone)]
pub struct ModelResult<'a> {
    /// The metric object.
    pub node: Node<'a>,
    /// `task.type`.
    pub task: Option<String>,
    /// `dataset.name` (else `dataset.type`).
    pub dataset: Option<String>,
    /// `type`.
    pub metric: String,
    /// `value`, when a number.
    pub value: Option<f64>,
}

impl<'a> ModelCard<'a> {
    /// Reads the card.
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let markdown = Markdown::read(doc)?;
        let fm = markdown.front_matter.clone();
        let strings = |key: &str| -> Result<Vec<String>, PluginError> {
            match fm.as_ref().and_then(|f| f.field(key)) {
                Some(n) => one_or_many(&n),
                None => Ok(Vec::new()),
            }
        };
        let mut results = Vec::new();
        if let Some(f) = &fm {
            for model in list(f, "model-index")? {
                for r in list(&model, "results")? {
                    let task = r
                        .field("task")
                        .map(|t| text(&t, "type"))
                        .transpose()?
                        .flatten();
                    let dataset = match r.field("dataset") {
                        Some(d) => text(&d, "name")?.or(text(&d, "type")?),
                        None => None,
                    };
                    for m in list(&r, "metrics")? {
                        results.push(ModelResult {
                            task: task.clone(),
                            dataset: dataset.clone(),
                            metric: m.require::<&str>("type")?.to_owned(),
                            value: m.value().get("value").and_then(Value::as_f64),
                            node: m,
                        });
                    }
                }
            }
        }
        Ok(Self {
            license: fm
                .as_ref()
                .map(|f| text(f, "license"))
                .transpose()?
                .flatten(),
            tags: strings("tags")?,
            datasets: strings("datasets")?,
            metrics: strings("metrics")?,
            results,
            markdown,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::bindings::Evidence;

    fn doc(json: &str) -> Document {
        Document::parse(Evidence {
            kind: "k".into(),
            path: "evidence/d.json".into(),
            format: crate::EvidenceFormat::Json,
            document: 0,
            json: json.into(),
        })
        .unwrap()
    }

    // OpenAPI 3.1.0 (paths, components.schemas, securitySchemes).
    #[test]
    fn openapi_properties_follow_refs_and_stop_at_cycles() {
        let d = doc(
            r##"{"openapi": "3.1.0", "info": {"title": "Predict", "version": "1"},
              "security": [{"bearer": []}],
              "paths": {"/predict": {
                "post": {"operationId": "predict",
                  "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                  "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Person"}}}}}}},
                "get": {"security": [], "responses": {"204": {"description": "none"}}}}},
              "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                "schemas": {
                  "Req": {"allOf": [{"$ref": "#/components/schemas/Person"}, {"properties": {"text": {"type": "string"}}}]},
                  "Person": {"type": "object", "properties": {
                    "email": {"type": "string", "format": "email"},
                    "manager": {"$ref": "#/components/schemas/Person"}}}}}}"##,
        );
        let api = OpenApi::read(&d).unwrap();
        assert_eq!(api.operations.len(), 2);
        let post = api.operations.iter().find(|o| o.method == "post").unwrap();
        let props = api.properties(post).unwrap();
        let email = props
            .iter()
            .find(|p| p.name == "email" && p.carried_by == "200")
            .unwrap();
        assert_eq!(email.format.as_deref(), Some("email"));
        assert_eq!(
            email.node.pointer(),
            "/components/schemas/Person/properties/email"
        );
        assert!(props
            .iter()
            .any(|p| p.name == "text" && p.carried_by == "request"));
        assert!(props
            .iter()
            .any(|p| p.name == "email" && p.carried_by == "request"));
        assert_eq!(api.security_schemes[0].0, "bearer");
        assert!(api.effective_security(post).unwrap().pointer() == "/security");
        // An operation-level empty list turns security off.
        let get = api.operations.iter().find(|o| o.method == "get").unwrap();
        assert_eq!(
            api.effective_security(get).unwrap().pointer(),
            "/paths/~1predict/get/security"
        );
        assert!(api.properties(get).unwrap().is_empty());
    }

    #[test]
    fn markdown_sections_and_model_card() {
        let d = doc(
            r####"{"frontMatter": {"license": "apache-2.0", "tags": ["text-classification"], "datasets": ["imdb"],
                "metrics": "accuracy",
                "model-index": [{"name": "sentiment", "results": [{"task": {"type": "text-classification"},
                  "dataset": {"type": "imdb", "name": "IMDb"}, "metrics": [{"type": "accuracy", "value": 0.93}]}]}]},
              "lines": ["# Model card", "", "## Intended use", "Reviews only.", "```", "# not a heading", "```",
                        "### Out of scope", "Medical text.", "## Limitations", "Sarcasm."]}"####,
        );
        let card = ModelCard::read(&d).unwrap();
        assert_eq!(card.license.as_deref(), Some("apache-2.0"));
        assert_eq!(card.metrics, ["accuracy"]);
        assert_eq!(card.results[0].value, Some(0.93));
        assert_eq!(card.results[0].dataset.as_deref(), Some("IMDb"));
        let md = &card.markdown;
        assert_eq!(md.headings.len(), 4);
        let intended = md.section("intended use").unwrap();
        assert_eq!(intended.len(), 6);
        assert_eq!(intended[0].0.pointer(), "/lines/3");
        assert_eq!(intended.last().unwrap().1, "Medical text.");
        let limits = md.section("Limitations").unwrap();
        assert_eq!(limits[0].1, "Sarcasm.");
        assert!(md.section("Training data").is_none());
    }
}
