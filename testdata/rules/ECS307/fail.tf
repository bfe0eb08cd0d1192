resource "aws_ecs_cluster" "audit" {
  name = "audit"

  configuration {
    execute_command_configuration {
      logging = "NONE"
    }
  }
}

resource "aws_ecs_cluster" "main" {
  name = "orders"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential = true
    }
  ])
}

resource "aws_ecs_service" "api" {
  name                   = "orders-api"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.app.arn
  launch_type            = "FARGATE"
  desired_count          = 2
  enable_execute_command = true

  network_configuration {
    subnets = ["subnet-0a1b2c3d4e5f60718"]
  }
}
