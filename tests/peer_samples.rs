//! The peers' own labelled samples in `../shared/corpus` (issue 10, "Labelled peer samples"):
//! every KICS query and checkov / trivy check that maps to an ecslint rule (the mapping is the
//! README's parity table) is run on each of its samples, and ecslint must agree with the sample's
//! label — a finding of the mapped rule(s) on a failing sample, none on a passing one — except for
//! the disagreements listed in `EXPLAINED`, each of which the rule's page explains (a peer bug or a
//! different meaning). `cargo test --test peer_samples -- --nocapture` prints the agreement table.
//!
//! Labels: KICS — a file named in `positive_expected_result*.json` fails, `negative*` passes;
//! checkov — the `passing_resources` / `failing_resources` of `checkov/checkov_expectations.json`
//! (judged per resource: a finding inside the resource's block), the CloudFormation EFS example by
//! its `-PASSED` / `-FAILED` file, and the secrets-framework tests (`tests/secrets`) by checkov's
//! test, which expects secrets in both files; trivy — `trivy-checks/extracted/labels.json`.
//! No sample text is copied here: files are named by their corpus path.
//!
//! Left out: KICS queries that map to no rule (`empty_roles_for_ecs_cluster_task_definitions`,
//! `ecs_service_without_running_tasks`: not adopted, see the README), and KICS's
//! `positive_module.tf` of the Terraform network-mode query, which `positive_expected_result.json`
//! does not label (it calls a registry module that is not in the corpus).
//!
//! Without `ECSLINT_CORPUS` at build time the test is compiled as ignored (build.rs), never passed.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the peer says about a sample.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Label {
    /// The peer reports it: the mapped rule should too.
    Fail,
    /// The peer passes it: the mapped rule should be silent.
    Pass,
}
use Label::{Fail, Pass};

/// One sample: a corpus file, optionally one resource in it (checkov labels resources), and its
/// label.
struct Sample {
    file: &'static str,
    resource: Option<&'static str>,
    label: Label,
}

const fn file(file: &'static str, label: Label) -> Sample {
    Sample {
        file,
        resource: None,
        label,
    }
}

const fn res(file: &'static str, resource: &'static str, label: Label) -> Sample {
    Sample {
        file,
        resource: Some(resource),
        label,
    }
}

/// A peer check and the ecslint rule(s) it maps to.
struct Check {
    id: &'static str,
    rules: &'static [&'static str],
    samples: &'static [Sample],
}

const CKV_EFS_FAILED: &str = "checkov/tests/cloudformation/checks/resource/aws/example_ECSTaskDefinitionEFSVolumeEncryption/ECSTaskDefinitionEFSVolumeEncryption-FAILED.yaml";
const CKV_EFS_PASSED: &str = "checkov/tests/cloudformation/checks/resource/aws/example_ECSTaskDefinitionEFSVolumeEncryption/ECSTaskDefinitionEFSVolumeEncryption-PASSED.yaml";
const CKV_223: &str =
    "checkov/tests/terraform/checks/resource/aws/example_ECSClusterLoggingEnabled/main.tf";
const CKV_224: &str =
    "checkov/tests/terraform/checks/resource/aws/example_ECSClusterLoggingEncryptedWithCMK/main.tf";
const CKV_335: &str =
    "checkov/tests/terraform/checks/resource/aws/example_ECSContainerHostProcess/main.tf";
const CKV_336: &str =
    "checkov/tests/terraform/checks/resource/aws/example_ECSContainerReadOnlyRoot/main.tf";
const CKV_333: &str =
    "checkov/tests/terraform/checks/resource/aws/example_ECSServicePublicIP/main.tf";
const CKV_249: &str =
    "checkov/tests/terraform/checks/resource/aws/example_ECSTaskDefinitionRoleCheck/main.tf";

