//! `Node` trees to ECS model entities. Keys are matched on the ECS API name whatever the casing
//! (see [`same_key`](super::node::same_key)); Terraform's own attribute names (`name`,
//! `load_balancer`, `deployment_maximum_percent`...) are accepted as aliases here, so every
//! front-end shares one mapping.

use super::node::{Node, NodeKind, format_number};
use crate::model::*;
use crate::source::{Span, Spanned};
use std::sync::Arc;

fn first<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().find_map(|k| node.get(k))
}

/// A nested block: an object, or the first object of a list of blocks (Terraform and plan JSON
/// give single blocks as lists).
fn block(node: Option<&Node>) -> Option<&Node> {
    let node = node?;
    match &node.kind {
        NodeKind::Object(_) => Some(node),
        NodeKind::Array(items) => items.first().and_then(|n| block(Some(n))),
        _ => None,
    }
}

/// A field inside a nested block. When the block itself cannot be known (a Terraform `dynamic`
/// block, a conditional), its fields are unknown too — not absent: "no circuit breaker" and
/// "a circuit breaker we cannot see" are different findings.
fn in_block<T>(node: Option<&Node>, field: impl FnOnce(&Node) -> Field<T>) -> Field<T> {
    let node = node?;
    match block(Some(node)) {
        Some(b) => field(b),
        None if node.is_unknown() => spanned(Value::unresolved(node.describe()), node),
        None => None,
    }
}

/// A nested object as one known value (`logConfiguration`, `healthCheck`); unknown when the
/// object itself cannot be seen.
fn object_field<T>(node: Option<&Node>, build: impl FnOnce(&Node) -> T) -> Field<T> {
    let n = node?;
    match (&n.kind, block(Some(n))) {
        (NodeKind::Null, _) => None,
        (_, Some(b)) => spanned(Value::Known(build(b)), n),
        _ => spanned(Value::unresolved(n.describe()), n),
    }
}

fn unknown<T>(node: &Node) -> Option<Value<T>> {
    match &node.kind {
        NodeKind::Ref { target, expr } => Some(Value::Ref {
            target: target.clone(),
            expr: expr.clone(),
        }),
        NodeKind::Unresolved { expr } => Some(Value::Unresolved { expr: expr.clone() }),
        NodeKind::Partial(_) => Some(Value::Unresolved {
            expr: node.describe(),
        }),
        _ => None,
    }
}

fn spanned<T>(value: Value<T>, node: &Node) -> Field<T> {
    Some(Spanned::new(value, node.span))
}

pub fn string(node: Option<&Node>) -> Field<String> {
    let node = node?;
    let value = match &node.kind {
        NodeKind::Null => return None,
        NodeKind::String(s) => Value::Known(s.clone()),
        NodeKind::Number(n) => Value::Known(format_number(*n)),
        NodeKind::Bool(b) => Value::Known(b.to_string()),
        NodeKind::Array(_) | NodeKind::Object(_) => Value::unresolved(node.describe()),
        NodeKind::Partial(parts) => Value::Partial(parts.clone()),
        _ => unknown(node)?,
    };
    spanned(value, node)
}

fn number_with(node: Option<&Node>, parse: fn(&str) -> Option<u32>) -> Field<u32> {
    let node = node?;
    let value = match &node.kind {
        NodeKind::Null => return None,
        NodeKind::Number(n) => {
            to_u32(*n).map_or_else(|| Value::unresolved(format_number(*n)), Value::Known)
        }
        NodeKind::String(s) => parse(s).map_or_else(|| Value::unresolved(s.clone()), Value::Known),
        NodeKind::Bool(_) | NodeKind::Array(_) | NodeKind::Object(_) => {
            Value::unresolved(node.describe())
        }
        _ => unknown(node)?,
    };
    spanned(value, node)
}

pub fn number(node: Option<&Node>) -> Field<u32> {
    number_with(node, |s| s.trim().parse::<f64>().ok().and_then(to_u32))
}

