variable "image_tag" {
  type = string
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
      image     = "public.ecr.aws/example/orders-api:${var.image_tag}"
      essential = true
    }
  ])
}
