//! Observability readers: PagerDuty REST API v2 schedules, escalation
//! policies and services; Fluent Bit (YAML and classic) and Vector
//! pipelines as one graph of sources, transforms and sinks.
//!
//! Derived facts: who is on call at an instant (from the rendered final
//! schedule), escalation depth, and which sources reach which sinks through
//! which transforms, with whether a redaction step is on the way. Not read
//! yet: schedule layers are kept but not rendered (restrictions, rotation
//! arithmetic; use `final_schedule`), Fluent Bit `@INCLUDE`/`@SET` (noted as
//! unsupported), `match_regex`, tag rewriting (`rewrite_tag`), and Vector
//! remap programs loaded from `file`.

use super::shape::{entries, list, one_or_many, text};
use super::when::{node_instant, Instant};
use crate::bindings::PluginError;
use crate::evidence::{Document, Node};

/// The object under `key` (the REST wrapper, `{"schedule": {...}}`), or
/// the root when the export is the bare object.
fn unwrap<'a>(doc: &'a Document, key: &str) -> Node<'a> {
    doc.root().field(key).unwrap_or_else(|| doc.root())
}

/// A PagerDuty schedule.
#[derive(Debug, Clone)]
pub struct Schedule<'a> {
    /// The schedule object.
    pub node: Node<'a>,
    /// `id`.
    pub id: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `time_zone`.
    pub time_zone: Option<String>,
    /// `schedule_layers`.
    pub layers: Vec<Layer<'a>>,
    /// `final_schedule.rendered_schedule_entries`.
    pub entries: Vec<Entry<'a>>,
}

/// A `schedule_layers` entry.
#[derive(Debug, Clone)]
pub struct Layer<'a> {
    /// The layer.
    pub node: Node<'a>,
    /// `name`.
    pub name: Option<String>,
    /// `rotation_virtual_start`.
    pub rotation_virtual_start: Option<Instant>,
    /// `rotation_turn_length_seconds`.
    pub rotation_turn_length_seconds: Option<u64>,
    /// `users[].user.id`.
    pub user_ids: Vec<String>,
    /// `restrictions`, as written.
    pub restrictions: Vec<Node<'a>>,
}

/// A rendered schedule entry.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The entry.
    pub node: Node<'a>,
    /// `start`.
    pub start: Instant,
    /// `end`.
    pub end: Instant,
    /// `user.id`.
    pub user_id: Option<String>,
    /// `user.summary`.
    pub user_summary: Option<String>,
}

impl<'a> Schedule<'a> {
    /// Reads a schedule (`{"schedule": {...}}` or the bare object).
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let s = unwrap(doc, "schedule");
        let mut layers = Vec::new();
        for l in list(&s, "schedule_layers")? {
            let mut user_ids = Vec::new();
            for u in list(&l, "users")? {
                if let Some(id) = u
                    .field("user")
                    .map(|u| text(&u, "id"))
                    .transpose()?
                    .flatten()
                {
                    user_ids.push(id);
                }
            }
            layers.push(Layer {
                name: text(&l, "name")?,
                rotation_virtual_start: l
                    .field("rotation_virtual_start")
                    .map(|n| node_instant(&n).map(|(i, _)| i))
                    .transpose()?,
                rotation_turn_length_seconds: l.get("rotation_turn_length_seconds")?,
                user_ids,
                restrictions: list(&l, "restrictions")?,
                node: l,
            });
        }
        let mut entries = Vec::new();
        if let Some(f) = s.field("final_schedule") {
            for e in list(&f, "rendered_schedule_entries")? {
                let user = e.field("user");
                entries.push(Entry {
                    start: node_instant(&e.require_field("start")?)?.0,
                    end: node_instant(&e.require_field("end")?)?.0,
                    user_id: user.as_ref().map(|u| text(u, "id")).transpose()?.flatten(),
                    user_summary: user
                        .as_ref()
                        .map(|u| text(u, "summary"))
                        .transpose()?
                        .flatten(),
                    node: e,
                });
            }
        }
        Ok(Self {
            id: text(&s, "id")?,
            name: text(&s, "name")?,
            time_zone: text(&s, "time_zone")?,
            layers,
            entries,
            node: s,
        })
    }

    /// The rendered entries covering `at` (`start <= at < end`). Empty
    /// means nobody is on call, or `at` is outside the rendered window.
    pub fn on_call_at(&self, at: Instant) -> Vec<&Entry<'a>> {
        self.entries
            .iter()
            .filter(|e| e.start <= at && at < e.end)
            .collect()
    }

    /// The rendered window: earliest start and latest end.
    pub fn rendered_window(&self) -> Option<(Instant, Instant)> {
        let start = self.entries.iter().map(|e| e.start).min()?;
        let end = self.entries.iter().map(|e| e.end).max()?;
        Some((start, end))
    }
}

