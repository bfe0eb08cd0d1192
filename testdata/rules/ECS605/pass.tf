variable "api_essential" {
  type = bool
}

# One essential container.
resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "bridge"

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential = true
      memory    = 512
    },
    {
      name      = "log-router"
      image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0"
      essential = false
      memory    = 64
    }
  ])
}

# Essential comes from outside: it may be true.
resource "aws_ecs_task_definition" "worker" {
  family       = "orders-worker"
  network_mode = "bridge"

  container_definitions = jsonencode([
    {
      name      = "worker"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-worker:1.0.0"
      essential = var.api_essential
      memory    = 512
    }
  ])
}
