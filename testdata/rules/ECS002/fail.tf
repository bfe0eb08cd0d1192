resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "bridge"

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential = true
      memory    = 512
      privilege = true
      pidMode   = "host"
    }
  ])
}
