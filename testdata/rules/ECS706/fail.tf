resource "aws_ecs_cluster" "main" {
  name = "orders"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }
}

resource "aws_ecs_service" "api" {
  name             = "orders-api"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = "orders-api:7"
  launch_type      = "FARGATE"
  platform_version = "1.3.0"
  desired_count    = 2

  network_configuration {
    subnets = ["subnet-0a1b2c3d4e5f60718"]
  }
}

# Fargate through the cluster's default capacity-provider strategy.
resource "aws_ecs_service" "worker" {
  name             = "orders-worker"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = "orders-worker:3"
  platform_version = "1.2.0"
  desired_count    = 2

  network_configuration {
    subnets = ["subnet-0a1b2c3d4e5f60718"]
  }
}