/// A PagerDuty escalation policy.
#[derive(Debug, Clone)]
pub struct EscalationPolicy<'a> {
    /// The policy object.
    pub node: Node<'a>,
    /// `id`.
    pub id: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `escalation_rules`.
    pub rules: Vec<EscalationRule<'a>>,
    /// `num_loops` (0 when absent).
    pub num_loops: u64,
}

/// An `escalation_rules` entry.
#[derive(Debug, Clone)]
pub struct EscalationRule<'a> {
    /// The rule.
    pub node: Node<'a>,
    /// `escalation_delay_in_minutes`.
    pub delay_minutes: Option<u64>,
    /// `targets[]` as (`type`, `id`): `user_reference`, `schedule_reference`.
    pub targets: Vec<(String, String)>,
}

impl<'a> EscalationPolicy<'a> {
    /// Reads a policy (`{"escalation_policy": {...}}` or the bare object).
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let p = unwrap(doc, "escalation_policy");
        let mut rules = Vec::new();
        for r in list(&p, "escalation_rules")? {
            let mut targets = Vec::new();
            for t in list(&r, "targets")? {
                targets.push((
                    text(&t, "type")?.unwrap_or_default(),
                    t.require::<&str>("id")?.to_owned(),
                ));
            }
            rules.push(EscalationRule {
                delay_minutes: r.get("escalation_delay_in_minutes")?,
                targets,
                node: r,
            });
        }
        Ok(Self {
            id: text(&p, "id")?,
            name: text(&p, "name")?,
            num_loops: p.get("num_loops")?.unwrap_or(0),
            rules,
            node: p,
        })
    }

    /// Escalation depth: the number of levels that notify somebody (rules
    /// with at least one target).
    pub fn depth(&self) -> usize {
        self.rules.iter().filter(|r| !r.targets.is_empty()).count()
    }
}

/// A PagerDuty service.
#[derive(Debug, Clone)]
pub struct Service<'a> {
    /// The service object.
    pub node: Node<'a>,
    /// `id`.
    pub id: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `status` (`active`, `warning`, `critical`, `maintenance`, `disabled`).
    pub status: Option<String>,
    /// `escalation_policy.id`.
    pub escalation_policy_id: Option<String>,
}

impl<'a> Service<'a> {
    /// Reads a service (`{"service": {...}}` or the bare object).
    pub fn read(doc: &'a Document) -> Result<Self, PluginError> {
        let s = unwrap(doc, "service");
        Ok(Self {
            id: text(&s, "id")?,
            name: text(&s, "name")?,
            status: text(&s, "status")?,
            escalation_policy_id: s
                .field("escalation_policy")
                .map(|e| text(&e, "id"))
                .transpose()?
                .flatten(),
            node: s,
        })
    }
}

// ---------------------------------------------------------------------------
// Log pipelines

/// What a pipeline component does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Fluent Bit input, Vector source.
    Source,
    /// Fluent Bit filter, Vector transform.
    Transform,
    /// Fluent Bit output, Vector sink.
    Sink,
}

