# Scan on push set by the caller: unknown here, not reported.
variable "scan_on_push" {
  type = bool
}

resource "aws_ecr_repository" "app" {
  name                 = "orders-api"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = var.scan_on_push
  }
}
