//! ML platform readers: Great Expectations validation and checkpoint
//! results, OpenLineage RunEvents, MLflow model versions, lakeFS commits,
//! Sloth SLO specs and CycloneDX (ML-)BOMs.
//!
//! Field names follow: Great Expectations 0.18/1.x result JSON, OpenLineage
//! spec 2-0-2 (`OpenLineage.json` and facet schemas), MLflow REST API 2.0
//! `ModelVersion`, lakeFS `api/swagger.yml` `Commit`/`CommitList`, Sloth
//! `prometheus/v1` (and the `sloth.slok.dev/v1` CRD's camelCase), CycloneDX
//! 1.5/1.6 JSON. Not read yet: GE `result` details per expectation
//! (kept as nodes), OpenLineage job facets beyond the node, MLflow
//! `deployment_job_state`, Sloth `sli.raw`/`sli.plugin` beyond presence,
//! CycloneDX `modelCard` internals (kept as a node), `dependencies`.

use super::shape::{entries, list, one_or_many, scalar_text, text};
use super::when::{node_instant, node_millis, node_seconds, Instant, Reading};
use crate::bindings::{Location, PluginError};
use crate::evidence::{Document, Node};

/// A Great Expectations validation result.
#[derive(Debug, Clone)]
pub struct Validation<'a> {
    /// The result object.
    pub node: Node<'a>,
    /// `success`.
    pub success: Option<bool>,
    /// `meta.expectation_suite_name` (1.x: also top-level `suite_name`).
    pub suite: Option<String>,
    /// `meta.run_id.run_time`, else `meta.validation_time`.
    pub run_time: Option<(Instant, Reading)>,
    /// `statistics.evaluated_expectations`.
    pub evaluated: Option<u64>,
    /// `statistics.unsuccessful_expectations`.
    pub unsuccessful: Option<u64>,
    /// `results`.
    pub results: Vec<ExpectationResult<'a>>,
}

/// One `results` entry.
#[derive(Debug, Clone)]
pub struct ExpectationResult<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `success`.
    pub success: Option<bool>,
    /// `expectation_config.type` (1.x) or `.expectation_type` (0.x).
    pub expectation: Option<String>,
    /// `expectation_config.kwargs`.
    pub kwargs: Option<Node<'a>>,
    /// `exception_info.raised_exception`.
    pub raised: bool,
}

impl<'a> Validation<'a> {
    /// Reads one validation result object.
    pub fn read(node: Node<'a>) -> Result<Self, PluginError> {
        let meta = node.field("meta");
        let stats = node.field("statistics");
        let run_time = match meta.as_ref().and_then(|m| {
            m.field("run_id")
                .and_then(|r| r.field("run_time"))
                .or_else(|| m.field("validation_time"))
        }) {
            Some(t) => Some(node_instant(&t)?),
            None => None,
        };
        let mut results = Vec::new();
        for r in list(&node, "results")? {
            let config = r.field("expectation_config");
            let expectation = match &config {
                Some(c) => text(c, "type")?.or(text(c, "expectation_type")?),
                None => None,
            };
            results.push(ExpectationResult {
                success: r.get("success")?,
                kwargs: config.as_ref().and_then(|c| c.field("kwargs")),
                expectation,
                raised: r
                    .field("exception_info")
                    .map(|e| e.get::<bool>("raised_exception"))
                    .transpose()?
                    .flatten()
                    .unwrap_or(false),
                node: r,
            });
        }
        Ok(Self {
            success: node.get("success")?,
            suite: match &meta {
                Some(m) => text(m, "expectation_suite_name")?,
                None => None,
            }
            .or(text(&node, "suite_name")?),
            run_time,
            evaluated: stats
                .as_ref()
                .map(|s| s.get("evaluated_expectations"))
                .transpose()?
                .flatten(),
            unsuccessful: stats
                .as_ref()
                .map(|s| s.get("unsuccessful_expectations"))
                .transpose()?
                .flatten(),
            results,
            node,
        })
    }

