//! The format-neutral ECS model. Every field a rule may report on keeps the span of its value;
//! entities keep the span of their header for "missing field" findings. Field names follow the
//! ECS API (`RegisterTaskDefinition`, `CreateService`), whatever the input's casing.

use crate::source::{Span, Spanned};
use std::path::PathBuf;

/// A value as far as static analysis can know it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<T> {
    Known(T),
    /// A reference to another resource of the same unit: a Terraform address such as
    /// `aws_cloudwatch_log_group.app` or a CloudFormation logical id. Rules may follow it
    /// through [`crate::link`]; its literal value is not known.
    Ref {
        target: String,
        expr: String,
    },
    /// Not statically knowable (a variable without a default, a data source, a pseudo
    /// parameter, a template placeholder...). A rule that meets this stays silent.
    Unresolved {
        expr: String,
    },
    /// A string of which some parts are known and some are not:
    /// `"${aws_ecr_repository.app.repository_url}:latest"`, `!Sub "${Repo.RepositoryUri}:latest"`.
    /// Rules may judge the known parts (a `:latest` tail); it is never a known value.
    Partial(Vec<Part>),
}

/// A piece of a partially known string.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    /// An expression whose value is unknown, as written (`aws_ecr_repository.app.repository_url`).
    Hole(String),
}

/// The text of partial string parts, holes written `${expr}`.
pub fn parts_text(parts: &[Part]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Text(t) => out.push_str(t),
            Part::Hole(e) => {
                out.push_str("${");
                out.push_str(e);
                out.push('}');
            }
        }
    }
    out
}

/// The known text after the last unknown part (the whole text when nothing is unknown).
pub fn known_tail(parts: &[Part]) -> &str {
    match parts.last() {
        Some(Part::Text(t)) => t,
        _ => "",
    }
}

impl<T> Value<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Value::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn unresolved(expr: impl Into<String>) -> Self {
        Value::Unresolved { expr: expr.into() }
    }
}

/// An optional, spanned, possibly unknown field. `None` means the input does not set it.
pub type Field<T> = Option<Spanned<Value<T>>>;

/// One element of a list with its own span and its own knowability (a capability, a command
/// argument, a security option): one unknown element does not hide the known ones.
pub type Item<T> = Spanned<Value<T>>;

/// The known value of a field, if it is set and known.
pub fn known<T>(field: &Field<T>) -> Option<&T> {
    field.as_ref().and_then(|f| f.value.known())
}

/// The span and known value of a field, if it is set and known.
pub fn known_spanned<T>(field: &Field<T>) -> Option<(&T, &Span)> {
    field
        .as_ref()
        .and_then(|f| f.value.known().map(|v| (v, &f.span)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    TaskDefJson,
    Terraform,
    TerraformJson,
    TerraformPlan,
    CloudFormationYaml,
    CloudFormationJson,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::TaskDefJson => "taskdef-json",
            Format::Terraform => "terraform",
            Format::TerraformJson => "terraform-json",
            Format::TerraformPlan => "terraform-plan",
            Format::CloudFormationYaml => "cloudformation-yaml",
            Format::CloudFormationJson => "cloudformation-json",
        }
    }

    pub fn is_terraform(self) -> bool {
        matches!(
            self,
            Format::Terraform | Format::TerraformJson | Format::TerraformPlan
        )
    }

    pub fn is_cloudformation(self) -> bool {
        matches!(
            self,
            Format::CloudFormationYaml | Format::CloudFormationJson
        )
    }
}

