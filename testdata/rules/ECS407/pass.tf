resource "aws_kms_key" "ecr" {
  description = "orders ECR"
}

resource "aws_ecr_repository" "app" {
  name                 = "orders-api"
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
