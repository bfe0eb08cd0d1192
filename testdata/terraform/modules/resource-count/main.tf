# count and for_each on resources: `count = 0` resources do not exist, the others are one
# instance per element.
variable "enable_legacy" {
  type    = bool
  default = false
}

variable "workers" {
  type    = list(string)
  default = ["images", "emails"]
}

locals {
  sizes = {
    small = { cpu = 256, memory = 512 }
    large = { cpu = 1024, memory = 3000 }
  }
}

resource "aws_ecs_task_definition" "legacy" {
  count                    = var.enable_legacy ? 1 : 0
  family                   = "legacy"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "bridge"
  cpu                      = 100
  memory                   = 100
  container_definitions    = jsonencode([{ name = "legacy", image = "legacy:latest", essential = true }])
}

resource "aws_ecs_task_definition" "worker" {
  count                    = length(var.workers)
  family                   = "worker-${var.workers[count.index]}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name      = var.workers[count.index]
    image     = "acme/${var.workers[count.index]}:2.0.${count.index}"
    essential = true
  }])
}

resource "aws_ecs_task_definition" "sized" {
  for_each                 = local.sizes
  family                   = "sized-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  container_definitions    = jsonencode([{ name = each.key, image = "acme/app:3.1", essential = true }])
}

resource "aws_ecs_service" "worker" {
  count           = length(var.workers)
  name            = "worker-${var.workers[count.index]}"
  task_definition = aws_ecs_task_definition.worker[count.index].arn
  desired_count   = count.index + 1
  launch_type     = "FARGATE"
}
