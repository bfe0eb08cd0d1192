resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  execution_role_arn       = "arn:aws:iam::123456789012:role/orders-api-execution"
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
          mode                    = "blocking"
        }
      }
    }
  ])
}
