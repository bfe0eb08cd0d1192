variable "tags" {
  type = map(string)
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { team = "orders", cost-center = "cc-42" }
  }
}

# Tagged through the provider's default_tags.
resource "aws_ecs_cluster" "main" {
  name = "orders"
}

# Tags from a variable without a value are not known: not reported.
resource "aws_ecs_task_definition" "api" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name  = "api"
    image = "public.ecr.aws/nginx/nginx:1.27"
  }])
  tags = var.tags
}

resource "aws_ecs_service" "api" {
  name            = "orders-api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2
  propagate_tags  = "SERVICE"
}