pub fn boolean(node: Option<&Node>) -> Field<bool> {
    let node = node?;
    let value = match &node.kind {
        NodeKind::Null => return None,
        NodeKind::Bool(b) => Value::Known(*b),
        NodeKind::String(s) if s.eq_ignore_ascii_case("true") => Value::Known(true),
        NodeKind::String(s) if s.eq_ignore_ascii_case("false") => Value::Known(false),
        NodeKind::String(_) | NodeKind::Number(_) | NodeKind::Array(_) | NodeKind::Object(_) => {
            Value::unresolved(node.describe())
        }
        _ => unknown(node)?,
    };
    spanned(value, node)
}

/// A list field: `Unresolved` when the list or any element cannot be known, because a rule
/// that sums or counts elements must not see half a list.
fn list<T>(node: Option<&Node>, item: impl Fn(&Node) -> Option<T>) -> Field<Vec<T>> {
    let node = node?;
    let value = match &node.kind {
        NodeKind::Null => return None,
        NodeKind::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                match item(it) {
                    Some(v) => out.push(v),
                    None => return spanned(Value::unresolved(it.describe()), node),
                }
            }
            Value::Known(out)
        }
        NodeKind::Object(_) => match item(node) {
            // A single block where a list is expected (Terraform blocks, YAML shorthand).
            Some(v) => Value::Known(vec![v]),
            None => Value::unresolved(node.describe()),
        },
        _ => unknown(node).unwrap_or_else(|| Value::unresolved(node.describe())),
    };
    spanned(value, node)
}

/// A list whose elements keep their own spans and knowability: a known list of possibly
/// unknown strings. Numbers and booleans become their text; nested lists and objects are
/// unknown elements.
fn items(node: Option<&Node>) -> Field<Vec<Item<String>>> {
    let node = node?;
    let value = match &node.kind {
        NodeKind::Null => return None,
        NodeKind::Array(elements) => Value::Known(
            elements
                .iter()
                .map(|e| {
                    let value = match &e.kind {
                        NodeKind::String(s) => Value::Known(s.clone()),
                        NodeKind::Number(_) | NodeKind::Bool(_) => Value::Known(e.describe()),
                        // Known text around unknown parts (`!Sub "arn:${AWS::Partition}:..."`).
                        NodeKind::Partial(parts) => Value::Partial(parts.clone()),
                        _ => unknown(e).unwrap_or_else(|| Value::unresolved(e.describe())),
                    };
                    Spanned::new(value, e.span)
                })
                .collect(),
        ),
        _ => unknown(node).unwrap_or_else(|| Value::unresolved(node.describe())),
    };
    spanned(value, node)
}

fn string_list(node: Option<&Node>) -> Field<Vec<String>> {
    list(node, |n| match &n.kind {
        NodeKind::String(s) => Some(s.clone()),
        _ => None,
    })
}

/// A JSON document held in a string (plan files, `.tf.json`, anything a front-end could not
/// lower itself): parsed here with every inner span on the string.
fn decoded(node: &Node) -> Option<Node> {
    let text = node.as_str()?;
    let span = node.span;
    super::node::parse_json(text, &|_| span).ok().flatten()
}