    /// The validation results in a document: one result, or each of a
    /// checkpoint result's `run_results` (0.x `{validation_result: ...}` or
    /// 1.x the result itself).
    pub fn read_all(doc: &'a Document) -> Result<Vec<Self>, PluginError> {
        let root = doc.root();
        let Some(runs) = root.field("run_results") else {
            return Ok(vec![Self::read(root)?]);
        };
        entries(&runs)?
            .into_iter()
            .map(|(_, r)| Self::read(r.field("validation_result").unwrap_or(r)))
            .collect()
    }
}

/// An OpenLineage RunEvent.
#[derive(Debug, Clone)]
pub struct RunEvent<'a> {
    /// The event.
    pub node: Node<'a>,
    /// `eventType` (`START`, `RUNNING`, `COMPLETE`, `ABORT`, `FAIL`, `OTHER`).
    pub event_type: Option<String>,
    /// `eventTime`.
    pub event_time: (Instant, Reading),
    /// `run.runId`.
    pub run_id: String,
    /// `run.facets`.
    pub run_facets: Option<Node<'a>>,
    /// `job.namespace`.
    pub job_namespace: String,
    /// `job.name`.
    pub job_name: String,
    /// `inputs`.
    pub inputs: Vec<Dataset<'a>>,
    /// `outputs`.
    pub outputs: Vec<Dataset<'a>>,
}

/// An input or output dataset.
#[derive(Debug, Clone)]
pub struct Dataset<'a> {
    /// The dataset.
    pub node: Node<'a>,
    /// `namespace`.
    pub namespace: String,
    /// `name`.
    pub name: String,
    /// `facets.schema.fields[].name`.
    pub schema_fields: Vec<(Node<'a>, String)>,
    /// `facets.dataSource.uri`.
    pub data_source_uri: Option<String>,
    /// `facets.columnLineage.fields`: output column → its input fields.
    pub column_lineage: Vec<(String, Vec<InputField>)>,
    /// `inputFacets.dataQualityMetrics`.
    pub data_quality_metrics: Option<Node<'a>>,
}

impl<'a> RunEvent<'a> {
    /// Reads every event in a document: one event, or an array (JSON Lines).
    pub fn read_all(doc: &'a Document) -> Result<Vec<Self>, PluginError> {
        let root = doc.root();
        if root.value().is_array() {
            root.items()?.map(Self::read).collect()
        } else {
            Ok(vec![Self::read(root)?])
        }
    }

    /// Reads one event.
    pub fn read(node: Node<'a>) -> Result<Self, PluginError> {
        let run = node.require_field("run")?;
        let job = node.require_field("job")?;
        let datasets = |key: &str| -> Result<Vec<Dataset<'a>>, PluginError> {
            list(&node, key)?.into_iter().map(read_dataset).collect()
        };
        Ok(Self {
            event_type: text(&node, "eventType")?,
            event_time: node_instant(&node.require_field("eventTime")?)?,
            run_id: run.require::<&str>("runId")?.to_owned(),
            run_facets: run.field("facets"),
            job_namespace: job.require::<&str>("namespace")?.to_owned(),
            job_name: job.require::<&str>("name")?.to_owned(),
            inputs: datasets("inputs")?,
            outputs: datasets("outputs")?,
            node,
        })
    }
}

fn read_dataset(n: Node<'_>) -> Result<Dataset<'_>, PluginError> {
    let facets = n.field("facets");
    let facet = |k: &str| facets.as_ref().and_then(|f| f.field(k));
    let mut schema_fields = Vec::new();
    if let Some(s) = facet("schema") {
        for f in list(&s, "fields")? {
            let name = f.require::<&str>("name")?.to_owned();
            schema_fields.push((f, name));
        }
    }
    let mut column_lineage = Vec::new();
    if let Some(cl) = facet("columnLineage") {
        for (column, spec) in super::shape::members(&cl, "fields")? {
            let mut from = Vec::new();
            for i in list(&spec, "inputFields")? {
                from.push(InputField {
                    namespace: i.require::<&str>("namespace")?.to_owned(),
                    name: i.require::<&str>("name")?.to_owned(),
                    field: i.require::<&str>("field")?.to_owned(),
                });
            }
            column_lineage.push((column, from));
        }
    }
    Ok(Dataset {
        namespace: n.require::<&str>("namespace")?.to_owned(),
        name: n.require::<&str>("name")?.to_owned(),
        schema_fields,
        data_source_uri: facet("dataSource")
            .map(|d| text(&d, "uri"))
            .transpose()?
            .flatten(),
        column_lineage,
        data_quality_metrics: n
            .field("inputFacets")
            .and_then(|f| f.field("dataQualityMetrics")),
        node: n,
    })
}

/// A `columnLineage` input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputField {
    /// `namespace`.
    pub namespace: String,
    /// `name` (the dataset).
    pub name: String,
    /// `field` (the column).
    pub field: String,
}

