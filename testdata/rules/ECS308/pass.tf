resource "aws_kms_key" "exec" {
  description = "ECS Exec sessions"
}

resource "aws_ecs_cluster" "main" {
  name = "orders"

  configuration {
    execute_command_configuration {
      kms_key_id = aws_kms_key.exec.arn
      logging    = "DEFAULT"
    }
  }
}

# ECS Exec not used here: nothing to encrypt.
resource "aws_ecs_cluster" "batch" {
  name = "batch"
}

resource "aws_ecs_service" "worker" {
  name            = "orders-worker"
  cluster         = aws_ecs_cluster.batch.id
  task_definition = "orders-worker:3"
  launch_type     = "EC2"
  desired_count   = 2
}
