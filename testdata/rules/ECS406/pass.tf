resource "aws_ecr_repository" "app" {
  name                 = "orders-api"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "pull-from-the-organisation"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
      },
      {
        Sid       = "pull-from-staging"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::210987654321:root" }
        Action    = ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
      }
    ]
  })
}
