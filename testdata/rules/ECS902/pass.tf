provider "aws" {
  # No ARM64 price in the table for this region: no saving can be stated.
  region = "eu-west-3"
}

resource "aws_ecs_task_definition" "indexer" {
  family                   = "search-indexer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 2048
  memory                   = 4096

  container_definitions = jsonencode([{ name = "indexer", image = "example/indexer:1.9.0" }])
}
