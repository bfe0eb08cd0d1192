resource "aws_ecs_cluster" "main" {
  name = "orders"

  configuration {
    execute_command_configuration {
      logging = "DEFAULT"
    }
  }
}

resource "aws_ecs_cluster" "batch" {
  name = "batch"
}

resource "aws_ecs_service" "worker" {
  name                   = "orders-worker"
  cluster                = aws_ecs_cluster.batch.id
  task_definition        = "orders-worker:3"
  launch_type            = "EC2"
  desired_count          = 2
  enable_execute_command = true
}
