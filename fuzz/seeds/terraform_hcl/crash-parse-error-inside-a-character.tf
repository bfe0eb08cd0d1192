resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/orders-api"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "app" {
  famaly                   = "orders-api"
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
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
      dockerSecurityOptions = ["no-new-privileges"]
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
