resource "aws_security_group" "service" {
  name   = "orders-api"
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    description = "app port"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "everything" {
  security_group_id = aws_security_group.service.id
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
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
