resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "bridge"

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential = true
      memory    = "512 MiB"
      logConfiguration = {
        options = {
          "awslogs-group"  = "/ecs/orders-api"
          "awslogs-region" = "eu-west-1"
        }
      }
      healthCheck = {
        interval = 30
        retries  = 3
      }
    }
  ])
}

resource "aws_ecs_task_definition" "worker" {
  family       = "orders-worker"
  network_mode = "bridge"
}

resource "aws_ecs_service" "api" {
  name            = "orders-api"
  cluster         = "orders"
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = "two"
}
