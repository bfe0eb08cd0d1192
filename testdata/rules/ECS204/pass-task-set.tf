variable "assign_public_ip" {
  type = bool
}

resource "aws_ecs_task_set" "blue" {
  service         = "orders-api"
  cluster         = "orders"
  task_definition = "orders-api:7"
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = ["subnet-0a1b2c3d4e5f60718"]
    assign_public_ip = false
  }
}

# Not known: not judged.
resource "aws_ecs_task_set" "green" {
  service         = "orders-api"
  cluster         = "orders"
  task_definition = "orders-api:8"
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = ["subnet-0a1b2c3d4e5f60718"]
    assign_public_ip = var.assign_public_ip
  }
}
