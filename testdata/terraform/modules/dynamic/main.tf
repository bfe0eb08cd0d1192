# dynamic blocks with a known for_each: an empty one means no block, a list one block each.
variable "target_groups" {
  type = map(number)
  default = {
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef" = 80
  }
}

variable "circuit_breaker" {
  type    = bool
  default = false
}

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = "web"
    image        = "nginx:1.27"
    essential    = true
    portMappings = [{ containerPort = 80, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "web" {
  name            = "web"
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  dynamic "load_balancer" {
    for_each = var.target_groups
    iterator = tg
    content {
      target_group_arn = tg.key
      container_name   = "web"
      container_port   = tg.value
    }
  }

  dynamic "deployment_circuit_breaker" {
    for_each = var.circuit_breaker ? [1] : []
    content {
      enable   = true
      rollback = true
    }
  }

  network_configuration {
    subnets = ["subnet-0123456789abcdef0"]
  }
}
