resource "aws_kms_key" "fargate_storage" {
  description = "Fargate ephemeral storage"
}

resource "aws_ecs_cluster" "main" {
  name = "orders"

  configuration {
    managed_storage_configuration {
      fargate_ephemeral_storage_kms_key_id = aws_kms_key.fargate_storage.id
    }
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/orders-api"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  execution_role_arn       = "arn:aws:iam::123456789012:role/orders-api-execution"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([
    {
      name         = "api"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential    = true
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "api" {
  name            = "orders-api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  desired_count   = 2

  network_configuration {
    subnets = ["subnet-0a1b2c3d4e5f60718"]
  }
}