/// An MLflow model version (`{"model_version": {...}}`).
#[derive(Debug, Clone)]
pub struct ModelVersion<'a> {
    /// The model version object.
    pub node: Node<'a>,
    /// `name`.
    pub name: String,
    /// `version` (a string in the REST API).
    pub version: String,
    /// `creation_timestamp` (epoch milliseconds).
    pub created: Option<Instant>,
    /// `last_updated_timestamp` (epoch milliseconds).
    pub last_updated: Option<Instant>,
    /// `current_stage` (`None`, `Staging`, `Production`, `Archived`).
    pub current_stage: Option<String>,
    /// `status` (`READY`, `PENDING_REGISTRATION`, `FAILED_REGISTRATION`).
    pub status: Option<String>,
    /// `run_id`.
    pub run_id: Option<String>,
    /// `source`.
    pub source: Option<String>,
    /// `tags` (`[{key, value}]`).
    pub tags: Vec<(String, String)>,
    /// `aliases`.
    pub aliases: Vec<String>,
}

impl<'a> ModelVersion<'a> {
    /// Reads the document.
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let n = doc
            .root()
            .field("model_version")
            .unwrap_or_else(|| doc.root());
        let mut tags = Vec::new();
        for t in list(&n, "tags")? {
            tags.push((
                t.require::<&str>("key")?.to_owned(),
                text(&t, "value")?.unwrap_or_default(),
            ));
        }
        Ok(Self {
            name: n.require::<&str>("name")?.to_owned(),
            version: scalar_text(&n.require_field("version")?)?,
            created: n
                .field("creation_timestamp")
                .map(|t| node_millis(&t))
                .transpose()?,
            last_updated: n
                .field("last_updated_timestamp")
                .map(|t| node_millis(&t))
                .transpose()?,
            current_stage: text(&n, "current_stage")?,
            status: text(&n, "status")?,
            run_id: text(&n, "run_id")?,
            source: text(&n, "source")?,
            tags,
            aliases: match n.field("aliases") {
                Some(a) => one_or_many(&a)?,
                None => Vec::new(),
            },
            node: n,
        })
    }

    /// The value of tag `key`.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The node of tag `key`'s value (for a finding or a decision that
    /// rests on it): the `value` of its `{key, value}` entry.
    pub fn tag_node(&self, key: &str) -> Result<Option<Node<'a>>, PluginError> {
        for t in list(&self.node, "tags")? {
            if t.get::<&str>("key")? == Some(key) {
                return Ok(Some(t.field("value").unwrap_or(t)));
            }
        }
        Ok(None)
    }

    /// Where the value of tag `key` is; see [`tag_node`](Self::tag_node).
    pub fn tag_location(&self, key: &str) -> Result<Option<Location>, PluginError> {
        Ok(self.tag_node(key)?.map(|n| n.location()))
    }
}

/// A lakeFS commit.
#[derive(Debug, Clone)]
pub struct Commit<'a> {
    /// The commit object.
    pub node: Node<'a>,
    /// `id`.
    pub id: String,
    /// `parents`.
    pub parents: Vec<String>,
    /// `committer`.
    pub committer: Option<String>,
    /// `message`.
    pub message: Option<String>,
    /// `creation_date` (epoch seconds).
    pub created: Option<Instant>,
    /// `meta_range_id`.
    pub meta_range_id: Option<String>,
    /// `metadata` (string map).
    pub metadata: Vec<(String, String)>,
}