/// The scope in which references resolve: a Terraform module directory, a CloudFormation
/// template, a task-definition file.
#[derive(Debug, Clone)]
pub struct Unit {
    pub path: PathBuf,
    pub format: Format,
    pub region: Field<String>,
    pub task_definitions: Vec<TaskDefinition>,
    pub services: Vec<Service>,
    pub log_groups: Vec<LogGroup>,
    /// Clusters and capacity-provider associations: where a service without a launch type
    /// gets its default capacity-provider strategy.
    pub clusters: Vec<Cluster>,
    /// Task sets (`aws_ecs_task_set`, `AWS::ECS::TaskSet`).
    pub task_sets: Vec<TaskSet>,
    /// Capacity providers (`aws_ecs_capacity_provider`, `AWS::ECS::CapacityProvider`).
    pub capacity_providers: Vec<CapacityProvider>,
    /// Security groups with their inline ingress rules.
    pub security_groups: Vec<SecurityGroup>,
    /// Standalone ingress rules (`aws_security_group_rule` of type ingress,
    /// `aws_vpc_security_group_ingress_rule`, `AWS::EC2::SecurityGroupIngress`).
    pub ingress_rules: Vec<IngressRule>,
    /// Target groups of the unit.
    pub target_groups: Vec<TargetGroup>,
    /// ECR repositories declared in the unit.
    pub ecr_repositories: Vec<EcrRepository>,
    /// The `repository` of each `aws_ecr_lifecycle_policy`.
    pub ecr_lifecycle_policies: Vec<Spanned<Value<String>>>,
    /// Documents of `aws_ecr_repository_policy` resources.
    pub ecr_repository_policies: Vec<Field<Vec<PolicyStatement>>>,
    /// Registry scanning configurations (`aws_ecr_registry_scanning_configuration`,
    /// `AWS::ECR::RegistryScanningConfiguration`): their headers.
    pub ecr_registry_scanning: Vec<Span>,
    /// IAM roles (`aws_iam_role`, `AWS::IAM::Role`) with their inline policies.
    pub iam_roles: Vec<IamRole>,
    /// Policies and attachments that name roles (`aws_iam_role_policy`, `aws_iam_policy`,
    /// `aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`, `AWS::IAM::Policy`,
    /// `AWS::IAM::ManagedPolicy`).
    pub iam_policies: Vec<IamPolicy>,
    /// Evaluation units the front-end spent on this unit (see `syntax::budget`).
    pub eval_units: u64,
    /// Terraform module calls met while reading the unit, and how many were expanded.
    pub module_calls: usize,
    pub module_calls_expanded: usize,
    /// Every expanded module instance: findings inside its directory name the call.
    pub module_instances: Vec<ModuleInstance>,
    /// Values set outside the module that uses them: a finding on `value` gets a label at
    /// `used` (see `syntax::node::Node::via`).
    pub value_uses: Vec<ValueUse>,
    /// Terraform: the root's AWS provider `default_tags`, which every resource gets. `None`
    /// when none apply (a root provider without them, CloudFormation, JSON); unknown when they
    /// cannot be known (an unknown value, providers that disagree, no `provider "aws"` block in
    /// the root: the directory is then likely a module for callers elsewhere). Plans fold them
    /// into each resource's `tags` (`tags_all`). CloudFormation: unknown for a Copilot
    /// template (Copilot gives its stacks tags, which reach every resource).
    pub default_tags: Field<Vec<KeyValue>>,
    /// CloudFormation: the parameters declared `NoEcho: true`. A `!Ref` to one is unknown
    /// (expression `!Ref NAME`) even when it has a default, so its value is never read.
    pub no_echo_parameters: Vec<String>,
}

/// A value written in one place (a caller's module argument, a tfvars line) and used by a
/// Terraform module in another.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueUse {
    pub value: Span,
    pub used: Span,
}

/// One expanded Terraform module instance: its directory, address and the call that made it.
#[derive(Debug, Clone)]
pub struct ModuleInstance {
    pub dir: PathBuf,
    /// `module.api` or `module.api["blue"]` (the path from the root).
    pub address: String,
    /// The `module "api"` block header.
    pub call: Span,
}

