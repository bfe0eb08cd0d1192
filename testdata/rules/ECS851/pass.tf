variable "execution_role_arn" {
  type = string
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = var.execution_role_arn

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential = true
    }
  ])
}

# EC2: the container instance role pulls the image and sends the logs.
resource "aws_ecs_task_definition" "worker" {
  family                   = "orders-worker"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"

  container_definitions = jsonencode([
    {
      name      = "worker"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-worker:1.0.0"
      essential = true
      memory    = 512
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"  = "/ecs/orders-worker"
          "awslogs-region" = "eu-west-1"
        }
      }
    }
  ])
}
