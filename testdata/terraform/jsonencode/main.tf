provider "aws" {
  region = var.region
}

locals {
  app       = "orders"
  sidecars  = var.enable_xray ? [local.xray] : []
  base_env  = { LOG_LEVEL = "info", APP = local.app }
  extra_env = merge(local.base_env, { REGION = var.region })
  xray = {
    name      = "xray"
    image     = "public.ecr.aws/xray/aws-xray-daemon:3.3.12"
    cpu       = 32
    memory    = 256
    essential = false
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/${local.app}"
  retention_in_days = 14
}

resource "aws_ecs_task_definition" "app" {
  family                   = local.app
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu * 2
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }

  ephemeral_storage {
    size_in_gib = 30
  }

  container_definitions = jsonencode(concat([
    {
      name      = local.app
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/${local.app}:${var.image_tag}"
      cpu       = 224
      memory    = 768
      essential = true
      portMappings = [for p in var.ports : { containerPort = p, protocol = "tcp" }]
      environment  = [for k, v in local.extra_env : { name = k, value = v }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.app.name
          awslogs-region        = var.region
          awslogs-stream-prefix = local.app
        }
      }
    }
  ], local.sidecars))
}

resource "aws_ecs_service" "app" {
  count           = var.create ? 1 : 0
  name            = local.app
  cluster         = data.aws_ecs_cluster.main.arn
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  deployment_minimum_healthy_percent = 50
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = var.target_group_arn == null ? [] : [1]
    content {
      target_group_arn = var.target_group_arn
      container_name   = local.app
      container_port   = 8080
    }
  }

  lifecycle {
    ignore_changes = [desired_count]
  }
}

data "aws_ecs_cluster" "main" {
  cluster_name = "main"
}
