resource "aws_cloudwatch_log_group" "cron" {
  name              = "/ecs/nightly-export"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "cron" {
  family                   = "nightly-export"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name      = "export"
      image     = "public.ecr.aws/example/export:0.9.4"
      essential = true
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.cron.name
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "export"
        }
      }
    }
  ])
}
