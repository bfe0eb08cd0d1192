variable "name" {
  type = string
}

variable "environment" {
  type = string
}

variable "size" {
  type = object({
    cpu    = number
    memory = number
  })
}

locals {
  family = "${var.name}-${var.environment}"
  image  = "123456789012.dkr.ecr.us-east-1.amazonaws.com/${var.name}:1.4.2"
}

module "task" {
  source = "../task"

  family = local.family
  image  = local.image
  cpu    = var.size.cpu
  memory = var.size.memory
}

output "task_definition_family" {
  value = module.task.family
}
