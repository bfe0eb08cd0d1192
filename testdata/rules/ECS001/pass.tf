variable "launch_type" {
  type = string
}

resource "aws_ecs_cluster" "main" {
  name = "orders"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  configuration {
    execute_command_configuration {
      logging = "DEFAULT"
    }
  }
}

resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "bridge"
  pid_mode     = "task"
  ipc_mode     = "none"

  container_definitions = jsonencode([
    {
      name         = "api"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential    = true
      memory       = 512
      portMappings = [{ containerPort = 8080, hostPort = 0, protocol = "tcp" }]
    }
  ])
}

# The launch type comes from outside: not reported.
resource "aws_ecs_service" "api" {
  name                = "orders-api"
  cluster             = aws_ecs_cluster.main.id
  task_definition     = aws_ecs_task_definition.app.arn
  launch_type         = var.launch_type
  scheduling_strategy = "REPLICA"
  desired_count       = 2

  deployment_controller {
    type = "ECS"
  }
}
