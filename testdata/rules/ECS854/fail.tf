resource "aws_iam_role" "task" {
  name = "orders-api-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_ecs_task_definition" "app" {
  family        = "orders-api"
  task_role_arn = aws_iam_role.task.arn
  container_definitions = jsonencode([
    { name = "api", image = "public.ecr.aws/nginx/nginx:1.27", memory = 512 }
  ])
}
