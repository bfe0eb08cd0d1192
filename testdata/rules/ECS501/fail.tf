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
      environment      = [
        {
          name  = "CACHE_URL"
          value = "redis://:Qm4pT7wz2@orders-cache.internal:6379/0"
        },
        {
          name  = "DB_HOST"
          value = "orders-db.internal"
        },
        {
          name  = "DB_PASSWORD"
          value = "s3cr3t-Pa55w0rd!"
        },
        {
          name  = "UPSTREAM_KEY"
          value = "AKIAIOSFODNN7EXAMPLE"
        }
      ]
    }
  ])
}
