resource "aws_ecs_cluster" "orders" {
  name = "orders"

  setting {
    name  = "containerInsights"
    value = "disabled"
  }
}

resource "aws_ecs_cluster" "batch" {
  name = "batch"
}
