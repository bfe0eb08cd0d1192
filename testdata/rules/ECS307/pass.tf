resource "aws_cloudwatch_log_group" "exec" {
  name              = "/ecs/exec"
  retention_in_days = 365
}

resource "aws_ecs_cluster" "main" {
  name = "orders"

  configuration {
    execute_command_configuration {
      logging = "OVERRIDE"
      log_configuration {
        cloud_watch_log_group_name = aws_cloudwatch_log_group.exec.name
      }
    }
  }
}

resource "aws_ecs_cluster" "batch" {
  name = "batch"
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
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = "/ecs/orders-api"
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
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

# DEFAULT logging with an awslogs container: sessions go to the task's log group.
resource "aws_ecs_service" "worker" {
  name                   = "orders-worker"
  cluster                = aws_ecs_cluster.batch.id
  task_definition        = aws_ecs_task_definition.app.arn
  launch_type            = "FARGATE"
  desired_count          = 2
  enable_execute_command = true

  network_configuration {
    subnets = ["subnet-0a1b2c3d4e5f60718"]
  }
}