/// One pipeline component.
#[derive(Debug, Clone)]
pub struct Component<'a> {
    /// Its definition (YAML/JSON object, or the `[SECTION]` line of a
    /// classic config).
    pub node: Node<'a>,
    /// Vector component id; Fluent Bit `alias`, else `<name>.<n>`.
    pub id: String,
    /// Its role.
    pub role: Role,
    /// Vector `type`, Fluent Bit `name` (`tail`, `modify`, `es`, ...).
    pub plugin: String,
    /// Vector `inputs` (may hold `*` globs); Fluent Bit `match` patterns.
    pub inputs: Vec<String>,
    /// Fluent Bit input `tag`.
    pub tag: Option<String>,
    /// Whether this step redacts: Vector `remap` whose `source` calls
    /// `redact(`; Fluent Bit `modify`/`record_modifier`/`lua` whose alias,
    /// `call` or `script` names redaction.
    pub redacts: bool,
    /// Every key/value as written (classic keys lower-cased).
    pub settings: Vec<(String, String)>,
}

/// Fluent Bit or Vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Fluent Bit: routing by tag and `match`.
    FluentBit,
    /// Vector: routing by `inputs`.
    Vector,
}

/// A log pipeline.
#[derive(Debug, Clone)]
pub struct Pipeline<'a> {
    /// Which tool.
    pub flavour: Flavour,
    /// Components in document order.
    pub components: Vec<Component<'a>>,
    /// Lines or entries the reader does not follow (`@INCLUDE`, `@SET`,
    /// `includes`): a route through them is unknown.
    pub unsupported: Vec<Node<'a>>,
}

/// A path from a source to a sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Source component id.
    pub source: String,
    /// Transform ids in order.
    pub through: Vec<String>,
    /// Sink component id.
    pub sink: String,
    /// Whether a redacting transform is on the path.
    pub redacted: bool,
}

const MAX_ROUTES: usize = 10_000;

/// A classic-config section being read: its header line, role and settings.
type Section<'a> = (Node<'a>, Role, Vec<(String, String)>);

impl<'a> Pipeline<'a> {
    /// Reads a Fluent Bit config: YAML (`pipeline.inputs/filters/outputs`)
    /// or classic, delivered as a `text` document (`{"lines": [...]}`).
    pub fn read_fluent_bit(doc: &'a Document) -> Result<Self, PluginError> {
        let root = doc.root();
        let mut p = Self {
            flavour: Flavour::FluentBit,
            components: Vec::new(),
            unsupported: Vec::new(),
        };
        if let Some(lines) = root.field("lines") {
            if root.field("pipeline").is_none() {
                p.read_classic(&lines)?;
                return Ok(p);
            }
        }
        p.unsupported.extend(list(&root, "includes")?);
        let pipeline = root.field("pipeline");
        for (key, role) in [
            ("inputs", Role::Source),
            ("filters", Role::Transform),
            ("outputs", Role::Sink),
        ] {
            let items = match &pipeline {
                Some(pl) => list(pl, key)?,
                None => Vec::new(),
            };
            for n in items {
                let mut settings = Vec::new();
                for (k, v) in entries(&n)? {
                    if let Ok(s) = super::shape::scalar_text(&v) {
                        settings.push((k.to_ascii_lowercase(), s));
                    }
                }
                p.push_fluent(n, role, settings)?;
            }
        }
        Ok(p)
    }

