variable "insights" {
  type = string
}

resource "aws_ecs_cluster" "orders" {
  name = "orders"

  setting {
    name  = "containerInsights"
    value = "enhanced"
  }
}

resource "aws_ecs_cluster" "batch" {
  name = "batch"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

# Unknown value: not reported.
resource "aws_ecs_cluster" "jobs" {
  name = "jobs"

  setting {
    name  = "containerInsights"
    value = var.insights
  }
}

# Capacity-provider associations carry no settings.
resource "aws_ecs_cluster_capacity_providers" "orders" {
  cluster_name       = aws_ecs_cluster.orders.name
  capacity_providers = ["FARGATE"]
}
