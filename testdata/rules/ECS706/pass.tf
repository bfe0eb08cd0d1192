variable "platform_version" {
  type = string
}

resource "aws_ecs_service" "api" {
  name             = "orders-api"
  cluster          = "orders"
  task_definition  = "orders-api:7"
  launch_type      = "FARGATE"
  platform_version = "1.4.0"
  desired_count    = 2

  network_configuration {
    subnets = ["subnet-0a1b2c3d4e5f60718"]
  }
}

resource "aws_ecs_service" "worker" {
  name             = "orders-worker"
  cluster          = "orders"
  task_definition  = "orders-worker:3"
  launch_type      = "FARGATE"
  platform_version = var.platform_version
  desired_count    = 2

  network_configuration {
    subnets = ["subnet-0a1b2c3d4e5f60718"]
  }
}

# platformVersion means nothing on EC2.
resource "aws_ecs_service" "batch" {
  name             = "orders-batch"
  cluster          = "orders"
  task_definition  = "orders-batch:1"
  launch_type      = "EC2"
  platform_version = "1.3.0"
  desired_count    = 1
}
