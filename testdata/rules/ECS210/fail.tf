# No network_mode: the default is bridge.
resource "aws_ecs_task_definition" "app" {
  family = "orders-api"
  container_definitions = jsonencode([
    {
      name         = "api"
      image        = "public.ecr.aws/nginx/nginx:1.27"
      memory       = 512
      portMappings = [{ containerPort = 80, hostPort = 0 }]
    }
  ])
}
