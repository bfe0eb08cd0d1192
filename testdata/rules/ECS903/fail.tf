resource "aws_ecr_repository" "app" {
  name                 = "orders-api"
  image_tag_mutability = "IMMUTABLE"
}
