resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "bridge"

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:4.2.1"
      essential = false
      memory    = 512
    },
    {
      name      = "log-router"
      image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0"
      essential = false
      memory    = 64
    }
  ])
}
