resource "aws_lb_target_group" "web" {
  name     = "orders-web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-0a1b2c3d"

  health_check {
    path = "/health"
    port = "traffic-port"
  }
}

resource "aws_ecs_task_definition" "web" {
  family       = "orders-web"
  network_mode = "bridge"
  container_definitions = jsonencode([{
    name         = "web"
    image        = "public.ecr.aws/nginx/nginx:1.27"
    memory       = 256
    portMappings = [{ containerPort = 8080, hostPort = 0 }]
  }])
}

resource "aws_ecs_service" "web" {
  name            = "orders-web"
  cluster         = "orders"
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 2

  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "web"
    container_port   = 8080
  }
}
