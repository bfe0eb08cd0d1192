variable "image" {
  type    = string
  default = "public.ecr.aws/nginx/nginx:1.27"
}

variable "log_group" {
  type = string
}

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"

  container_definitions = <<-EOF
    [
      {
        "name": "web",
        "image": "${var.image}",
        "memory": 512,
        "portMappings": [{ "containerPort": 80, "hostPort": 8080 }],
        "logConfiguration": {
          "logDriver": "awslogs",
          "options": {
            "awslogs-group": "${var.log_group}",
            "awslogs-region": "us-east-2"
          }
        }
      }
    ]
  EOF
}

resource "aws_ecs_task_definition" "worker" {
  family = "worker"

  container_definitions = <<DEFS
[
  {"name": "worker", "image": "${var.image}", "cpu": ${var.cpu_units}, "memoryReservation": 128}
]
DEFS
}

variable "cpu_units" {
  type    = number
  default = 128
}
