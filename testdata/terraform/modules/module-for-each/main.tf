# One module instance per service of a map: each instance gets its own key and settings.
variable "services" {
  type = map(object({
    cpu    = number
    memory = number
    image  = string
    count  = number
  }))
  default = {
    web    = { cpu = 256, memory = 512, image = "nginx:1.27", count = 2 }
    worker = { cpu = 512, memory = 512, image = "acme/worker:latest", count = 1 }
  }
}

module "svc" {
  source   = "./modules/svc"
  for_each = var.services

  name          = each.key
  cpu           = each.value.cpu
  memory        = each.value.memory
  image         = each.value.image
  desired_count = each.value.count
}
