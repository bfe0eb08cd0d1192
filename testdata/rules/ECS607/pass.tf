variable "essential" {
  type = bool
}

resource "aws_ecs_task_definition" "app" {
  family = "orders-api"
  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "public.ecr.aws/nginx/nginx:1.27"
      memory    = 512
      essential = true
      healthCheck = {
        command = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
      }
    },
    {
      # Whether this container is essential is not known: it is not judged.
      name      = "sidecar"
      image     = "public.ecr.aws/nginx/nginx:1.27"
      memory    = 128
      essential = var.essential
    }
  ])
}
