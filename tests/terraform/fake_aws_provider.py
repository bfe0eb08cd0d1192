"""An offline stand-in for the hashicorp/aws provider, enough for `terraform plan` and
`terraform show -json` of ecslint's Terraform fixtures (tests/terraform_oracle.rs): the ECS
attributes and blocks ecslint models, no AWS calls. Runs on the PyPI framework `tf` (plugin
protocol 6); nested blocks are all set-nested, the only kind that framework implements, which
Terraform accepts for configurations written with single blocks too."""
from tf import runner
from tf.blocks import SetNestedBlock
from tf.iface import Config, DataSource, Provider, Resource, State
from tf.schema import Attribute, Block, Schema
from tf.types import Bool, Number, Set, String
from tf.utils import Diagnostics


def attrs(*specs):
    """(name, type) pairs as optional attributes."""
    return [Attribute(name, ty, optional=True) for name, ty in specs]


class Planned(Resource):
    """A resource whose state is what was planned, plus its computed attributes."""

    computed: dict = {}

    def __init__(self, provider):
        self.provider = provider

    def create(self, ctx, planned: State):
        return {**planned, **{k: f"fake-{k}" for k in self.computed}}

    def read(self, ctx, current: State):
        return current

    def update(self, ctx, current: State, planned: State):
        return planned

    def delete(self, ctx, current: State):
        return None


class TaskDefinition(Planned):
    computed = {"arn": String(), "id": String()}

    @classmethod
    def get_name(cls):
        return "ecs_task_definition"

    @classmethod
    def get_schema(cls):
        return Schema(
            attributes=[
                Attribute("family", String(), required=True),
                Attribute("container_definitions", String(), required=True),
                Attribute("revision", Number(), computed=True),
                *[Attribute(k, t, computed=True) for k, t in cls.computed.items()],
                *attrs(
                    ("cpu", String()),
                    ("memory", String()),
                    ("network_mode", String()),
                    ("requires_compatibilities", Set(String())),
                    ("execution_role_arn", String()),
                    ("task_role_arn", String()),
                    ("pid_mode", String()),
                    ("ipc_mode", String()),
                ),
            ],
            block_types=[
                SetNestedBlock(
                    "runtime_platform",
                    Block(attributes=attrs(
                        ("operating_system_family", String()), ("cpu_architecture", String()))),
                ),
                SetNestedBlock("volume", Block(attributes=attrs(("name", String())))),
            ],
        )


class Service(Planned):
    computed = {"id": String()}

    @classmethod
    def get_name(cls):
        return "ecs_service"

    @classmethod
    def get_schema(cls):
        return Schema(
            attributes=[
                Attribute("name", String(), required=True),
                *[Attribute(k, t, computed=True) for k, t in cls.computed.items()],
                *attrs(
                    ("cluster", String()),
                    ("task_definition", String()),
                    ("desired_count", Number()),
                    ("launch_type", String()),
                    ("platform_version", String()),
                    ("scheduling_strategy", String()),
                    ("health_check_grace_period_seconds", Number()),
                    ("deployment_minimum_healthy_percent", Number()),
                    ("deployment_maximum_percent", Number()),
                    ("enable_execute_command", Bool()),
                ),
            ],
            block_types=[
                SetNestedBlock("network_configuration", Block(attributes=attrs(
                    ("subnets", Set(String())), ("security_groups", Set(String())),
                    ("assign_public_ip", Bool())))),
                SetNestedBlock("deployment_circuit_breaker", Block(attributes=attrs(
                    ("enable", Bool()), ("rollback", Bool())))),
                SetNestedBlock("load_balancer", Block(attributes=attrs(
                    ("target_group_arn", String()), ("container_name", String()),
                    ("container_port", Number())))),
                SetNestedBlock("capacity_provider_strategy", Block(attributes=attrs(
                    ("capacity_provider", String()), ("weight", Number()), ("base", Number())))),
            ],
        )


class LogGroup(Planned):
    computed = {"arn": String(), "id": String()}

    @classmethod
    def get_name(cls):
        return "cloudwatch_log_group"

    @classmethod
    def get_schema(cls):
        return Schema(attributes=[
            *[Attribute(k, t, computed=True) for k, t in cls.computed.items()],
            *attrs(("name", String()), ("retention_in_days", Number())),
        ])


class FakeAws(Provider):
    def get_model_prefix(self) -> str:
        return "aws_"

    def full_name(self) -> str:
        return "registry.terraform.io/hashicorp/aws"

    def get_provider_schema(self, diags: Diagnostics) -> Schema:
        return Schema(attributes=[Attribute("region", String(), optional=True)])

    def validate_config(self, diags: Diagnostics, config: Config):
        pass

    def configure_provider(self, diags: Diagnostics, config: Config):
        pass

    def get_data_sources(self) -> list[type[DataSource]]:
        return []

    def get_resources(self) -> list[type[Resource]]:
        return [TaskDefinition, Service, LogGroup]


if __name__ == "__main__":
    runner.run_provider(FakeAws())