/// `key` lowercased without `_`: the form [`RawKey::parent`] paths are written in.
fn push_norm_key(out: &mut String, key: &str) {
    if key.is_ascii() {
        // Every nested key of every definition: byte by byte where it can be.
        out.extend(
            key.bytes()
                .filter(|&b| b != b'_')
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        out.extend(
            key.chars()
                .filter(|c| *c != '_')
                .flat_map(char::to_lowercase),
        );
    }
}

/// Every key under `node`, with the normalised path of the object holding it; `skip` names a
/// top-level key whose subtree is not walked.
fn raw_keys(node: &Node, parent: &str, skip: Option<&str>, out: &mut Vec<RawKey>) {
    raw_keys_under(node, &Arc::from(parent), skip, out);
}

/// Siblings share their parent path: one allocation per object, not one per key.
fn raw_keys_under(node: &Node, parent: &Arc<str>, skip: Option<&str>, out: &mut Vec<RawKey>) {
    match &node.kind {
        NodeKind::Object(props) => {
            for (k, v) in props {
                out.push(RawKey {
                    parent: Arc::clone(parent),
                    key: k.clone(),
                });
                if parent.is_empty() && skip.is_some_and(|s| super::node::same_key(&k.value, s)) {
                    continue;
                }
                if matches!(v.kind, NodeKind::Object(_) | NodeKind::Array(_)) {
                    let mut path = String::with_capacity(parent.len() + 1 + k.value.len());
                    path.push_str(parent);
                    if !parent.is_empty() {
                        path.push('.');
                    }
                    push_norm_key(&mut path, &k.value);
                    raw_keys_under(v, &Arc::from(path), None, out);
                }
            }
        }
        NodeKind::Array(items) => {
            let path: Arc<str> = format!("{parent}[]").into();
            for item in items {
                raw_keys_under(item, &path, None, out);
            }
        }
        _ => {}
    }
}

pub fn task_definition(name: String, header: Span, props: &Node) -> TaskDefinition {
    let mut keys = Vec::new();
    raw_keys(props, "", Some("containerDefinitions"), &mut keys);
    let runtime = props.get("runtimePlatform");
    let ephemeral = props.get("ephemeralStorage");
    TaskDefinition {
        name,
        span: header,
        family: string(props.get("family")),
        cpu: number_with(props.get("cpu"), parse_cpu_units),
        memory: number_with(props.get("memory"), parse_memory_mib),
        network_mode: string(props.get("networkMode")),
        requires_compatibilities: string_list(props.get("requiresCompatibilities")),
        operating_system_family: in_block(runtime, |r| string(r.get("operatingSystemFamily"))),
        cpu_architecture: in_block(runtime, |r| string(r.get("cpuArchitecture"))),
        execution_role_arn: string(props.get("executionRoleArn")),
        task_role_arn: string(props.get("taskRoleArn")),
        ephemeral_storage_gib: in_block(ephemeral, |e| number(e.get("sizeInGiB"))),
        pid_mode: string(props.get("pidMode")),
        ipc_mode: string(props.get("ipcMode")),
        volumes: list(first(props, &["volumes", "volume"]), |v| {
            v.as_object().map(|_| Volume {
                span: v.span,
                name: string(v.get("name")),
                efs_volume_configuration: object_field(v.get("efsVolumeConfiguration"), |e| {
                    let auth = e.get("authorizationConfig");
                    EfsVolumeConfiguration {
                        file_system_id: string(e.get("fileSystemId")),
                        transit_encryption: string(e.get("transitEncryption")),
                        access_point_id: in_block(auth, |a| string(a.get("accessPointId"))),
                        iam: in_block(auth, |a| string(a.get("iam"))),
                        authorization_config: auth.and_then(|a| match a.kind {
                            NodeKind::Null => None,
                            _ => spanned(Value::Known(()), a),
                        }),
                    }
                }),
            })
        }),
        container_definitions: container_definitions(props.get("containerDefinitions")),
        keys,
        tags: tags(props.get("tags")),
    }
}

pub fn container_definitions(node: Option<&Node>) -> Field<Vec<ContainerDefinition>> {
    let node = node?;
    if let NodeKind::String(_) = node.kind {
        return match decoded(node) {
            Some(inner) => container_definitions(Some(&inner)).map(|mut f| {
                f.span = node.span;
                f
            }),
            None => spanned(Value::unresolved("container definitions (not JSON)"), node),
        };
    }
    if node.as_object().is_some() {
        // A single container where a list belongs is not a valid task definition.
        return spanned(Value::unresolved(node.describe()), node);
    }
    list(Some(node), |c| c.as_object().map(|_| container(c)))
}

pub fn container(c: &Node) -> ContainerDefinition {
    let mut keys = Vec::new();
    raw_keys(c, "", None, &mut keys);
    ContainerDefinition {
        keys,
        span: c.span,
        name: string(c.get("name")),
        image: string(c.get("image")),
        cpu: number(c.get("cpu")),
        memory: number(c.get("memory")),
        memory_reservation: number(c.get("memoryReservation")),
        essential: boolean(c.get("essential")),
        port_mappings: list(c.get("portMappings"), |p| {
            p.as_object().map(|_| PortMapping {
                span: p.span,
                container_port: number(p.get("containerPort")),
                host_port: number(p.get("hostPort")),
                protocol: string(p.get("protocol")),
            })
        }),
        environment: list(c.get("environment"), |e| {
            e.as_object().map(|_| KeyValue {
                span: e.span,
                name: string(e.get("name")),
                value: string(e.get("value")),
            })
        }),
        secrets: list(c.get("secrets"), |s| {
            s.as_object().map(|_| Secret {
                span: s.span,
                name: string(s.get("name")),
                value_from: string(s.get("valueFrom")),
            })
        }),
        log_configuration: object_field(c.get("logConfiguration"), |l| LogConfiguration {
            log_driver: string(l.get("logDriver")),
            options: options_map(l.get("options")),
        }),
        health_check: object_field(c.get("healthCheck"), |h| HealthCheck {
            command: string_list(h.get("command")),
            command_args: items(h.get("command")),
            interval: number(h.get("interval")),
            timeout: number(h.get("timeout")),
            retries: number(h.get("retries")),
            start_period: number(h.get("startPeriod")),
        }),
        privileged: boolean(c.get("privileged")),
        readonly_root_filesystem: boolean(c.get("readonlyRootFilesystem")),
        user: string(c.get("user")),
        depends_on: list(c.get("dependsOn"), |d| {
            d.get("containerName")
                .and_then(|n| n.as_str().map(str::to_owned))
        }),
        linux_parameters: object_field(c.get("linuxParameters"), |l| {
            let caps = l.get("capabilities");
            LinuxParameters {
                capabilities_add: in_block(caps, |k| items(k.get("add"))),
                capabilities_drop: in_block(caps, |k| items(k.get("drop"))),
                init_process_enabled: boolean(l.get("initProcessEnabled")),
            }
        }),
        docker_security_options: items(c.get("dockerSecurityOptions")),
        docker_labels: options_map(c.get("dockerLabels")),
        command: items(c.get("command")),
        entry_point: items(c.get("entryPoint")),
    }
}

/// Log driver options are a map in every format; keys are kept verbatim (`awslogs-group`).
fn options_map(node: Option<&Node>) -> Field<Vec<KeyValue>> {
    let node = node?;
    let value = match &node.kind {
        NodeKind::Null => return None,
        NodeKind::Object(props) => Value::Known(
            props
                .iter()
                .map(|(k, v)| KeyValue {
                    span: Span {
                        file: k.span.file,
                        range: (k.span.range.start..v.span.range.end.max(k.span.range.end)).into(),
                    },
                    name: Some(Spanned::new(Value::Known(k.value.clone()), k.span)),
                    value: string(Some(v)),
                })
                .collect(),
        ),
        _ => unknown(node).unwrap_or_else(|| Value::unresolved(node.describe())),
    };
    spanned(value, node)
}

/// Resource tags: a map (Terraform, `tags = { team = "x" }`) or a list of `Key`/`Value`
/// objects (CloudFormation, the ECS API's `key`/`value`). Unknown when the map, the list or any
/// element cannot be known: a rule must not call a half-seen list empty.
pub fn tags(node: Option<&Node>) -> Field<Vec<KeyValue>> {
    let node = node?;
    match &node.kind {
        NodeKind::Array(_) => list(Some(node), |t| {
            t.as_object().map(|_| KeyValue {
                span: t.span,
                name: string(t.get("key")),
                value: string(t.get("value")),
            })
        }),
        _ => options_map(Some(node)),
    }
}

pub fn service(name: String, header: Span, props: &Node) -> Service {
    let deployment = props.get("deploymentConfiguration");
    let deployment_block = block(deployment);
    let deployment_unknown = deployment.is_some_and(Node::is_unknown);
    // Percentages and the breaker live in `deploymentConfiguration` (API, CloudFormation) or at
    // the top level (Terraform); an unknown configuration block makes them unknown.
    let in_deployment = |key: &str, alias: &str| -> Option<&Node> {
        if deployment_unknown {
            return deployment;
        }
        deployment_block
            .and_then(|d| d.get(key))
            .or_else(|| props.get(alias))
    };
    let breaker = in_deployment("deploymentCircuitBreaker", "deployment_circuit_breaker");
    let network = props.get("networkConfiguration");
    let awsvpc = match block(network) {
        Some(n) => Some(n.get("awsvpcConfiguration").unwrap_or(n)),
        None => network,
    };
    Service {
        name,
        span: header,
        service_name: string(first(props, &["serviceName", "name"])),
        cluster: string(props.get("cluster")),
        task_definition: string(props.get("taskDefinition")),
        launch_type: string(props.get("launchType")),
        capacity_provider_strategy: capacity_provider_strategy(
            props.get("capacityProviderStrategy"),
        ),
        desired_count: number(props.get("desiredCount")),
        scheduling_strategy: string(props.get("schedulingStrategy")),
        platform_version: string(props.get("platformVersion")),
        deployment_minimum_healthy_percent: number(in_deployment(
            "minimumHealthyPercent",
            "deployment_minimum_healthy_percent",
        )),
        deployment_maximum_percent: number(in_deployment(
            "maximumPercent",
            "deployment_maximum_percent",
        )),
        deployment_circuit_breaker_enable: in_block(breaker, |b| boolean(b.get("enable"))),
        deployment_circuit_breaker_rollback: in_block(breaker, |b| boolean(b.get("rollback"))),
        deployment_controller: in_block(props.get("deploymentController"), |d| {
            string(d.get("type"))
        }),
        health_check_grace_period_seconds: number(props.get("healthCheckGracePeriodSeconds")),
        load_balancers: list(first(props, &["loadBalancers", "load_balancer"]), |l| {
            l.as_object().map(|_| LoadBalancer {
                span: l.span,
                target_group_arn: string(l.get("targetGroupArn")),
                container_name: string(l.get("containerName")),
                container_port: number(l.get("containerPort")),
            })
        }),
        network_configuration: props
            .get("networkConfiguration")
            .and_then(|n| match n.kind {
                NodeKind::Null => None,
                _ => spanned(Value::Known(()), n),
            }),
        assign_public_ip: awsvpc.and_then(|a| {
            let node = a.get("assignPublicIp")?;
            match &node.kind {
                NodeKind::String(s) if s.eq_ignore_ascii_case("ENABLED") => {
                    spanned(Value::Known(true), node)
                }
                NodeKind::String(s) if s.eq_ignore_ascii_case("DISABLED") => {
                    spanned(Value::Known(false), node)
                }
                _ => boolean(Some(node)),
            }
        }),
        security_groups: awsvpc.and_then(|a| match block(Some(a)) {
            Some(b) => items(b.get("securityGroups")),
            None if a.is_unknown() => spanned(Value::unresolved(a.describe()), a),
            None => None,
        }),
        enable_execute_command: boolean(props.get("enableExecuteCommand")),
        tags: tags(props.get("tags")),
        propagate_tags: string(props.get("propagateTags")),
    }
}

/// `ENABLED` / `DISABLED` (CloudFormation, the API) or a boolean (Terraform).
fn enabled_flag(node: Option<&Node>) -> Field<bool> {
    let node = node?;
    match &node.kind {
        NodeKind::String(s) if s.eq_ignore_ascii_case("ENABLED") => {
            spanned(Value::Known(true), node)
        }
        NodeKind::String(s) if s.eq_ignore_ascii_case("DISABLED") => {
            spanned(Value::Known(false), node)
        }
        _ => boolean(Some(node)),
    }
}

pub fn task_set(name: String, header: Span, props: &Node) -> TaskSet {
    let network = props.get("networkConfiguration");
    let awsvpc = match block(network) {
        Some(n) => Some(n.get("awsvpcConfiguration").unwrap_or(n)),
        None => network,
    };
    TaskSet {
        name,
        span: header,
        service: string(props.get("service")),
        assign_public_ip: awsvpc.and_then(|a| match block(Some(a)) {
            Some(b) => enabled_flag(b.get("assignPublicIp")),
            None if a.is_unknown() => spanned(Value::unresolved(a.describe()), a),
            None => None,
        }),
    }
}

pub fn capacity_provider(name: String, header: Span, props: &Node) -> CapacityProvider {
    let asg = props.get("autoScalingGroupProvider");
    CapacityProvider {
        name,
        span: header,
        auto_scaling_group_provider: object_field(asg, |_| ()),
        managed_scaling_status: in_block(asg, |a| {
            in_block(a.get("managedScaling"), |m| string(m.get("status")))
        }),
        managed_termination_protection: in_block(asg, |a| {
            string(a.get("managedTerminationProtection"))
        }),
    }
}

/// A port: a whole number, possibly negative (`-1` for every port or ICMP type).
fn port(node: Option<&Node>) -> Field<i64> {
    let node = node?;
    let parse = |v: f64| (v.is_finite() && v.fract() == 0.0 && v.abs() < 1e9).then_some(v as i64);
    let value = match &node.kind {
        NodeKind::Null => return None,
        NodeKind::Number(n) => {
            parse(*n).map_or_else(|| Value::unresolved(format_number(*n)), Value::Known)
        }
        NodeKind::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(parse)
            .map_or_else(|| Value::unresolved(s.clone()), Value::Known),
        NodeKind::Bool(_) | NodeKind::Array(_) | NodeKind::Object(_) => {
            Value::unresolved(node.describe())
        }
        _ => unknown(node)?,
    };
    spanned(value, node)
}

/// Source ranges of a rule: lists (`cidr_blocks`) and single values (`CidrIp`, `cidr_ipv4`)
/// alike, one item each; a list that cannot be known is one unknown item.
fn cidrs(rule: &Node) -> Vec<Item<String>> {
    let mut out = Vec::new();
    for key in [
        "cidrBlocks",
        "ipv6CidrBlocks",
        "cidrIp",
        "cidrIpv6",
        "cidrIpv4",
    ] {
        let Some(node) = rule.get(key) else { continue };
        match &node.kind {
            NodeKind::Null => {}
            NodeKind::Array(_) => match items(Some(node)) {
                Some(Spanned {
                    value: Value::Known(list),
                    ..
                }) => out.extend(list),
                Some(f) => out.push(Spanned::new(Value::unresolved(node.describe()), f.span)),
                None => {}
            },
            _ => out.extend(string(Some(node))),
        }
    }
    out
}

fn ingress_rule(name: String, span: Span, r: &Node) -> IngressRule {
    IngressRule {
        span,
        name,
        group: string(first(r, &["securityGroupId", "groupId"])),
        rule_type: string(r.get("type")),
        protocol: string(first(r, &["protocol", "ipProtocol"])),
        from_port: port(r.get("fromPort")),
        to_port: port(r.get("toPort")),
        cidrs: cidrs(r),
    }
}

pub fn security_group(name: String, header: Span, props: &Node) -> SecurityGroup {
    SecurityGroup {
        name,
        span: header,
        ingress: list(first(props, &["ingress", "securityGroupIngress"]), |r| {
            r.as_object()
                .map(|_| ingress_rule(String::new(), r.span, r))
        }),
    }
}

/// A standalone rule resource.
pub fn standalone_ingress_rule(name: String, header: Span, props: &Node) -> IngressRule {
    ingress_rule(name, header, props)
}

pub fn ecr_repository(name: String, header: Span, props: &Node) -> EcrRepository {
    let scanning = props.get("imageScanningConfiguration");
    let encryption = props.get("encryptionConfiguration");
    EcrRepository {
        name,
        span: header,
        repository_name: string(first(props, &["repositoryName", "name"])),
        image_tag_mutability: string(props.get("imageTagMutability")),
        image_scanning_configuration: object_field(scanning, |_| ()),
        scan_on_push: in_block(scanning, |s| boolean(s.get("scanOnPush"))),
        encryption_configuration: object_field(encryption, |_| ()),
        encryption_type: in_block(encryption, |e| string(e.get("encryptionType"))),
        kms_key: in_block(encryption, |e| string(e.get("kmsKey"))),
        lifecycle_policy: object_field(props.get("lifecyclePolicy"), |_| ()),
        repository_policy: policy_document(props.get("repositoryPolicyText")),
    }
}

/// Clusters and capacity-provider associations (see [`Cluster`]).
pub fn cluster(name: String, header: Span, props: &Node) -> Cluster {
    let configuration = props.get("configuration");
    let exec = |field: &str| {
        in_block(configuration, |c| {
            in_block(c.get("executeCommandConfiguration"), |e| {
                string(e.get(field))
            })
        })
    };
    Cluster {
        settings: list(
            first(props, &["settings", "clusterSettings", "setting"]),
            |s| {
                s.as_object().map(|_| KeyValue {
                    span: s.span,
                    name: string(s.get("name")),
                    value: string(s.get("value")),
                })
            },
        ),
        execute_command_configuration: in_block(configuration, |c| {
            let e = c.get("executeCommandConfiguration")?;
            match (&e.kind, block(Some(e))) {
                (NodeKind::Null, _) => None,
                (_, Some(_)) => spanned(Value::Known(()), e),
                _ => spanned(Value::unresolved(e.describe()), e),
            }
        }),
        execute_command_logging: exec("logging"),
        execute_command_kms_key_id: exec("kmsKeyId"),
        fargate_ephemeral_storage_kms_key_id: in_block(configuration, |c| {
            in_block(c.get("managedStorageConfiguration"), |m| {
                string(m.get("fargateEphemeralStorageKmsKeyId"))
            })
        }),
        name,
        span: header,
        cluster_name: string(first(props, &["clusterName", "name"])),
        cluster: string(props.get("cluster")),
        default_capacity_provider_strategy: capacity_provider_strategy(
            props.get("defaultCapacityProviderStrategy"),
        ),
        tags: tags(props.get("tags")),
    }
}

fn capacity_provider_strategy(node: Option<&Node>) -> Field<Vec<CapacityProviderItem>> {
    list(node, |c| {
        c.as_object().map(|_| CapacityProviderItem {
            span: c.span,
            capacity_provider: string(c.get("capacityProvider")),
            weight: number(c.get("weight")),
            base: number(c.get("base")),
        })
    })
}

/// A task set (`aws_ecs_task_set`, `AWS::ECS::TaskSet`) gives the task definition to a service
/// of the EXTERNAL deployment controller that names none itself.
pub fn apply_task_set(unit: &mut Unit, props: &Node) {
    let Some(Value::Ref { target, .. }) = string(props.get("service")).map(|s| s.value) else {
        return;
    };
    if let Some(service) = unit
        .services
        .iter_mut()
        .find(|s| s.name == target && s.task_definition.is_none())
    {
        service.task_definition = string(props.get("taskDefinition"));
    }
}

pub fn log_group(name: String, header: Span, props: &Node) -> LogGroup {
    LogGroup {
        name,
        span: header,
        log_group_name: string(first(props, &["logGroupName", "name"])).or_else(|| {
            string(props.get("name_prefix")).map(|p| {
                Spanned::new(
                    Value::unresolved(format!("name_prefix {}", p.value.known().map_or("", |s| s))),
                    p.span,
                )
            })
        }),
        retention_in_days: number(props.get("retentionInDays")),
    }
}

/// A string or a list of strings as items (`Action: "s3:*"`, `Action: [..]`).
fn one_or_items(node: Option<&Node>) -> Field<Vec<Item<String>>> {
    let node = node?;
    match &node.kind {
        NodeKind::Array(_) | NodeKind::Null => items(Some(node)),
        _ => string(Some(node)).map(|f| Spanned::new(Value::Known(vec![f.clone()]), f.span)),
    }
}

/// A policy document: an object, or JSON text (heredoc, `file()`, `jsonencode` kept as text);
/// unknown when it cannot be read.
pub fn policy_document(node: Option<&Node>) -> Field<Vec<PolicyStatement>> {
    let node = node?;
    if let NodeKind::String(_) = node.kind {
        return match decoded(node) {
            Some(inner) => policy_document(Some(&inner)).map(|mut f| {
                f.span = node.span;
                f
            }),
            None => spanned(Value::unresolved("policy document (not JSON)"), node),
        };
    }
    let Some(doc) = block(Some(node)) else {
        return match node.kind {
            NodeKind::Null => None,
            _ => spanned(Value::unresolved(node.describe()), node),
        };
    };
    let Some(statements) = doc.get("Statement") else {
        return spanned(Value::Known(Vec::new()), node);
    };
    list(Some(statements), |st| {
        st.as_object().map(|_| PolicyStatement {
            span: st.span,
            effect: string(st.get("Effect")),
            actions: one_or_items(st.get("Action")),
            not_action: st.get("NotAction").is_some(),
            resources: one_or_items(st.get("Resource")),
            not_resource: st.get("NotResource").is_some(),
            condition: st
                .get("Condition")
                .is_some_and(|c| !matches!(c.kind, NodeKind::Null)),
            condition_keys: st
                .get("Condition")
                .and_then(Node::as_object)
                .into_iter()
                .flatten()
                .flat_map(|(_, keys)| keys.as_object().unwrap_or(&[]).iter())
                .map(|(k, _)| k.value.to_ascii_lowercase())
                .collect(),
            principals: principals(st.get("Principal")),
        })
    })
    .map(|mut f| {
        f.span = node.span;
        f
    })
}

/// `Principal: "*"`, `Principal: {AWS: ..., Service: [...]}`, one entry per identifier.
fn principals(node: Option<&Node>) -> Vec<(String, Item<String>)> {
    let Some(node) = node else {
        return Vec::new();
    };
    match &node.kind {
        NodeKind::Null => Vec::new(),
        NodeKind::Object(props) => {
            let mut out = Vec::new();
            for (kind, ids) in props {
                match one_or_items(Some(ids)) {
                    Some(Spanned {
                        value: Value::Known(items),
                        ..
                    }) => out.extend(items.into_iter().map(|i| (kind.value.clone(), i))),
                    Some(f) => out.push((
                        "?".to_owned(),
                        Spanned::new(Value::unresolved(ids.describe()), f.span),
                    )),
                    None => {}
                }
            }
            out
        }
        _ => string(Some(node))
            .map(|f| {
                let kind = if f.value.known().is_some() { "*" } else { "?" };
                vec![(kind.to_owned(), f)]
            })
            .unwrap_or_default(),
    }
}

pub fn iam_role(name: String, header: Span, props: &Node) -> IamRole {
    let inline = first(props, &["inlinePolicy", "policies"]);
    let inline_policies = match inline.map(|n| &n.kind) {
        Some(NodeKind::Array(items)) => items
            .iter()
            .map(|p| {
                if p.is_unknown() {
                    spanned(Value::unresolved(p.describe()), p)
                } else {
                    policy_document(first(p, &["policyDocument", "policy"]))
                }
            })
            .collect(),
        Some(NodeKind::Object(_)) => {
            let p = inline.unwrap();
            vec![policy_document(first(p, &["policyDocument", "policy"]))]
        }
        Some(NodeKind::Null) | None => Vec::new(),
        Some(_) => vec![spanned(
            Value::unresolved(inline.unwrap().describe()),
            inline.unwrap(),
        )],
    };
    IamRole {
        name,
        span: header,
        role_name: string(first(props, &["roleName", "name"])),
        inline_policies,
        managed_policy_arns: items(props.get("managedPolicyArns")),
        assume_role_policy: policy_document(first(
            props,
            &["assumeRolePolicyDocument", "assumeRolePolicy"],
        )),
    }
}

pub fn iam_policy(name: String, header: Span, props: &Node) -> IamPolicy {
    let roles = match (props.get("role"), props.get("roles")) {
        (Some(r), _) => one_or_items(Some(r)),
        (None, r) => one_or_items(r),
    };
    IamPolicy {
        name,
        span: header,
        roles,
        document: policy_document(first(props, &["policyDocument", "policy"])),
        policy_arn: string(props.get("policyArn")),
    }
}

pub fn target_group(name: String, header: Span, props: &Node) -> TargetGroup {
    TargetGroup {
        name,
        span: header,
        health_check_port: string(props.get("healthCheckPort"))
            .or_else(|| in_block(props.get("healthCheck"), |h| string(h.get("port")))),
    }
}