impl<'a> Commit<'a> {
    /// Reads one commit, a `CommitList` (`{"results": [...]}`) or an array.
    pub fn read_all(doc: &'a Document) -> Result<Vec<Self>, PluginError> {
        let root = doc.root();
        let nodes = if let Some(r) = root.field("results") {
            r.items()?.collect()
        } else if root.value().is_array() {
            root.items()?.collect()
        } else {
            vec![root]
        };
        nodes.into_iter().map(Self::read).collect()
    }

    fn read(n: Node<'a>) -> Result<Self, PluginError> {
        let mut metadata = Vec::new();
        for (k, v) in super::shape::members(&n, "metadata")? {
            metadata.push((k, scalar_text(&v)?));
        }
        Ok(Self {
            id: n.require::<&str>("id")?.to_owned(),
            parents: match n.field("parents") {
                Some(p) => one_or_many(&p)?,
                None => Vec::new(),
            },
            committer: text(&n, "committer")?,
            message: text(&n, "message")?,
            created: n
                .field("creation_date")
                .map(|t| node_seconds(&t))
                .transpose()?,
            meta_range_id: text(&n, "meta_range_id")?,
            metadata,
            node: n,
        })
    }
}

/// One artifact DVC tracks: a dependency or an output of a `dvc.lock`
/// stage, or an output of a `.dvc` file (DVC 3, `dvc/schema.py`
/// `LOCKFILE_SCHEMA` and `DATA_SCHEMA`).
#[derive(Debug, Clone)]
pub struct DvcArtifact<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// The `dvc.lock` stage it belongs to; `None` in a `.dvc` file.
    pub stage: Option<String>,
    /// `path`, relative to the stage's working directory.
    pub path: String,
    /// Its checksum: `md5`, else `etag`, else `checksum`.
    pub checksum: Option<String>,
    /// An output (`outs`) rather than a dependency (`deps`).
    pub output: bool,
}

impl<'a> DvcArtifact<'a> {
    /// Every artifact of a `dvc.lock` (`schema: '2.0'`, `stages`) or a
    /// `.dvc` file (`outs`, and `deps` for an imported one), in file order.
    pub fn read_all(doc: &'a Document) -> Result<Vec<Self>, PluginError> {
        let root = doc.root();
        let mut out = Vec::new();
        match root.field("stages") {
            Some(stages) => {
                for (name, stage) in entries(&stages)? {
                    Self::read_lists(&stage, Some(&name), &mut out)?;
                }
            }
            None => Self::read_lists(&root, None, &mut out)?,
        }
        Ok(out)
    }

    fn read_lists(
        node: &Node<'a>,
        stage: Option<&str>,
        out: &mut Vec<Self>,
    ) -> Result<(), PluginError> {
        for (key, output) in [("deps", false), ("outs", true)] {
            for n in list(node, key)? {
                let checksum = match text(&n, "md5")? {
                    Some(c) => Some(c),
                    None => match text(&n, "etag")? {
                        Some(c) => Some(c),
                        None => text(&n, "checksum")?,
                    },
                };
                out.push(Self {
                    stage: stage.map(str::to_owned),
                    path: n.require::<&str>("path")?.to_owned(),
                    checksum,
                    output,
                    node: n,
                });
            }
        }
        Ok(())
    }
}

/// A Sloth SLO spec.
#[derive(Debug, Clone)]
pub struct SlothSpec<'a> {
    /// `version`.
    pub version: Option<String>,
    /// `service`.
    pub service: Option<String>,
    /// `slos`.
    pub slos: Vec<Slo<'a>>,
}

/// One SLO.
#[derive(Debug, Clone)]
pub struct Slo<'a> {
    /// The SLO.
    pub node: Node<'a>,
    /// `name`.
    pub name: String,
    /// `objective` (percent, e.g. 99.9).
    pub objective: Option<f64>,
    /// `sli.events.error_query` (`errorQuery`).
    pub error_query: Option<String>,
    /// `sli.events.total_query` (`totalQuery`).
    pub total_query: Option<String>,
    /// Whether the SLI is `raw` or `plugin` instead of `events`.
    pub other_sli: bool,
    /// `alerting.page_alert` (`pageAlert`) present and not `disable: true`.
    pub page_alert: bool,
    /// `alerting.ticket_alert` (`ticketAlert`) present and not disabled.
    pub ticket_alert: bool,
}

