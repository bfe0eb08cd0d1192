variable "execution_role_arn" {
  type = string
}

resource "aws_iam_role" "app" {
  name               = "orders-api"
  assume_role_policy = "{}"
}

resource "aws_iam_role" "execution" {
  name               = "orders-api-execution"
  assume_role_policy = "{}"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  task_role_arn            = aws_iam_role.app.arn
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    { name = "api", image = "public.ecr.aws/nginx/nginx:1.27" }
  ])
}

# The same variable twice: its value is not known, so nothing is reported.
resource "aws_ecs_task_definition" "worker" {
  family                = "orders-worker"
  task_role_arn         = var.execution_role_arn
  execution_role_arn    = var.execution_role_arn
  container_definitions = jsonencode([{ name = "worker", image = "public.ecr.aws/nginx/nginx:1.27" }])
}
