resource "aws_ecs_task_definition" "worker" {
  family                   = "queue-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 300
  memory                   = 1024

  container_definitions = jsonencode([
    {
      name      = "worker"
      image     = "public.ecr.aws/example/worker:3.1.0"
      essential = true
    }
  ])
}