    fn read_classic(&mut self, lines: &Node<'a>) -> Result<(), PluginError> {
        let mut current: Option<Section<'a>> = None;
        for line in lines.items()? {
            let raw = line.to::<&str>()?.trim();
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            if raw.starts_with('@') {
                self.unsupported.push(line);
                continue;
            }
            if let Some(section) = raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                if let Some((n, role, settings)) = current.take() {
                    self.push_fluent(n, role, settings)?;
                }
                let role = match section.trim().to_ascii_uppercase().as_str() {
                    "INPUT" => Some(Role::Source),
                    "FILTER" => Some(Role::Transform),
                    "OUTPUT" => Some(Role::Sink),
                    _ => None,
                };
                current = role.map(|r| (line, r, Vec::new()));
                continue;
            }
            if let Some((_, _, settings)) = current.as_mut() {
                let (k, v) = raw.split_once(char::is_whitespace).unwrap_or((raw, ""));
                settings.push((k.to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        if let Some((n, role, settings)) = current {
            self.push_fluent(n, role, settings)?;
        }
        Ok(())
    }

    fn push_fluent(
        &mut self,
        node: Node<'a>,
        role: Role,
        settings: Vec<(String, String)>,
    ) -> Result<(), PluginError> {
        let get = |k: &str| {
            settings
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let plugin = get("name").ok_or_else(|| node.malformed("missing `name`"))?;
        let n = self
            .components
            .iter()
            .filter(|c| c.plugin == plugin)
            .count();
        let id = get("alias").unwrap_or_else(|| format!("{plugin}.{n}"));
        let tag = (role == Role::Source).then(|| get("tag").unwrap_or_else(|| id.clone()));
        let redacts = role == Role::Transform
            && matches!(plugin.as_str(), "modify" | "record_modifier" | "lua")
            && ["alias", "call", "script"]
                .iter()
                .filter_map(|k| get(k))
                .any(|v| v.to_ascii_lowercase().contains("redact"));
        self.components.push(Component {
            inputs: get("match").into_iter().collect(),
            node,
            id,
            role,
            plugin,
            tag,
            redacts,
            settings,
        });
        Ok(())
    }

    /// Reads a Vector config (`sources`, `transforms`, `sinks`).
    pub fn read_vector(doc: &'a Document) -> Result<Self, PluginError> {
        let root = doc.root();
        let mut components = Vec::new();
        for (key, role) in [
            ("sources", Role::Source),
            ("transforms", Role::Transform),
            ("sinks", Role::Sink),
        ] {
            let Some(section) = root.field(key) else {
                continue;
            };
            for (id, n) in entries(&section)? {
                let plugin = n.require::<&str>("type")?.to_owned();
                let inputs = match n.field("inputs") {
                    Some(i) => one_or_many(&i)?,
                    None => Vec::new(),
                };
                let source = n.get::<&str>("source")?.unwrap_or("");
                let redacts =
                    role == Role::Transform && plugin == "remap" && source.contains("redact(");
                let mut settings = Vec::new();
                for (k, v) in entries(&n)? {
                    if let Ok(s) = super::shape::scalar_text(&v) {
                        settings.push((k, s));
                    }
                }
                components.push(Component {
                    node: n,
                    id,
                    role,
                    plugin,
                    inputs,
                    tag: None,
                    redacts,
                    settings,
                });
            }
        }
        Ok(Self {
            flavour: Flavour::Vector,
            components,
            unsupported: Vec::new(),
        })
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&Component<'a>> {
        self.components.iter().find(|c| c.id == id)
    }

    /// Every source-to-sink path (at most 10 000; Vector cycles are cut).
    pub fn routes(&self) -> Vec<Route> {
        match self.flavour {
            Flavour::FluentBit => self.fluent_routes(),
            Flavour::Vector => self.vector_routes(),
        }
    }

    /// Whether some path from `source` to `sink` skips every redaction step.
    pub fn unredacted_route(&self, source: &str, sink: &str) -> Option<Route> {
        self.routes()
            .into_iter()
            .find(|r| r.source == source && r.sink == sink && !r.redacted)
    }

    fn fluent_routes(&self) -> Vec<Route> {
        let mut out = Vec::new();
        let of = |role| self.components.iter().filter(move |c| c.role == role);
        for input in of(Role::Source) {
            let tag = input.tag.as_deref().unwrap_or("");
            let hit =
                |c: &Component<'_>| c.inputs.iter().any(|m| super::shape::glob(m, tag, false));
            let filters: Vec<&Component<'_>> = of(Role::Transform).filter(|c| hit(c)).collect();
            for output in of(Role::Sink).filter(|c| hit(c)) {
                out.push(Route {
                    source: input.id.clone(),
                    through: filters.iter().map(|f| f.id.clone()).collect(),
                    sink: output.id.clone(),
                    redacted: filters.iter().any(|f| f.redacts),
                });
            }
        }
        out
    }

    fn vector_routes(&self) -> Vec<Route> {
        let mut out = Vec::new();
        for source in self.components.iter().filter(|c| c.role == Role::Source) {
            let mut path = vec![source];
            self.walk(&mut path, &mut out);
        }
        out
    }

    fn walk<'s>(&'s self, path: &mut Vec<&'s Component<'a>>, out: &mut Vec<Route>) {
        let Some(last) = path.last().copied() else {
            return;
        };
        for next in self.components.iter().filter(|c| {
            c.inputs
                .iter()
                .any(|i| super::shape::glob(i, &last.id, false))
        }) {
            if out.len() >= MAX_ROUTES || path.iter().any(|p| p.id == next.id) {
                continue;
            }
            match next.role {
                Role::Sink => {
                    let (first, middle) = match path.split_first() {
                        Some(x) => x,
                        None => continue,
                    };
                    out.push(Route {
                        source: first.id.clone(),
                        through: middle.iter().map(|c| c.id.clone()).collect(),
                        sink: next.id.clone(),
                        redacted: middle.iter().any(|c| c.redacts),
                    });
                }
                Role::Transform => {
                    path.push(next);
                    self.walk(path, out);
                    path.pop();
                }
                Role::Source => {}
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::bindings::Evidence;
    use crate::native::when::parse_instant;

    fn doc(json: &str) -> Document {
        Document::parse(Evidence {
            kind: "k".into(),
            path: "evidence/o.json".into(),
            format: crate::EvidenceFormat::Json,
            document: 0,
            json: json.into(),
        })
        .unwrap()
    }

    fn at(t: &str) -> Instant {
        parse_instant(t).unwrap().0
    }

    // PagerDuty REST API v2: GET /schedules/{id}?since&until.
    #[test]
    fn on_call_from_rendered_entries() {
        let d = doc(
            r#"{"schedule": {"id": "PI7DH85", "type": "schedule", "name": "ML platform", "time_zone": "Europe/Berlin",
              "schedule_layers": [{"id": "PG68P1M", "name": "Layer 1", "start": "2026-01-01T00:00:00+01:00",
                "end": null, "rotation_virtual_start": "2026-01-01T09:00:00+01:00",
                "rotation_turn_length_seconds": 604800,
                "users": [{"user": {"id": "PXPGF42", "type": "user_reference"}}],
                "restrictions": [{"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 28800}]}],
              "final_schedule": {"name": "Final Schedule", "rendered_coverage_percentage": 33.3,
                "rendered_schedule_entries": [
                  {"start": "2026-11-28T09:00:00+01:00", "end": "2026-11-28T17:00:00+01:00",
                   "user": {"id": "PXPGF42", "type": "user_reference", "summary": "Earline Greenholt"}}]}}}"#,
        );
        let s = Schedule::read(&d).unwrap();
        assert_eq!(s.layers[0].rotation_turn_length_seconds, Some(604_800));
        assert_eq!(s.layers[0].user_ids, ["PXPGF42"]);
        let on = s.on_call_at(at("2026-11-28T10:15:00Z"));
        assert_eq!(on[0].user_id.as_deref(), Some("PXPGF42"));
        assert_eq!(
            on[0].node.pointer(),
            "/schedule/final_schedule/rendered_schedule_entries/0"
        );
        // The end is exclusive, and outside the restriction nobody is on call.
        assert!(s.on_call_at(at("2026-11-28T16:00:00Z")).is_empty());
        assert!(s.on_call_at(at("2026-11-28T02:00:00Z")).is_empty());
    }

    #[test]
    fn escalation_depth_and_service() {
        let d = doc(
            r#"{"escalation_policy": {"id": "PANZZEQ", "name": "ML on-call", "num_loops": 2,
              "escalation_rules": [
                {"id": "R1", "escalation_delay_in_minutes": 30, "targets": [{"id": "PI7DH85", "type": "schedule_reference"}]},
                {"id": "R2", "escalation_delay_in_minutes": 15, "targets": []},
                {"id": "R3", "escalation_delay_in_minutes": 15, "targets": [{"id": "PXPGF42", "type": "user_reference"}]}]}}"#,
        );
        let p = EscalationPolicy::read(&d).unwrap();
        assert_eq!(p.depth(), 2);
        assert_eq!(p.num_loops, 2);
        assert_eq!(p.rules[0].targets[0].0, "schedule_reference");
        let d = doc(
            r#"{"service": {"id": "PIJ90N7", "name": "model-serving", "status": "active",
              "escalation_policy": {"id": "PANZZEQ", "type": "escalation_policy_reference"}}}"#,
        );
        let s = Service::read(&d).unwrap();
        assert_eq!(s.escalation_policy_id.as_deref(), Some("PANZZEQ"));
        assert_eq!(s.status.as_deref(), Some("active"));
    }

    // Fluent Bit 3.x YAML configuration ("pipeline" section).
    #[test]
    fn fluent_bit_yaml_routes_and_redaction() {
        let d = doc(r#"{"service": {"flush": 1, "log_level": "info"},
              "pipeline": {
                "inputs": [{"name": "tail", "path": "/var/log/app/*.log", "tag": "app.requests"},
                           {"name": "tail", "path": "/var/log/audit.log", "tag": "audit"}],
                "filters": [{"name": "lua", "match": "app.*", "script": "redact_pii.lua", "call": "redact"}],
                "outputs": [{"name": "s3", "match": "*", "bucket": "logs"}]}}"#);
        let p = Pipeline::read_fluent_bit(&d).unwrap();
        let routes = p.routes();
        assert_eq!(routes.len(), 2);
        assert!(routes[0].redacted);
        assert_eq!(routes[0].through, ["lua.0"]);
        // Negative control: the audit tag skips the `app.*` filter.
        let audit = p.unredacted_route("tail.1", "s3.0").unwrap();
        assert!(audit.through.is_empty());
        assert_eq!(
            p.component("tail.1").unwrap().node.pointer(),
            "/pipeline/inputs/1"
        );
    }

    #[test]
    fn fluent_bit_classic_text() {
        let d = doc(
            r#"{"lines": ["[SERVICE]", "    Flush 1", "@INCLUDE outputs.conf", "", "[INPUT]", "    Name  tail",
              "    Tag   app.*", "[FILTER]", "    Name  modify", "    Match app.*", "    Alias redact_emails",
              "    Remove email", "[OUTPUT]", "    Name  es", "    Match *"]}"#,
        );
        let p = Pipeline::read_fluent_bit(&d).unwrap();
        assert_eq!(p.unsupported[0].pointer(), "/lines/2");
        assert_eq!(p.components.len(), 3);
        assert_eq!(p.components[1].node.pointer(), "/lines/7");
        let r = p.routes();
        assert_eq!(r.len(), 1);
        assert!(r[0].redacted);
        assert_eq!(r[0].through, ["redact_emails"]);
    }

    // Vector 0.4x configuration reference (sources/transforms/sinks).
    #[test]
    fn vector_graph_walk() {
        let d = doc(
            r#"{"sources": {"app_logs": {"type": "file", "include": ["/var/log/app/*.log"]}},
              "transforms": {
                "scrub": {"type": "remap", "inputs": ["app_logs"], "source": ".message = redact(.message, filters: [\"us_social_security_number\"])"},
                "tag": {"type": "remap", "inputs": ["app_*"], "source": ".env = \"prod\""}},
              "sinks": {
                "archive": {"type": "aws_s3", "inputs": ["scrub"], "encoding": {"codec": "json"}, "buffer": {"type": "disk", "max_size": 268435488}},
                "debug": {"type": "console", "inputs": ["tag"], "encoding": {"codec": "text"}}}}"#,
        );
        let p = Pipeline::read_vector(&d).unwrap();
        let routes = p.routes();
        assert_eq!(routes.len(), 2);
        let archive = routes.iter().find(|r| r.sink == "archive").unwrap();
        assert!(archive.redacted);
        assert_eq!(archive.through, ["scrub"]);
        let debug = p.unredacted_route("app_logs", "debug").unwrap();
        assert_eq!(debug.through, ["tag"]);
        assert!(p.unredacted_route("app_logs", "archive").is_none());
        assert_eq!(
            p.component("archive").unwrap().node.pointer(),
            "/sinks/archive"
        );
    }
}