impl Unit {
    pub fn new(path: PathBuf, format: Format) -> Self {
        Unit {
            path,
            format,
            region: None,
            task_definitions: Vec::new(),
            services: Vec::new(),
            log_groups: Vec::new(),
            clusters: Vec::new(),
            task_sets: Vec::new(),
            capacity_providers: Vec::new(),
            security_groups: Vec::new(),
            ingress_rules: Vec::new(),
            ecr_repositories: Vec::new(),
            target_groups: Vec::new(),
            ecr_lifecycle_policies: Vec::new(),
            ecr_registry_scanning: Vec::new(),
            ecr_repository_policies: Vec::new(),
            iam_roles: Vec::new(),
            iam_policies: Vec::new(),
            eval_units: 0,
            module_calls: 0,
            module_calls_expanded: 0,
            module_instances: Vec::new(),
            value_uses: Vec::new(),
            default_tags: None,
            no_echo_parameters: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TaskDefinition {
    /// Terraform address, CloudFormation logical id, or the family / file name for JSON.
    pub name: String,
    /// The resource header (or the object) — where "missing field" findings point.
    pub span: Span,
    pub family: Field<String>,
    /// CPU units (1024 = 1 vCPU); unit strings such as `"1 vCPU"` are converted.
    pub cpu: Field<u32>,
    /// MiB; unit strings such as `"2 GB"` are converted.
    pub memory: Field<u32>,
    pub network_mode: Field<String>,
    pub requires_compatibilities: Field<Vec<String>>,
    pub operating_system_family: Field<String>,
    pub cpu_architecture: Field<String>,
    pub execution_role_arn: Field<String>,
    pub task_role_arn: Field<String>,
    pub ephemeral_storage_gib: Field<u32>,
    pub pid_mode: Field<String>,
    pub ipc_mode: Field<String>,
    pub volumes: Field<Vec<Volume>>,
    pub container_definitions: Field<Vec<ContainerDefinition>>,
    /// Every key of the task definition object as written, at any depth, except inside
    /// `containerDefinitions` (each container keeps its own): for key-spelling checks.
    pub keys: Vec<RawKey>,
    /// `tags` (a map in Terraform, a `Key`/`Value` list elsewhere); see [`Unit::default_tags`].
    pub tags: Field<Vec<KeyValue>>,
}

/// A key as the input spells it, and the object it sits in: the normalised path of the object
/// (API or CloudFormation names lowercased, `_` removed, `[]` for list elements; `""` for the
/// entity itself), e.g. `portmappings[]` for a key of a port mapping.
#[derive(Debug, Clone)]
pub struct RawKey {
    /// Shared by the keys of one object.
    pub parent: std::sync::Arc<str>,
    pub key: Spanned<String>,
}

impl TaskDefinition {
    /// True when `requiresCompatibilities` is known to include FARGATE.
    pub fn is_fargate(&self) -> bool {
        known(&self.requires_compatibilities)
            .is_some_and(|c| c.iter().any(|c| c.eq_ignore_ascii_case("FARGATE")))
    }

    pub fn containers(&self) -> &[ContainerDefinition] {
        known(&self.container_definitions).map_or(&[], |c| c.as_slice())
    }
}

#[derive(Debug, Clone, Default)]
pub struct Volume {
    pub span: Span,
    pub name: Field<String>,
    /// `efsVolumeConfiguration` (`efs_volume_configuration` block, `EFSVolumeConfiguration`).
    pub efs_volume_configuration: Field<EfsVolumeConfiguration>,
}

#[derive(Debug, Clone, Default)]
pub struct EfsVolumeConfiguration {
    pub file_system_id: Field<String>,
    /// `ENABLED` / `DISABLED`; absent means DISABLED.
    pub transit_encryption: Field<String>,
    /// `authorizationConfig.accessPointId`.
    pub access_point_id: Field<String>,
    /// `authorizationConfig.iam`: `ENABLED` / `DISABLED`.
    pub iam: Field<String>,
    /// The `authorizationConfig` object, when present.
    pub authorization_config: Field<()>,
}

#[derive(Debug, Clone, Default)]
pub struct ContainerDefinition {
    /// The container object.
    pub span: Span,
    pub name: Field<String>,
    pub image: Field<String>,
    pub cpu: Field<u32>,
    pub memory: Field<u32>,
    pub memory_reservation: Field<u32>,
    pub essential: Field<bool>,
    pub port_mappings: Field<Vec<PortMapping>>,
    pub environment: Field<Vec<KeyValue>>,
    pub secrets: Field<Vec<Secret>>,
    pub log_configuration: Field<LogConfiguration>,
    pub health_check: Field<HealthCheck>,
    pub privileged: Field<bool>,
    pub readonly_root_filesystem: Field<bool>,
    pub user: Field<String>,
    pub depends_on: Field<Vec<String>>,
    pub linux_parameters: Field<LinuxParameters>,
    /// `dockerSecurityOptions`: `no-new-privileges`, `apparmor:PROFILE`, `label:value`...
    pub docker_security_options: Field<Vec<Item<String>>>,
    /// `dockerLabels`, a map; keys verbatim.
    pub docker_labels: Field<Vec<KeyValue>>,
    pub command: Field<Vec<Item<String>>>,
    pub entry_point: Field<Vec<Item<String>>>,
    /// Every key of the container object as written, at any depth (see [`RawKey`]).
    pub keys: Vec<RawKey>,
}

#[derive(Debug, Clone, Default)]
pub struct LinuxParameters {
    /// `capabilities.add`: kernel capabilities added to Docker's default set.
    pub capabilities_add: Field<Vec<Item<String>>>,
    pub capabilities_drop: Field<Vec<Item<String>>>,
    pub init_process_enabled: Field<bool>,
}

#[derive(Debug, Clone, Default)]
pub struct PortMapping {
    pub span: Span,
    pub container_port: Field<u32>,
    pub host_port: Field<u32>,
    pub protocol: Field<String>,
}

/// An `environment` entry (or a log option): name and value with their own spans.
#[derive(Debug, Clone, Default)]
pub struct KeyValue {
    pub span: Span,
    pub name: Field<String>,
    pub value: Field<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Secret {
    pub span: Span,
    pub name: Field<String>,
    pub value_from: Field<String>,
}

#[derive(Debug, Clone, Default)]
pub struct LogConfiguration {
    pub log_driver: Field<String>,
    /// `None` inside when `options` is absent; unresolved when the whole map is unknown.
    pub options: Field<Vec<KeyValue>>,
}

impl LogConfiguration {
    pub fn option(&self, name: &str) -> Option<&KeyValue> {
        known(&self.options)?
            .iter()
            .find(|kv| known(&kv.name).is_some_and(|n| n == name))
    }
}

#[derive(Debug, Clone, Default)]
pub struct HealthCheck {
    pub command: Field<Vec<String>>,
    /// The same command, element by element with spans (for findings on one argument).
    pub command_args: Field<Vec<Item<String>>>,
    pub interval: Field<u32>,
    pub timeout: Field<u32>,
    pub retries: Field<u32>,
    pub start_period: Field<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct Service {
    pub name: String,
    pub span: Span,
    pub service_name: Field<String>,
    pub cluster: Field<String>,
    /// Usually a [`Value::Ref`] to a task definition of the same unit.
    pub task_definition: Field<String>,
    pub launch_type: Field<String>,
    pub capacity_provider_strategy: Field<Vec<CapacityProviderItem>>,
    pub desired_count: Field<u32>,
    pub scheduling_strategy: Field<String>,
    pub platform_version: Field<String>,
    pub deployment_minimum_healthy_percent: Field<u32>,
    pub deployment_maximum_percent: Field<u32>,
    pub deployment_circuit_breaker_enable: Field<bool>,
    pub deployment_circuit_breaker_rollback: Field<bool>,
    pub deployment_controller: Field<String>,
    pub health_check_grace_period_seconds: Field<u32>,
    pub load_balancers: Field<Vec<LoadBalancer>>,
    /// The span of the network configuration block, when present.
    pub network_configuration: Field<()>,
    pub assign_public_ip: Field<bool>,
    /// `awsvpcConfiguration.securityGroups` (`security_groups`): usually references.
    pub security_groups: Field<Vec<Item<String>>>,
    /// `enableExecuteCommand` (ECS Exec).
    pub enable_execute_command: Field<bool>,
    pub tags: Field<Vec<KeyValue>>,
    /// `propagateTags`: `SERVICE`, `TASK_DEFINITION` or `NONE` (absent: NONE).
    pub propagate_tags: Field<String>,
}

/// A cluster (`aws_ecs_cluster`, `AWS::ECS::Cluster`) or a capacity-provider association
/// (`aws_ecs_cluster_capacity_providers`, `AWS::ECS::ClusterCapacityProviderAssociations`),
/// which names its cluster in `cluster`.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    pub name: String,
    pub span: Span,
    pub cluster_name: Field<String>,
    /// Set on associations: the cluster they configure (usually a `Ref`).
    pub cluster: Field<String>,
    pub default_capacity_provider_strategy: Field<Vec<CapacityProviderItem>>,
    /// `settings` (`setting` blocks, `ClusterSettings`): `containerInsights` and its value.
    pub settings: Field<Vec<KeyValue>>,
    /// `configuration.executeCommandConfiguration`, when declared (its span).
    pub execute_command_configuration: Field<()>,
    /// `configuration.executeCommandConfiguration.logging`: `NONE`, `DEFAULT`, `OVERRIDE`.
    pub execute_command_logging: Field<String>,
    pub execute_command_kms_key_id: Field<String>,
    /// `configuration.managedStorageConfiguration.fargateEphemeralStorageKmsKeyId`.
    pub fargate_ephemeral_storage_kms_key_id: Field<String>,
    pub tags: Field<Vec<KeyValue>>,
}

/// A service's `loadBalancers` entry (`load_balancer` block).
#[derive(Debug, Clone, Default)]
pub struct LoadBalancer {
    pub span: Span,
    /// Usually a `Ref` to a target group of the unit.
    pub target_group_arn: Field<String>,
    pub container_name: Field<String>,
    pub container_port: Field<u32>,
}

/// An ELB target group (`aws_lb_target_group`, `aws_alb_target_group`,
/// `AWS::ElasticLoadBalancingV2::TargetGroup`).
#[derive(Debug, Clone, Default)]
pub struct TargetGroup {
    pub name: String,
    pub span: Span,
    /// `health_check.port` / `HealthCheckPort`: `traffic-port` (the default) or a number.
    pub health_check_port: Field<String>,
}

/// A task set (`aws_ecs_task_set`, `AWS::ECS::TaskSet`).
#[derive(Debug, Clone, Default)]
pub struct TaskSet {
    pub name: String,
    pub span: Span,
    pub service: Field<String>,
    pub assign_public_ip: Field<bool>,
}

/// An Auto Scaling group capacity provider.
#[derive(Debug, Clone, Default)]
pub struct CapacityProvider {
    pub name: String,
    pub span: Span,
    /// The `autoScalingGroupProvider` block, when present.
    pub auto_scaling_group_provider: Field<()>,
    /// `managedScaling.status`: `ENABLED` / `DISABLED`.
    pub managed_scaling_status: Field<String>,
    /// `managedTerminationProtection`: `ENABLED` / `DISABLED` (absent: DISABLED).
    pub managed_termination_protection: Field<String>,
}

/// A security group (`aws_security_group`, `AWS::EC2::SecurityGroup`).
#[derive(Debug, Clone, Default)]
pub struct SecurityGroup {
    pub name: String,
    pub span: Span,
    /// Inline ingress rules (`ingress` blocks, `SecurityGroupIngress`).
    pub ingress: Field<Vec<IngressRule>>,
}

/// One ingress rule, inline or standalone.
#[derive(Debug, Clone, Default)]
pub struct IngressRule {
    /// The rule (block, list element or resource header).
    pub span: Span,
    /// Standalone rules: the resource address or logical id.
    pub name: String,
    /// Standalone rules: the group it belongs to (usually a `Ref`); `None` inline.
    pub group: Field<String>,
    /// `aws_security_group_rule.type`: `ingress` / `egress`; `None` for ingress-only kinds.
    pub rule_type: Field<String>,
    /// `tcp`, `udp`, `icmp`, `-1` / `all`, or a protocol number, as written.
    pub protocol: Field<String>,
    pub from_port: Field<i64>,
    pub to_port: Field<i64>,
    /// IPv4 and IPv6 source ranges (`cidr_blocks`, `ipv6_cidr_blocks`, `cidr_ipv4`,
    /// `cidr_ipv6`, `CidrIp`, `CidrIpv6`), one item each; a list that cannot be known is one
    /// unknown item.
    pub cidrs: Vec<Item<String>>,
}

/// An ECR repository (`aws_ecr_repository`, `AWS::ECR::Repository`).
#[derive(Debug, Clone, Default)]
pub struct EcrRepository {
    pub name: String,
    pub span: Span,
    pub repository_name: Field<String>,
    /// `MUTABLE` (the default), `IMMUTABLE`, `MUTABLE_WITH_EXCLUSION`, `IMMUTABLE_WITH_EXCLUSION`.
    pub image_tag_mutability: Field<String>,
    /// The `imageScanningConfiguration` block, when present.
    pub image_scanning_configuration: Field<()>,
    pub scan_on_push: Field<bool>,
    /// The `encryptionConfiguration` block, when present.
    pub encryption_configuration: Field<()>,
    /// `AES256` (the default), `KMS`, `KMS_DSSE`.
    pub encryption_type: Field<String>,
    pub kms_key: Field<String>,
    /// CloudFormation's inline `LifecyclePolicy`.
    pub lifecycle_policy: Field<()>,
    /// CloudFormation's inline `RepositoryPolicyText`.
    pub repository_policy: Field<Vec<PolicyStatement>>,
}

/// An IAM role.
#[derive(Debug, Clone, Default)]
pub struct IamRole {
    pub name: String,
    pub span: Span,
    pub role_name: Field<String>,
    /// Inline policies (`inline_policy` blocks, `Policies`), each a document.
    pub inline_policies: Vec<Field<Vec<PolicyStatement>>>,
    /// `managed_policy_arns`, `ManagedPolicyArns`.
    pub managed_policy_arns: Field<Vec<Item<String>>>,
    /// The trust policy (`assume_role_policy`, `AssumeRolePolicyDocument`).
    pub assume_role_policy: Field<Vec<PolicyStatement>>,
}

/// A policy document's statements, or an attachment of a managed policy, and the roles it
/// applies to.
#[derive(Debug, Clone, Default)]
pub struct IamPolicy {
    pub name: String,
    pub span: Span,
    /// The roles it is attached to (`role`, `roles`, `Roles`): references or names.
    pub roles: Field<Vec<Item<String>>>,
    /// The document (`policy`, `PolicyDocument`), when it has one.
    pub document: Field<Vec<PolicyStatement>>,
    /// Attachments: the attached policy (`policy_arn`): an ARN or a reference.
    pub policy_arn: Field<String>,
}

/// One statement of a policy document.
#[derive(Debug, Clone, Default)]
pub struct PolicyStatement {
    pub span: Span,
    pub effect: Field<String>,
    /// `Action` (a string or a list, one item each).
    pub actions: Field<Vec<Item<String>>>,
    /// `NotAction` is present (the statement allows everything else).
    pub not_action: bool,
    pub resources: Field<Vec<Item<String>>>,
    pub not_resource: bool,
    /// A `Condition` is present.
    pub condition: bool,
    /// Condition keys, lowercased (`aws:sourceaccount`), across every operator.
    pub condition_keys: Vec<String>,
    /// `Principal`: `("*", item)` for `Principal: "*"`, else `(type, item)` for each
    /// identifier (`("AWS", "*")`, `("Service", "ecs-tasks.amazonaws.com")`); a principal that
    /// cannot be known is one `("?", unknown item)`.
    pub principals: Vec<(String, Item<String>)>,
}

#[derive(Debug, Clone, Default)]
pub struct CapacityProviderItem {
    pub span: Span,
    pub capacity_provider: Field<String>,
    pub weight: Field<u32>,
    pub base: Field<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct LogGroup {
    pub name: String,
    pub span: Span,
    pub log_group_name: Field<String>,
    pub retention_in_days: Field<u32>,
}

/// CPU units from a number or a unit string: `256`, `"256"`, `"1 vCPU"`, `"0.25 vcpu"`.
pub fn parse_cpu_units(text: &str) -> Option<u32> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(num) = lower.strip_suffix("vcpu") {
        let v: f64 = num.trim().parse().ok()?;
        return to_u32(v * 1024.0);
    }
    let v: f64 = t.parse().ok()?;
    to_u32(v)
}

/// MiB from a number or a unit string: `512`, `"512"`, `"2 GB"`, `"0.5GB"`, `"512 MiB"`.
pub fn parse_memory_mib(text: &str) -> Option<u32> {
    let lower = text.trim().to_ascii_lowercase();
    for (suffix, factor) in [("gib", 1024.0), ("gb", 1024.0), ("mib", 1.0), ("mb", 1.0)] {
        if let Some(num) = lower.strip_suffix(suffix) {
            let v: f64 = num.trim().parse().ok()?;
            return to_u32(v * factor);
        }
    }
    let v: f64 = lower.parse().ok()?;
    to_u32(v)
}

/// A non-negative whole number as `u32`; fractions and out-of-range values are not.
pub fn to_u32(v: f64) -> Option<u32> {
    (v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64).then_some(v as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_unit_strings() {
        assert_eq!(parse_cpu_units("1 vCPU"), Some(1024));
        assert_eq!(parse_cpu_units("0.25 vcpu"), Some(256));
        assert_eq!(parse_cpu_units("512"), Some(512));
        assert_eq!(parse_cpu_units("lots"), None);
        assert_eq!(parse_memory_mib("2 GB"), Some(2048));
        assert_eq!(parse_memory_mib("0.5GB"), Some(512));
        assert_eq!(parse_memory_mib("512"), Some(512));
        assert_eq!(parse_memory_mib("-1"), None);
        assert_eq!(parse_memory_mib("1.5"), None);
    }
}
