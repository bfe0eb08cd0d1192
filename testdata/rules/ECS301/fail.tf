resource "aws_ecs_task_definition" "cron" {
  family                   = "nightly-export"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"

  container_definitions = <<-JSON
    [
      {
        "name": "export",
        "image": "public.ecr.aws/example/export:0.9.4",
        "essential": true
      }
    ]
  JSON
}
