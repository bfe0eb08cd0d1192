variable "mutability" {
  type = string
}

resource "aws_ecr_repository" "app" {
  name                 = "orders-api"
  image_tag_mutability = "IMMUTABLE"
}

# Not known: not judged.
resource "aws_ecr_repository" "worker" {
  name                 = "orders-worker"
  image_tag_mutability = var.mutability
}
