variable "network_mode" {
  type = string
}

resource "aws_ecs_task_definition" "app" {
  family       = "orders-api"
  network_mode = "awsvpc"
  container_definitions = jsonencode([
    { name = "api", image = "public.ecr.aws/nginx/nginx:1.27", memory = 512 }
  ])
}

# Not known: not judged.
resource "aws_ecs_task_definition" "worker" {
  family       = "orders-worker"
  network_mode = var.network_mode
  container_definitions = jsonencode([
    { name = "worker", image = "public.ecr.aws/nginx/nginx:1.27", memory = 512 }
  ])
}

# ECS Anywhere (EXTERNAL) cannot use awsvpc.
resource "aws_ecs_task_definition" "edge" {
  family                   = "orders-edge"
  requires_compatibilities = ["EXTERNAL"]
  network_mode             = "bridge"
  container_definitions = jsonencode([
    { name = "edge", image = "public.ecr.aws/nginx/nginx:1.27", memory = 512 }
  ])
}
