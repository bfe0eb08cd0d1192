resource "aws_ecs_task_definition" "worker" {
  family                   = "thumbnailer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 4096
  memory                   = 16384

  # No container cpu: the container may use all the task has; nothing to rightsize.
  container_definitions = jsonencode([
    {
      name   = "thumbnailer"
      image  = "example/thumbnailer:5.0.1"
      memory = 2048
    }
  ])
}
