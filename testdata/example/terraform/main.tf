provider "aws" {
  region = var.region
}

locals {
  name = "storefront"
  common_env = [
    { name = "LOG_LEVEL", value = "info" },
    { name = "PORT", value = tostring(var.container_port) },
  ]
}

resource "aws_cloudwatch_log_group" "web" {
  name = "/ecs/${local.name}"
}

resource "aws_ecs_task_definition" "web" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn

  container_definitions = jsonencode([
    {
      name      = "web"
      image     = "${var.image_repository}:latest"
      essential = true
      cpu       = 256
      memory    = 512
      portMappings = [
        { containerPort = var.container_port, protocol = "tcp" }
      ]
      environment = local.common_env
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.web.name
          awslogs-region        = var.region
          awslogs-stream-prefix = "web"
        }
      }
    },
    {
      name      = "metrics"
      image     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"
      essential = false
    }
  ])
}

resource "aws_ecs_service" "web" {
  name            = local.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = true
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = "web"
    container_port   = var.container_port
  }
}
