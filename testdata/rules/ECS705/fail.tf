variable "cluster_arn" {
  type = string
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/orders-api"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = "arn:aws:iam::123456789012:role/orders-api-execution"

  container_definitions = jsonencode([
    {
      name             = "api"
      image            = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential        = true
      portMappings     = [
        {
          containerPort = 8080
          protocol      = "tcp"
        }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "app" {
  name                               = "orders-api"
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.app.arn
  desired_count                      = 0
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    security_groups  = ["sg-0123456789abcdef0"]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/0123456789abcdef"
    container_name   = "api"
    container_port   = 8080
  }
  health_check_grace_period_seconds  = 60
  scheduling_strategy                = "DAEMON"
}
