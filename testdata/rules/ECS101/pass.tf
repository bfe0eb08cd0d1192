variable "memory" {
  type        = number
  description = "Task memory in MiB; no default, so it cannot be known before plan."
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "queue-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = var.memory

  container_definitions = jsonencode([
    {
      name      = "worker"
      image     = "public.ecr.aws/example/worker:3.1.0"
      essential = true
    }
  ])
}
