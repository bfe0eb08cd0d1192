//! ECS807: Docker security options that switch confinement off (any option on Fargate).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Value, known};
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS807",
    name: "unsafe-docker-security-options",
    family: Family::Security,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "dockerSecurityOptions turn off seccomp, AppArmor or SELinux confinement",
    doc: include_str!("../../../rules/ECS807.md"),
    check,
};

/// What an option switches off, if it switches something off. Docker accepts `:` and `=`.
fn unconfined(option: &str) -> Option<&'static str> {
    let o = option.trim().to_ascii_lowercase().replace('=', ":");
    match o.as_str() {
        "seccomp:unconfined" => Some("the seccomp system-call filter"),
        "apparmor:unconfined" => Some("the AppArmor profile"),
        "label:disable" => Some("SELinux labelling"),
        "systempaths:unconfined" => Some("the masking of /proc and /sys paths"),
        _ => None,
    }
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let fargate = td.is_fargate();
        for c in td.containers() {
            let Some(options) = &c.docker_security_options else {
                continue;
            };
            if fargate {
                // Any known option, even an empty list, is rejected on Fargate.
                if let Value::Known(list) = &options.value
                    && !list.is_empty()
                {
                    let mut d = ctx
                        .diag(
                            options.span,
                            format!(
                                "{}: `dockerSecurityOptions` is not supported on Fargate: registration fails",
                                container_label(c)
                            ),
                        )
                        .with_help("remove `dockerSecurityOptions`; Fargate applies its own seccomp and AppArmor confinement");
                    d.severity = Severity::Error;
                    out.push(d);
                }
                continue;
            }
            for option in known(&c.docker_security_options).map_or(&[][..], Vec::as_slice) {
                let Some(what) = option.value.known().and_then(|o| unconfined(o)) else {
                    continue;
                };
                out.push(
                    ctx.diag(
                        option.span,
                        format!("{}: this security option turns off {what}", container_label(c)),
                    )
                    .with_help("remove it, or name a custom profile that allows only what the workload needs"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unconfined;
    use crate::rules::testing::run_json;

    fn td(compat: &str, options: &str) -> String {
        format!(
            r#"{{"requiresCompatibilities": ["{compat}"], "containerDefinitions": [{{"name": "a", "image": "x:1", "dockerSecurityOptions": [{options}]}}]}}"#
        )
    }

    #[test]
    fn options() {
        for o in [
            "seccomp:unconfined",
            "seccomp=unconfined",
            "apparmor:unconfined",
            "label:disable",
            "LABEL=disable",
        ] {
            assert!(unconfined(o).is_some(), "{o}");
        }
        for o in [
            "no-new-privileges",
            "apparmor:docker-default",
            "label:type:svirt_apache_t",
            "credentialspec:file://gmsa.json",
        ] {
            assert!(unconfined(o).is_none(), "{o}");
        }
    }

    #[test]
    fn cases() {
        assert!(run_json(&super::RULE, &td("EC2", r#""no-new-privileges""#)).is_empty());
        assert_eq!(
            run_json(
                &super::RULE,
                &td("EC2", r#""no-new-privileges", "seccomp:unconfined""#)
            ),
            ["1:140 container `a`: this security option turns off the seccomp system-call filter"]
        );
        assert_eq!(
            run_json(&super::RULE, &td("FARGATE", r#""no-new-privileges""#)),
            [
                "1:122 container `a`: `dockerSecurityOptions` is not supported on Fargate: registration fails"
            ]
        );
    }
}
