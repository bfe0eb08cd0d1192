variable "memory" {
  type = string
}

resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "bridge"

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential = true
      memory    = 512
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"  = "/ecs/orders-api"
          "awslogs-region" = "eu-west-1"
        }
      }
      healthCheck = {
        command  = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
        interval = 30
        retries  = 3
      }
    }
  ])
}

# The value comes from a variable without a default: unknown, not reported.
resource "aws_ecs_task_definition" "worker" {
  family                = "orders-worker"
  network_mode          = "bridge"
  memory                = var.memory
  container_definitions = jsonencode([{ name = "worker", image = "orders-worker:1.0.0", memory = 256 }])
}

resource "aws_ecs_service" "api" {
  name            = "orders-api"
  cluster         = "orders"
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
}
