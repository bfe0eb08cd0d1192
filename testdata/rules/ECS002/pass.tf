resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "bridge"
  pid_mode     = "task"

  # The provider decodes container definitions case-insensitively: `Essential` works.
  container_definitions = jsonencode([
    {
      name       = "api"
      image      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      Essential  = true
      memory     = 512
      privileged = false
      dockerLabels = {
        "com.example.team" = "orders"
      }
    }
  ])
}