impl<'a> SlothSpec<'a> {
    /// Reads a spec (`prometheus/v1`, or the CRD's `spec`).
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let root = doc.root();
        let spec = root.field("spec").unwrap_or_else(|| root.clone());
        let either = |n: &Node<'a>, a: &str, b: &str| n.field(a).or_else(|| n.field(b));
        let alert = |n: &Option<Node<'a>>, a: &str, b: &str| -> Result<bool, PluginError> {
            Ok(match n.as_ref().and_then(|n| either(n, a, b)) {
                Some(x) => !x.get::<bool>("disable")?.unwrap_or(false),
                None => false,
            })
        };
        let mut slos = Vec::new();
        for s in list(&spec, "slos")? {
            let sli = s.field("sli");
            let events = sli.as_ref().and_then(|i| i.field("events"));
            let q = |a: &str, b: &str| -> Result<Option<String>, PluginError> {
                match events.as_ref().and_then(|e| either(e, a, b)) {
                    Some(n) => Ok(Some(n.to::<&str>()?.to_owned())),
                    None => Ok(None),
                }
            };
            let alerting = s.field("alerting");
            slos.push(Slo {
                name: s.require::<&str>("name")?.to_owned(),
                objective: s.get("objective")?,
                error_query: q("error_query", "errorQuery")?,
                total_query: q("total_query", "totalQuery")?,
                other_sli: sli
                    .as_ref()
                    .is_some_and(|i| i.field("raw").is_some() || i.field("plugin").is_some()),
                page_alert: alert(&alerting, "page_alert", "pageAlert")?,
                ticket_alert: alert(&alerting, "ticket_alert", "ticketAlert")?,
                node: s,
            });
        }
        Ok(Self {
            version: text(&root, "version")?,
            service: text(&spec, "service")?,
            slos,
        })
    }
}

/// A CycloneDX BOM.
#[derive(Debug, Clone)]
pub struct Bom<'a> {
    /// `specVersion`.
    pub spec_version: Option<String>,
    /// `metadata.timestamp`.
    pub timestamp: Option<(Instant, Reading)>,
    /// `components` (top level and nested `components`, depth first).
    pub components: Vec<BomComponent<'a>>,
}

/// A BOM component.
#[derive(Debug, Clone)]
pub struct BomComponent<'a> {
    /// The component.
    pub node: Node<'a>,
    /// `type` (`library`, `machine-learning-model`, `data`, ...).
    pub kind: String,
    /// `name`.
    pub name: String,
    /// `version`.
    pub version: Option<String>,
    /// `bom-ref`.
    pub bom_ref: Option<String>,
    /// `hashes[]` as (`alg`, `content`).
    pub hashes: Vec<(String, String)>,
    /// `modelCard`.
    pub model_card: Option<Node<'a>>,
}

