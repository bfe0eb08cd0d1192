locals {
  image_tag = "latest"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "public.ecr.aws/example/orders-api:${local.image_tag}"
      essential = true
    }
  ])
}
