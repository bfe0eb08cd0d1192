# A root module that passes a service's settings to a local module: every mistake is in the
# caller's arguments, and findings point there.
module "api" {
  source = "./modules/service"

  name             = "api"
  cpu              = 1024
  memory           = 3000
  image            = "registry.example.com/api:latest"
  db_password      = "correct-horse-battery-staple"
  assign_public_ip = true
  desired_count    = 2
}