impl<'a> Bom<'a> {
    /// Reads the BOM (`bomFormat` must be `CycloneDX` when present).
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let root = doc.root();
        if let Some(f) = root.get::<&str>("bomFormat")? {
            if f != "CycloneDX" {
                return Err(root
                    .require_field("bomFormat")?
                    .malformed("expected `CycloneDX`"));
            }
        }
        let mut components = Vec::new();
        let mut stack: Vec<Node<'a>> = list(&root, "components")?;
        stack.reverse();
        while let Some(c) = stack.pop() {
            let mut nested = list(&c, "components")?;
            nested.reverse();
            let mut hashes = Vec::new();
            for h in list(&c, "hashes")? {
                hashes.push((
                    h.require::<&str>("alg")?.to_owned(),
                    h.require::<&str>("content")?.to_owned(),
                ));
            }
            components.push(BomComponent {
                kind: c.require::<&str>("type")?.to_owned(),
                name: c.require::<&str>("name")?.to_owned(),
                version: text(&c, "version")?,
                bom_ref: text(&c, "bom-ref")?,
                hashes,
                model_card: c.field("modelCard"),
                node: c,
            });
            stack.extend(nested);
        }
        Ok(Self {
            spec_version: text(&root, "specVersion")?,
            timestamp: root
                .field("metadata")
                .and_then(|m| m.field("timestamp"))
                .map(|t| node_instant(&t))
                .transpose()?,
            components,
        })
    }

    /// Components of `type: machine-learning-model`.
    pub fn models(&self) -> impl Iterator<Item = &BomComponent<'a>> {
        self.components
            .iter()
            .filter(|c| c.kind == "machine-learning-model")
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
            path: "evidence/m.json".into(),
            format: crate::EvidenceFormat::Json,
            document: 0,
            json: json.into(),
        })
        .unwrap()
    }

    // Great Expectations 0.18 checkpoint result.
    #[test]
    fn ge_checkpoint_results() {
        let d = doc(
            r#"{"run_id": {"run_name": "nightly", "run_time": "2026-11-28T10:15:00.000000+00:00"}, "success": false,
              "run_results": {"ValidationResultIdentifier::orders/nightly": {"validation_result": {
                "success": false, "statistics": {"evaluated_expectations": 2, "successful_expectations": 1,
                  "unsuccessful_expectations": 1, "success_percent": 50.0},
                "results": [
                  {"success": true, "expectation_config": {"expectation_type": "expect_column_values_to_not_be_null", "kwargs": {"column": "email"}}, "exception_info": {"raised_exception": false}},
                  {"success": false, "expectation_config": {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "email", "regex": ".+@.+"}}}],
                "meta": {"expectation_suite_name": "orders", "run_id": {"run_time": "2026-11-28T10:15:00.000000+00:00"}}},
                "actions_results": {}}}}"#,
        );
        let v = Validation::read_all(&d).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].success, Some(false));
        assert_eq!(v[0].suite.as_deref(), Some("orders"));
        assert_eq!(v[0].unsuccessful, Some(1));
        assert_eq!(v[0].run_time.unwrap().0.unix_seconds(), 1_795_860_900);
        assert_eq!(
            v[0].results[1].expectation.as_deref(),
            Some("expect_column_values_to_match_regex")
        );
        assert_eq!(
            v[0].results[1].node.pointer(),
            "/run_results/ValidationResultIdentifier::orders~1nightly/validation_result/results/1"
        );
    }

    // OpenLineage spec 2-0-2 RunEvent with schema, columnLineage and dataQualityMetrics facets.
    #[test]
    fn openlineage_events() {
        let d = doc(
            r#"[{"eventType": "COMPLETE", "eventTime": "2026-11-28T10:15:00.123Z",
               "run": {"runId": "01936b8e-8f2c-7d4a-9b1e-2f3c4d5e6f70", "facets": {}},
               "job": {"namespace": "ml", "name": "train_classifier"},
               "inputs": [{"namespace": "s3://ml-data", "name": "training/orders",
                 "facets": {"schema": {"fields": [{"name": "email", "type": "string"}]},
                            "dataSource": {"name": "s3", "uri": "s3://ml-data"}},
                 "inputFacets": {"dataQualityMetrics": {"rowCount": 1000, "columnMetrics": {"email": {"nullCount": 0}}}}}],
               "outputs": [{"namespace": "s3://ml-data", "name": "features",
                 "facets": {"columnLineage": {"fields": {"email_hash": {"inputFields": [
                   {"namespace": "s3://ml-data", "name": "training/orders", "field": "email"}]}}}}}],
               "producer": "https://github.com/OpenLineage/OpenLineage/tree/1.24.0/integration/spark",
               "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"}]"#,
        );
        let e = RunEvent::read_all(&d).unwrap();
        assert_eq!(e[0].job_name, "train_classifier");
        assert_eq!(e[0].inputs[0].schema_fields[0].1, "email");
        assert_eq!(
            e[0].inputs[0].schema_fields[0].0.pointer(),
            "/0/inputs/0/facets/schema/fields/0"
        );
        assert!(e[0].inputs[0].data_quality_metrics.is_some());
        assert_eq!(e[0].outputs[0].column_lineage[0].1[0].field, "email");
        let bad = doc(
            r#"{"eventTime": "2026-11-28T10:15:00Z", "run": {}, "job": {"namespace": "n", "name": "j"}}"#,
        );
        assert!(RunEvent::read_all(&bad).is_err());
    }

    // MLflow REST API 2.0 GET /api/2.0/mlflow/model-versions/get.
    #[test]
    fn mlflow_model_version() {
        let d = doc(
            r#"{"model_version": {"name": "churn", "version": "7", "creation_timestamp": 1795860900123,
              "last_updated_timestamp": 1795860960000, "user_id": "alice", "current_stage": "Production",
              "source": "models:/m-123", "run_id": "a1b2c3", "status": "READY",
              "tags": [{"key": "validation_status", "value": "approved"}], "aliases": ["champion"]}}"#,
        );
        let m = ModelVersion::read(&d).unwrap();
        assert_eq!(m.created.unwrap().unix_seconds(), 1_795_860_900);
        assert_eq!(m.tag("validation_status"), Some("approved"));
        assert_eq!(m.tag("absent"), None);
        assert_eq!(m.aliases, ["champion"]);
        assert_eq!(m.node.pointer(), "/model_version");
    }

    // lakeFS api/swagger.yml CommitList.
    #[test]
    fn lakefs_commits() {
        let d = doc(
            r#"{"pagination": {"has_more": false, "next_offset": "", "results": 1, "max_per_page": 100},
              "results": [{"id": "c7a6f1e2", "parents": ["b1d2"], "committer": "alice", "message": "training snapshot",
                "creation_date": 1795860900, "meta_range_id": "mr1", "metadata": {"dvc": "1"}, "generation": 3, "version": 1}]}"#,
        );
        let c = Commit::read_all(&d).unwrap();
        assert_eq!(c[0].created.unwrap().unix_seconds(), 1_795_860_900);
        assert_eq!(c[0].metadata, [("dvc".to_owned(), "1".to_owned())]);
        assert_eq!(c[0].node.pointer(), "/results/0");
    }

    // Sloth prometheus/v1 spec.
    #[test]
    fn sloth_spec() {
        let d = doc(
            r#"{"version": "prometheus/v1", "service": "model-serving", "labels": {"owner": "ml"},
              "slos": [{"name": "requests-availability", "objective": 99.9,
                "sli": {"events": {"error_query": "sum(rate(http_requests_total{code=~\"5..\"}[{{.window}}]))",
                                   "total_query": "sum(rate(http_requests_total[{{.window}}]))"}},
                "alerting": {"name": "ModelServingHighErrorRate", "page_alert": {"labels": {"severity": "page"}},
                             "ticket_alert": {"disable": true}}}]}"#,
        );
        let s = SlothSpec::read(&d).unwrap();
        assert_eq!(s.slos[0].objective, Some(99.9));
        assert!(s.slos[0].error_query.is_some());
        assert!(s.slos[0].page_alert);
        assert!(!s.slos[0].ticket_alert);
    }

    // CycloneDX 1.6 ML-BOM.
    #[test]
    fn cyclonedx_ml_bom() {
        let d = doc(
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
              "metadata": {"timestamp": "2026-11-28T10:15:00Z"},
              "components": [{"type": "machine-learning-model", "bom-ref": "model-1", "name": "churn", "version": "7",
                "hashes": [{"alg": "SHA-256", "content": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}],
                "modelCard": {"modelParameters": {"task": "classification"}},
                "components": [{"type": "data", "name": "orders-training"}]},
                {"type": "library", "name": "scikit-learn", "version": "1.5.2"}]}"#,
        );
        let b = Bom::read(&d).unwrap();
        assert_eq!(b.components.len(), 3);
        assert_eq!(b.components[1].node.pointer(), "/components/0/components/0");
        assert_eq!(b.models().count(), 1);
        assert!(b.models().next().unwrap().model_card.is_some());
        assert!(Bom::read(&doc(r#"{"bomFormat": "SPDX"}"#)).is_err());
    }
}
