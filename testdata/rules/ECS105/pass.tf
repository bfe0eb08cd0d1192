resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/orders-api"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 2048
  memory                   = 4096
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
    },
    {
      name             = "sidecar-1"
      image            = "public.ecr.aws/example/sidecar-1:1.0.1"
      essential        = false
      portMappings     = []
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    },
    {
      name             = "sidecar-2"
      image            = "public.ecr.aws/example/sidecar-2:1.0.2"
      essential        = false
      portMappings     = []
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    },
    {
      name             = "sidecar-3"
      image            = "public.ecr.aws/example/sidecar-3:1.0.3"
      essential        = false
      portMappings     = []
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    },
    {
      name             = "sidecar-4"
      image            = "public.ecr.aws/example/sidecar-4:1.0.4"
      essential        = false
      portMappings     = []
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    },
    {
      name             = "sidecar-5"
      image            = "public.ecr.aws/example/sidecar-5:1.0.5"
      essential        = false
      portMappings     = []
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    },
    {
      name             = "sidecar-6"
      image            = "public.ecr.aws/example/sidecar-6:1.0.6"
      essential        = false
      portMappings     = []
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    },
    {
      name             = "sidecar-7"
      image            = "public.ecr.aws/example/sidecar-7:1.0.7"
      essential        = false
      portMappings     = []
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    },
    {
      name             = "sidecar-8"
      image            = "public.ecr.aws/example/sidecar-8:1.0.8"
      essential        = false
      portMappings     = []
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "eu-west-1"
          "awslogs-stream-prefix" = "api"
        }
      }
    },
    {
      name             = "sidecar-9"
      image            = "public.ecr.aws/example/sidecar-9:1.0.9"
      essential        = false
      portMappings     = []
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
