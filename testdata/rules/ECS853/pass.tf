variable "policy_json" {
  type = string
}

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

resource "aws_iam_role_policy" "task" {
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "arn:aws:s3:::orders-documents/*"
      },
      {
        # A wildcard action on one resource is scoped.
        Effect   = "Allow"
        Action   = "sqs:*"
        Resource = "arn:aws:sqs:eu-west-1:123456789012:orders"
      }
    ]
  })
}

# A document that cannot be known is not judged.
resource "aws_iam_role_policy" "extra" {
  role   = aws_iam_role.task.id
  policy = var.policy_json
}

# A role no task definition uses is not this rule's business.
resource "aws_iam_role" "ci" {
  name                = "ci"
  assume_role_policy  = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([
    { name = "api", image = "public.ecr.aws/nginx/nginx:1.27" }
  ])
}
