# Two levels of modules: the root passes a size to `app`, which passes it (and an image built
# from its own locals) to `task`; the root reads an output that comes back up.
locals {
  environment = "prod"
}

module "app" {
  source = "./modules/app"

  name        = "billing"
  environment = local.environment
  size        = { cpu = 512, memory = 1024 }
}

resource "aws_ecs_service" "billing" {
  name            = "billing-${local.environment}"
  task_definition = module.app.task_definition_family
  desired_count   = 3
  launch_type     = "FARGATE"

  network_configuration {
    subnets = ["subnet-0123456789abcdef0"]
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
