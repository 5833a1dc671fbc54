//! Back-matter resources: what the assessment rests on, each with its
//! sha256, so observations and `import-ap` can point at them (`#<uuid>`)
//! and a reader can check every byte.

use serde_json::Value;

use super::json::{ni_sha256, path_href, prop, props, rlink, Obj};
use super::Ctx;

/// The UUID of the policy set's resource (`import-ap` points here).
pub(crate) fn policy_uuid(ctx: &Ctx<'_>) -> String {
    ctx.uuid("resource/policy")
}

/// The UUID of the resource for the evidence file at `path`, when the
/// bundle has one.
pub(crate) fn evidence_uuid(ctx: &Ctx<'_>, path: &str) -> Option<String> {
    ctx.p
        .bundle
        .evidence_file(path)
        .map(|e| ctx.uuid(&format!("resource/evidence/{}", e.path)))
}

/// The back-matter.
pub(crate) fn back_matter(ctx: &Ctx<'_>) -> Value {
    let p = ctx.p;
    let mut resources = vec![
        Obj::new()
            .set("uuid", ctx.uuid("resource/attestation"))
            .set("title", format!("assay attestation `{}`", ctx.doc.source))
            .set(
                "description",
                "The DSSE envelope (Ed25519) holding the in-toto statement this document \
                 was rendered from.",
            )
            .list(
                "props",
                props([ctx
                    .doc
                    .statement
                    .as_ref()
                    .and_then(|s| prop("assay-predicate-type", &s.predicate_type))]),
            )
            .set(
                "rlinks",
                Value::Array(vec![rlink(
                    &path_href(&ctx.doc.source),
                    Some("application/json"),
                    &ctx.doc.envelope_sha256,
                )]),
            )
            .build(),
        digest_only(
            ctx,
            "resource/policy",
            format!("Policy set `{}` {}", p.policy.name, p.policy.version),
            "The policy set applied: plugins, their parameters and the controls they address. \
             The attestation records it by sha256 only.",
            &p.policy.sha256,
            props([
                prop("assay-policy-name", &p.policy.name),
                prop("assay-policy-version", &p.policy.version),
                prop("assay-policy-sha256", &p.policy.sha256),
                p.policy
                    .pack
                    .as_ref()
                    .and_then(|b| prop("assay-policy-pack-sha256", &b.sha256)),
                p.policy
                    .pack
                    .as_ref()
                    .and_then(|b| b.signer.as_ref())
                    .and_then(|s| prop("assay-policy-pack-signer-key-id", &s.key_id)),
            ]),
        ),
        file(
            ctx.uuid("resource/manifest"),
            format!("Evidence bundle manifest `{}`", p.bundle.manifest.name),
            "The bundle's manifest: the deployment's declared facts and the evidence files.",
            &p.bundle.manifest.name,
            &p.bundle.manifest.sha256,
            Vec::new(),
        ),
    ];
    if let Some(w) = &p.waivers {
        resources.push(digest_only(
            ctx,
            "resource/waivers",
            "Waiver file".into(),
            "The waivers applied to this evaluation. The attestation records the file by sha256 \
             only.",
            &w.sha256,
            props([prop("assay-waivers-sha256", &w.sha256)]),
        ));
    }
    resources.extend(p.bundle.evidence.iter().map(|e| {
        file(
            ctx.uuid(&format!("resource/evidence/{}", e.path)),
            format!("Evidence `{}`", e.path),
            "An evidence file of the bundle; `href` is relative to the bundle's root.",
            &e.path,
            &e.sha256,
            props([
                prop("assay-evidence-kind", &e.kind),
                prop("assay-evidence-format", &e.format),
                prop("assay-evidence-sha256", &e.sha256),
            ]),
        )
    }));
    Obj::new().set("resources", Value::Array(resources)).build()
}

/// A file of the bundle, linked by its bundle-relative path.
fn file(
    uuid: String,
    title: String,
    description: &str,
    path: &str,
    sha256: &str,
    file_props: Vec<Value>,
) -> Value {
    Obj::new()
        .set("uuid", uuid)
        .set("title", title)
        .set("description", description)
        .list("props", file_props)
        .set(
            "rlinks",
            Value::Array(vec![rlink(&path_href(path), None, sha256)]),
        )
        .build()
}

/// Something the attestation names by digest alone: linked by an RFC 6920
/// `ni:` URI, which names content by hash without claiming where it is.
fn digest_only(
    ctx: &Ctx<'_>,
    role: &str,
    title: String,
    description: &str,
    sha256: &str,
    resource_props: Vec<Value>,
) -> Value {
    let rlinks: Vec<Value> = ni_sha256(sha256)
        .map(|href| rlink(&href, None, sha256))
        .into_iter()
        .collect();
    Obj::new()
        .set("uuid", ctx.uuid(role))
        .set("title", title)
        .set("description", description)
        .list("props", resource_props)
        .list("rlinks", rlinks)
        .build()
}
