provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecs_task_definition" "indexer" {
  family                   = "search-indexer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 2048
  memory                   = 4096

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{ name = "indexer", image = "example/indexer:1.9.0" }])
}
