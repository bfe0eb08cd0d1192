provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "thumbnailer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 4096
  memory                   = 16384

  container_definitions = jsonencode([
    {
      name   = "thumbnailer"
      image  = "example/thumbnailer:5.0.1"
      cpu    = 1024
      memory = 2048
    }
  ])
}
