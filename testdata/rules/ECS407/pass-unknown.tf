# The encryption type comes from the caller: unknown here, not reported.
variable "encryption_type" {
  type = string
}

resource "aws_ecr_repository" "app" {
  name                 = "orders-api"
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = var.encryption_type
  }
}