// The table. Paths below are relative to the corpus; `d` is the sample's directory.
const CHECKS: &[Check] = &[
    // ---- KICS ----
    Check {
        id: "KICS ab759fde (CFN container insights)",
        rules: &["ECS306"],
        samples: &[
            file(
                "kics/cloudFormation/aws/ecs_cluster_container_insights_disabled/test/positive1.yaml",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_cluster_container_insights_disabled/test/positive2.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_cluster_container_insights_disabled/test/positive3.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_cluster_container_insights_disabled/test/negative1.yaml",
                Pass,
            ),
            file(
                "kics/cloudFormation/aws/ecs_cluster_container_insights_disabled/test/negative2.json",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS 97cb0688 (TF container insights)",
        rules: &["ECS306"],
        samples: &[
            file(
                "kics/terraform/aws/ecs_cluster_container_insights_disabled/test/positive.tf",
                Fail,
            ),
            file(
                "kics/terraform/aws/ecs_cluster_container_insights_disabled/test/negative.tf",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS 01986452 (CFN service admin role)",
        rules: &["ECS853"],
        samples: &[
            file(
                "kics/cloudFormation/aws/ecs_service_admin_role_is_present/test/positive1.yaml",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_service_admin_role_is_present/test/positive2.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_service_admin_role_is_present/test/negative1.yaml",
                Pass,
            ),
            file(
                "kics/cloudFormation/aws/ecs_service_admin_role_is_present/test/negative2.json",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS 3206240f (TF service admin role)",
        rules: &["ECS853"],
        samples: &[
            file(
                "kics/terraform/aws/ecs_service_admin_role_is_present/test/positive.tf",
                Fail,
            ),
            file(
                "kics/terraform/aws/ecs_service_admin_role_is_present/test/negative.tf",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS c1282e03 (CFN EFS transit encryption)",
        rules: &["ECS808"],
        samples: &[
            file(
                "kics/cloudFormation/aws/efs_volume_with_disabled_transit_encryption/test/positive1.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/efs_volume_with_disabled_transit_encryption/test/positive2.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/efs_volume_with_disabled_transit_encryption/test/negative1.json",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS e415f8d3 (CFN fully open ingress)",
        rules: &["ECS207"],
        samples: &[
            file(
                "kics/cloudFormation/aws/fully_open_ingress/test/positive1.yaml",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/fully_open_ingress/test/positive2.yaml",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/fully_open_ingress/test/positive3.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/fully_open_ingress/test/positive4.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/fully_open_ingress/test/negative1.yaml",
                Pass,
            ),
            file(
                "kics/cloudFormation/aws/fully_open_ingress/test/negative2.json",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS f4c9b5f5 (CFN invalid CPU or memory)",
        rules: &["ECS101"],
        samples: &[
            file(
                "kics/cloudFormation/aws/ecs_task_definition_invalid_cpu_or_memory/test/positive1.yaml",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_task_definition_invalid_cpu_or_memory/test/positive2.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_task_definition_invalid_cpu_or_memory/test/negative1.yaml",
                Pass,
            ),
            file(
                "kics/cloudFormation/aws/ecs_task_definition_invalid_cpu_or_memory/test/negative2.json",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS 027a4b7a (CFN network mode)",
        rules: &["ECS203", "ECS210"],
        samples: &[
            file(
                "kics/cloudFormation/aws/ecs_task_definition_network_mode_not_recommended/test/positive1.yaml",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_task_definition_network_mode_not_recommended/test/positive2.json",
                Fail,
            ),
            file(
                "kics/cloudFormation/aws/ecs_task_definition_network_mode_not_recommended/test/negative1.yaml",
                Pass,
            ),
            file(
                "kics/cloudFormation/aws/ecs_task_definition_network_mode_not_recommended/test/negative2.json",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS 9f4a9409 (TF network mode)",
        rules: &["ECS203", "ECS210"],
        samples: &[
            file(
                "kics/terraform/aws/ecs_task_definition_network_mode_not_recommended/test/positive.tf",
                Fail,
            ),
            file(
                "kics/terraform/aws/ecs_task_definition_network_mode_not_recommended/test/negative.tf",
                Pass,
            ),
            file(
                "kics/terraform/aws/ecs_task_definition_network_mode_not_recommended/test/negative_module.tf",
                Pass,
            ),
        ],
    },
    Check {
        id: "KICS a88baa34 (passwords and secrets, ECS sample)",
        rules: &["ECS501", "ECS504"],
        samples: &[
            file("kics/common/passwords_and_secrets/test/positive21.tf", Fail),
            file("kics/common/passwords_and_secrets/test/negative21.tf", Pass),
        ],
    },
    // ---- checkov ----
    Check {
        id: "checkov CKV_AWS_97 (CFN EFS transit encryption)",
        rules: &["ECS808"],
        samples: &[
            res(CKV_EFS_FAILED, "Resource0", Fail),
            res(CKV_EFS_FAILED, "Resource1", Fail),
            res(CKV_EFS_PASSED, "Resource0", Pass),
            res(CKV_EFS_PASSED, "Resource1", Pass),
            res(CKV_EFS_PASSED, "Resource2", Pass),
        ],
    },
    Check {
        id: "checkov CKV_AWS_223 (exec logging)",
        rules: &["ECS307"],
        samples: &[
            res(CKV_223, "fail", Fail),
            res(CKV_223, "pass", Pass),
            res(CKV_223, "pass2", Pass),
        ],
    },
    Check {
        id: "checkov CKV_AWS_224 (exec logging CMK)",
        rules: &["ECS308"],
        samples: &[
            res(CKV_224, "fail", Fail),
            res(CKV_224, "fail2", Fail),
            res(CKV_224, "fail3", Fail),
            res(CKV_224, "fail4", Fail),
            res(CKV_224, "fail5", Fail),
            res(CKV_224, "pass", Pass),
            res(CKV_224, "pass2", Pass),
        ],
    },
    Check {
        id: "checkov CKV_AWS_335 (host PID)",
        rules: &["ECS804"],
        samples: &[
            res(CKV_335, "fail", Fail),
            res(CKV_335, "pass", Pass),
            res(CKV_335, "pass2", Pass),
        ],
    },
    Check {
        id: "checkov CKV_AWS_336 (read-only root)",
        rules: &["ECS802"],
        samples: &[
            res(CKV_336, "fail", Fail),
            res(CKV_336, "fail2", Fail),
            res(CKV_336, "pass", Pass),
        ],
    },
    Check {
        id: "checkov CKV_AWS_333 (public IP)",
        rules: &["ECS204"],
        samples: &[
            res(CKV_333, "fail", Fail),
            res(CKV_333, "pass", Pass),
            res(CKV_333, "pass2", Pass),
        ],
    },
    Check {
        id: "checkov CKV_AWS_249 (same roles)",
        rules: &["ECS852"],
        samples: &[res(CKV_249, "fail", Fail), res(CKV_249, "pass", Pass)],
    },
    Check {
        id: "checkov CKV_SECRET_* (secrets in ECS definitions)",
        rules: &["ECS501", "ECS504"],
        samples: &[
            file(
                "checkov/tests/secrets/terraform_multiline/ecs_heredoc.tf",
                Fail,
            ),
            file(
                "checkov/tests/secrets/terraform_multiline/ecs_jsonencode.tf",
                Fail,
            ),
        ],
    },
    // ---- trivy ----
    Check {
        id: "trivy AVD-AWS-0034 (container insights)",
        rules: &["ECS306"],
        samples: &[
            file(
                "trivy-checks/extracted/enable_container_insight/terraform_bad_0.tf",
                Fail,
            ),
            file(
                "trivy-checks/extracted/enable_container_insight/terraform_good_0.tf",
                Pass,
            ),
            file(
                "trivy-checks/extracted/enable_container_insight/cloudformation_bad_0.yaml",
                Fail,
            ),
            file(
                "trivy-checks/extracted/enable_container_insight/cloudformation_good_0.yaml",
                Pass,
            ),
        ],
    },
    Check {
        id: "trivy AVD-AWS-0035 (EFS transit encryption)",
        rules: &["ECS808"],
        samples: &[
            file(
                "trivy-checks/extracted/enable_in_transit_encryption/terraform_bad_0.tf",
                Fail,
            ),
            file(
                "trivy-checks/extracted/enable_in_transit_encryption/terraform_good_0.tf",
                Pass,
            ),
            file(
                "trivy-checks/extracted/enable_in_transit_encryption/cloudformation_bad_0.yaml",
                Fail,
            ),
            file(
                "trivy-checks/extracted/enable_in_transit_encryption/cloudformation_good_0.yaml",
                Pass,
            ),
        ],
    },
    Check {
        id: "trivy AVD-AWS-0036 (plaintext secrets)",
        rules: &["ECS501", "ECS504"],
        samples: &[
            file(
                "trivy-checks/extracted/no_plaintext_secrets/terraform_bad_0.tf",
                Fail,
            ),
            file(
                "trivy-checks/extracted/no_plaintext_secrets/terraform_good_0.tf",
                Pass,
            ),
            file(
                "trivy-checks/extracted/no_plaintext_secrets/cloudformation_bad_0.yaml",
                Fail,
            ),
            file(
                "trivy-checks/extracted/no_plaintext_secrets/cloudformation_good_0.yaml",
                Pass,
            ),
        ],
    },
];

/// A disagreement and where it is explained: the check (as in `CHECKS`), the sample, the rule page
/// and a text the page must contain (the peer's id, so the explanation is the one of this peer),
/// and the reason in one line.
struct Explained {
    check: &'static str,
    file: &'static str,
    resource: Option<&'static str>,
    page: &'static str,
    page_mentions: &'static str,
    reason: &'static str,
}

const EXPLAINED: &[Explained] = &[
    Explained {
        check: "KICS 01986452 (CFN service admin role)",
        file: "kics/cloudFormation/aws/ecs_service_admin_role_is_present/test/positive1.yaml",
        resource: None,
        page: "ECS853",
        page_mentions: "01986452",
        reason: "different semantics: KICS flags a service role whose *name* contains \"admin\"; ECS853 reads the task roles' policies",
    },
    Explained {
        check: "KICS 01986452 (CFN service admin role)",
        file: "kics/cloudFormation/aws/ecs_service_admin_role_is_present/test/positive2.json",
        resource: None,
        page: "ECS853",
        page_mentions: "01986452",
        reason: "different semantics: role name heuristic on the service's load-balancer role",
    },
    Explained {
        check: "KICS 3206240f (TF service admin role)",
        file: "kics/terraform/aws/ecs_service_admin_role_is_present/test/positive.tf",
        resource: None,
        page: "ECS853",
        page_mentions: "3206240f",
        reason: "different semantics: role name heuristic on the service's `iam_role`",
    },
    Explained {
        check: "KICS e415f8d3 (CFN fully open ingress)",
        file: "kics/cloudFormation/aws/fully_open_ingress/test/positive1.yaml",
        resource: None,
        page: "ECS207",
        page_mentions: "e415f8d3",
        reason: "different semantics: the open group is the EC2 container instances' group, not a service's awsvpc group",
    },
    Explained {
        check: "KICS e415f8d3 (CFN fully open ingress)",
        file: "kics/cloudFormation/aws/fully_open_ingress/test/positive2.yaml",
        resource: None,
        page: "ECS207",
        page_mentions: "e415f8d3",
        reason: "different semantics: container instances' group (bridge mode), not a service's group",
    },
    Explained {
        check: "KICS e415f8d3 (CFN fully open ingress)",
        file: "kics/cloudFormation/aws/fully_open_ingress/test/positive3.json",
        resource: None,
        page: "ECS207",
        page_mentions: "e415f8d3",
        reason: "different semantics: container instances' group (bridge mode), not a service's group",
    },
    Explained {
        check: "KICS e415f8d3 (CFN fully open ingress)",
        file: "kics/cloudFormation/aws/fully_open_ingress/test/positive4.json",
        resource: None,
        page: "ECS207",
        page_mentions: "e415f8d3",
        reason: "different semantics: container instances' group (bridge mode), not a service's group",
    },
    Explained {
        check: "KICS f4c9b5f5 (CFN invalid CPU or memory)",
        file: "kics/cloudFormation/aws/ecs_task_definition_invalid_cpu_or_memory/test/positive1.yaml",
        resource: None,
        page: "ECS101",
        page_mentions: "f4c9b5f5",
        reason: "peer bug: KICS applies the Fargate size table to container-level Cpu/Memory; no task here is Fargate",
    },
    Explained {
        check: "KICS f4c9b5f5 (CFN invalid CPU or memory)",
        file: "kics/cloudFormation/aws/ecs_task_definition_invalid_cpu_or_memory/test/positive2.json",
        resource: None,
        page: "ECS101",
        page_mentions: "f4c9b5f5",
        reason: "peer bug: container-level Cpu/Memory judged as Fargate task sizes",
    },
    Explained {
        check: "KICS 027a4b7a (CFN network mode)",
        file: "kics/cloudFormation/aws/ecs_task_definition_network_mode_not_recommended/test/positive1.yaml",
        resource: None,
        page: "ECS210",
        page_mentions: "027a4b7a",
        reason: "different semantics: `none` shares no network; ECS206 reports its port mappings instead",
    },
    Explained {
        check: "KICS 9f4a9409 (TF network mode)",
        file: "kics/terraform/aws/ecs_task_definition_network_mode_not_recommended/test/positive.tf",
        resource: None,
        page: "ECS210",
        page_mentions: "9f4a9409",
        reason: "different semantics: `none` shares no network (and the sample has no container_definitions)",
    },
    Explained {
        check: "checkov CKV_AWS_224 (exec logging CMK)",
        file: CKV_224,
        resource: Some("fail2"),
        page: "ECS308",
        page_mentions: "CKV_AWS_224",
        reason: "different semantics: `kms_key_id` is set; checkov also wants `*_encryption_enabled` on the log destination",
    },
    Explained {
        check: "checkov CKV_AWS_224 (exec logging CMK)",
        file: CKV_224,
        resource: Some("fail3"),
        page: "ECS308",
        page_mentions: "CKV_AWS_224",
        reason: "different semantics: `kms_key_id` is set; log destination encryption is not ECS308's subject",
    },
    Explained {
        check: "checkov CKV_AWS_224 (exec logging CMK)",
        file: CKV_224,
        resource: Some("fail4"),
        page: "ECS308",
        page_mentions: "CKV_AWS_224",
        reason: "different semantics: `kms_key_id` is set and no log destination is configured",
    },
    Explained {
        check: "checkov CKV_AWS_224 (exec logging CMK)",
        file: CKV_224,
        resource: Some("fail5"),
        page: "ECS308",
        page_mentions: "CKV_AWS_224",
        reason: "different semantics: `kms_key_id` is set; `log_configuration = [null]` configures nothing",
    },
    Explained {
        check: "checkov CKV_AWS_335 (host PID)",
        file: CKV_335,
        resource: Some("fail"),
        page: "ECS804",
        page_mentions: "CKV_AWS_335",
        reason: "peer bug: a container-level `pidMode` key, which the API drops; the task's pid_mode is unset",
    },
    Explained {
        check: "trivy AVD-AWS-0036 (plaintext secrets)",
        file: "trivy-checks/extracted/no_plaintext_secrets/cloudformation_bad_0.yaml",
        resource: None,
        page: "ECS501",
        page_mentions: "AVD-AWS-0036",
        reason: "different semantics: `AWS_ACCESS_KEY_ID` is an identifier, not a secret, and `AIPA…` is not an access key id",
    },
];

/// The corpus directory. The test is compiled as ignored unless `ECSLINT_CORPUS` was set at build
/// time (build.rs), so reaching here without it is an error, never a skip.
fn corpus() -> PathBuf {
    let p = PathBuf::from(
        std::env::var_os("ECSLINT_CORPUS").expect("ECSLINT_CORPUS (.ci/run sets it)"),
    );
    assert!(
        p.is_dir(),
        "ECSLINT_CORPUS={} is not a directory",
        p.display()
    );
    p
}

/// The lines of the mapped rules' findings in `file` (1-based).
fn finding_lines(corpus: &Path, file: &str, rules: &[&str]) -> Vec<u64> {
    assert!(corpus.join(file).is_file(), "{file} is not in the corpus");
    let out = Command::cargo_bin("ecslint")
        .unwrap()
        .current_dir(corpus)
        .args(["check", file, "--no-ignore", "--format", "json", "--select"])
        .arg(rules.join(","))
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let code = out.status.code().expect("not killed by a signal");
    assert!(
        code == 0 || code == 1,
        "{file}: exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == file && rules.iter().any(|r| f["rule_id"] == *r))
        .map(|f| f["line"].as_u64().unwrap())
        .collect()
}

/// The 1-based line range of a resource's block: from its header to the line before the next
/// header (Terraform `resource "type" "name" {`, a CloudFormation YAML logical id under
/// `Resources:` at two spaces).
fn resource_lines(text: &str, name: &str) -> (u64, u64) {
    let lines: Vec<&str> = text.lines().collect();
    let header = |line: &str| -> Option<String> {
        if let Some(rest) = line.strip_prefix("resource ") {
            return rest.split('"').nth(3).map(str::to_owned);
        }
        let id = line.strip_prefix("  ")?.strip_suffix(':')?;
        (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric())).then(|| id.to_owned())
    };
    let headers: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| header(l).map(|n| (i, n)))
        .collect();
    let at = headers
        .iter()
        .position(|(_, n)| n == name)
        .unwrap_or_else(|| panic!("no resource {name}"));
    let start = headers[at].0 + 1;
    let end = headers.get(at + 1).map_or(lines.len(), |(i, _)| *i);
    (start as u64, end as u64)
}

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn labelled_peer_samples_agree_or_the_rule_page_explains_why() {
    let corpus = corpus();
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut runs: BTreeMap<(&str, String), Vec<u64>> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut used = vec![false; EXPLAINED.len()];
    let mut rows = Vec::new();
    let (mut all, mut all_agree) = (0, 0);
    for check in CHECKS {
        let (mut agree, mut explained) = (0, 0);
        for sample in check.samples {
            let lines = runs
                .entry((sample.file, check.rules.join(",")))
                .or_insert_with(|| finding_lines(&corpus, sample.file, check.rules));
            let reported = match sample.resource {
                None => !lines.is_empty(),
                Some(name) => {
                    let text = std::fs::read_to_string(corpus.join(sample.file)).unwrap();
                    let (from, to) = resource_lines(&text, name);
                    lines.iter().any(|l| (from..=to).contains(l))
                }
            };
            let ours = if reported { Fail } else { Pass };
            let explanation = EXPLAINED.iter().position(|e| {
                e.check == check.id && e.file == sample.file && e.resource == sample.resource
            });
            match (ours == sample.label, explanation) {
                (true, None) => agree += 1,
                (false, Some(i)) => {
                    explained += 1;
                    used[i] = true;
                }
                (true, Some(_)) => unexplained.push(format!(
                    "{}: {}{}: listed as a disagreement but ecslint now agrees ({:?}); drop it from EXPLAINED and the page",
                    check.id,
                    sample.file,
                    sample.resource.map(|r| format!(" ({r})")).unwrap_or_default(),
                    sample.label,
                )),
                (false, None) => unexplained.push(format!(
                    "{}: {}{}: the peer says {:?}, {} says {ours:?}",
                    check.id,
                    sample.file,
                    sample.resource.map(|r| format!(" ({r})")).unwrap_or_default(),
                    sample.label,
                    check.rules.join("/"),
                )),
            }
        }
        all += check.samples.len();
        all_agree += agree;
        rows.push(format!(
            "| {} | {} | {} | {} | {} |",
            check.id,
            check.rules.join(", "),
            check.samples.len(),
            agree,
            explained
        ));
    }
    println!("| peer check | ecslint rule | samples | agree | disagree (explained) |");
    println!("|---|---|---:|---:|---:|");
    for row in &rows {
        println!("{row}");
    }
    println!(
        "| **all** | | **{all}** | **{all_agree}** | **{}** |",
        all - all_agree
    );
    println!("\nexplained disagreements:");
    for e in EXPLAINED {
        println!(
            "- {} {}{}: {} (rules/{}.md)",
            e.check,
            e.file,
            e.resource.map(|r| format!(" ({r})")).unwrap_or_default(),
            e.reason,
            e.page
        );
    }
    for (i, e) in EXPLAINED.iter().enumerate() {
        assert!(
            CHECKS.iter().any(|c| c.id == e.check),
            "EXPLAINED names an unknown check {}",
            e.check
        );
        assert!(
            used[i] || unexplained.iter().any(|u| u.contains(e.file)),
            "EXPLAINED entry {} / {} matches no sample",
            e.check,
            e.file
        );
        let page = std::fs::read_to_string(pages.join(format!("{}.md", e.page))).unwrap();
        assert!(
            page.contains(e.page_mentions),
            "rules/{}.md does not explain {} (no `{}` on the page): {}",
            e.page,
            e.check,
            e.page_mentions,
            e.reason
        );
    }
    assert!(
        unexplained.is_empty(),
        "disagreements without an explanation (or stale explanations):\n{}",
        unexplained.join("\n")
    );
}
