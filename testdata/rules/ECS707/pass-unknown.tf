# Termination protection set by the caller: unknown here, not reported.
variable "managed_termination_protection" {
  type = string
}

resource "aws_ecs_capacity_provider" "ec2" {
  name = "orders-ec2"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0a1b2c3d:autoScalingGroupName/orders"
    managed_termination_protection = var.managed_termination_protection

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}
