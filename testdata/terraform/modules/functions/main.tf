# The functions module code leans on: try, lookup, merge, coalesce, concat, format...
variable "overrides" {
  type    = map(any)
  default = { memory = 2048 }
}

variable "registry" {
  type    = string
  default = null
}

locals {
  defaults = { cpu = 1024, memory = 1024, port = 8080 }
  settings = merge(local.defaults, var.overrides)
  registry = coalesce(var.registry, "public.ecr.aws/acme")
  tags     = { for k in ["team", "service"] : k => upper(k) }
  env = concat(
    [{ name = "PORT", value = tostring(local.settings.port) }],
    [for k, v in local.tags : { name = "TAG_${v}", value = lower(k) }],
  )
}

resource "aws_ecs_task_definition" "api" {
  family                   = format("%s-%s", "api", lookup(local.tags, "team", "none"))
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = try(local.settings.cpu, 256)
  memory                   = try(local.settings.nope, local.settings.memory)
  container_definitions = jsonencode([{
    name         = "api"
    image        = "${local.registry}/api:${try(var.overrides.tag, "1.0.0")}"
    essential    = true
    environment  = local.env
    portMappings = [{ containerPort = local.settings.port, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = aws_ecs_task_definition.api.family
  desired_count   = max(1, length(local.env) - 1)
  launch_type     = "FARGATE"
}
