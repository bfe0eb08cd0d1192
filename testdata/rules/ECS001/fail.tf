resource "aws_ecs_cluster" "main" {
  name = "orders"

  setting {
    name  = "containerinsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "bridged"
  pid_mode     = "container"

  container_definitions = jsonencode([
    {
      name         = "api"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential    = true
      memory       = 512
      portMappings = [{ containerPort = 8080, hostPort = 0, protocol = "TCP" }]
    }
  ])
}

resource "aws_ecs_service" "api" {
  name                = "orders-api"
  cluster             = aws_ecs_cluster.main.id
  task_definition     = aws_ecs_task_definition.app.arn
  launch_type         = "EC2"
  scheduling_strategy = "REPLICAS"
  desired_count       = 2
}
