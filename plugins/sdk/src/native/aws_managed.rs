//! The content of common AWS-managed IAM policies, for exports that attach
//! them without listing them. `aws iam get-account-authorization-details`
//! includes an AWS-managed policy in `Policies` only when asked for
//! `AWSManagedPolicy`, and most exports are not, so `AdministratorAccess`
//! on a break-glass role arrives as a bare ARN. Knowing what the common
//! ones grant lets a plugin judge that role instead of giving up on it.
//!
//! The statements are those AWS publishes for each policy (trimmed where a
//! long list of read actions is summarised by the same `Get*`, `List*`,
//! `Describe*` patterns the read-only policies use). An ARN that is not in
//! the table is unknown: [`aws_managed_policy`] returns `None` and a plugin
//! must treat the grant as unresolved, never as empty.
//!
//! ```
//! use assay_plugin_sdk::native::aws::Effect;
//! use assay_plugin_sdk::native::aws_managed::aws_managed_policy;
//!
//! let admin = aws_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
//! assert_eq!(admin[0].effect, Effect::Allow);
//! assert_eq!(admin[0].actions, &["*"]);
//! assert!(aws_managed_policy("arn:aws:iam::aws:policy/SomethingNew").is_none());
//! ```

use super::aws::Effect;

/// One statement of an AWS-managed policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagedStatement {
    /// `Effect`.
    pub effect: Effect,
    /// `Action`, or `NotAction` when `not_action` is set.
    pub actions: &'static [&'static str],
    /// Whether `actions` is a `NotAction` list.
    pub not_action: bool,
    /// `Resource`.
    pub resources: &'static [&'static str],
}

const fn allow(
    actions: &'static [&'static str],
    resources: &'static [&'static str],
) -> ManagedStatement {
    ManagedStatement {
        effect: Effect::Allow,
        actions,
        not_action: false,
        resources,
    }
}

const ALL: &[&str] = &["*"];

const ADMINISTRATOR: &[ManagedStatement] = &[allow(&["*"], ALL)];

const POWER_USER: &[ManagedStatement] = &[
    ManagedStatement {
        effect: Effect::Allow,
        actions: &["iam:*", "organizations:*", "account:*"],
        not_action: true,
        resources: ALL,
    },
    allow(
        &[
            "iam:CreateServiceLinkedRole",
            "iam:DeleteServiceLinkedRole",
            "iam:ListRoles",
            "organizations:DescribeOrganization",
            "account:ListRegions",
            "account:GetAccountInformation",
        ],
        ALL,
    ),
];

const READ_ONLY: &[ManagedStatement] = &[allow(
    &["*:Get*", "*:List*", "*:Describe*", "*:BatchGet*", "*:View*"],
    ALL,
)];

const VIEW_ONLY: &[ManagedStatement] = &[allow(&["*:List*", "*:Describe*", "*:View*"], ALL)];

const CHANGE_PASSWORD: &[ManagedStatement] = &[
    allow(
        &["iam:ChangePassword"],
        &["arn:aws:iam::*:user/${aws:username}"],
    ),
    allow(&["iam:GetAccountPasswordPolicy"], ALL),
];

const IAM_FULL: &[ManagedStatement] = &[allow(
    &[
        "iam:*",
        "organizations:DescribeAccount",
        "organizations:ListRoots",
    ],
    ALL,
)];

const S3_FULL: &[ManagedStatement] = &[allow(&["s3:*", "s3-object-lambda:*"], ALL)];

const S3_READ_ONLY: &[ManagedStatement] = &[allow(
    &[
        "s3:Get*",
        "s3:List*",
        "s3:Describe*",
        "s3-object-lambda:Get*",
        "s3-object-lambda:List*",
    ],
    ALL,
)];

const TABLE: &[(&str, &[ManagedStatement])] = &[
    ("AdministratorAccess", ADMINISTRATOR),
    ("PowerUserAccess", POWER_USER),
    ("ReadOnlyAccess", READ_ONLY),
    ("ViewOnlyAccess", VIEW_ONLY),
    ("SecurityAudit", READ_ONLY),
    ("IAMUserChangePassword", CHANGE_PASSWORD),
    ("IAMFullAccess", IAM_FULL),
    ("AmazonS3FullAccess", S3_FULL),
    ("AmazonS3ReadOnlyAccess", S3_READ_ONLY),
];

/// The statements of the AWS-managed policy `arn` (in any partition, with
/// or without a path such as `job-function/`), or `None` when it is not an
/// AWS-managed policy this table knows.
pub fn aws_managed_policy(arn: &str) -> Option<&'static [ManagedStatement]> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("iam"), Some(""), Some("aws"), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let name = rest.strip_prefix("policy/")?.rsplit('/').next()?;
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn known_policies_by_arn() {
        assert_eq!(
            aws_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some(ADMINISTRATOR)
        );
        assert_eq!(
            aws_managed_policy("arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess"),
            Some(VIEW_ONLY)
        );
        assert!(
            aws_managed_policy("arn:aws:iam::123456789012:policy/AdministratorAccess").is_none()
        );
        assert!(aws_managed_policy("AdministratorAccess").is_none());
        assert!(aws_managed_policy("arn:aws:iam::aws:policy/Unknown").is_none());
    }
}
