resource "aws_iam_role" "app" {
  name               = "orders-api"
  assume_role_policy = "{}"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  task_role_arn            = aws_iam_role.app.arn
  execution_role_arn       = aws_iam_role.app.arn
  container_definitions = jsonencode([
    { name = "api", image = "public.ecr.aws/nginx/nginx:1.27" }
  ])
}
