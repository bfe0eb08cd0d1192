resource "aws_ecs_task_set" "blue" {
  service         = "orders-api"
  cluster         = "orders"
  task_definition = "orders-api:7"
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = ["subnet-0a1b2c3d4e5f60718"]
    security_groups  = ["sg-0123456789abcdef0"]
    assign_public_ip = true
  }
}
