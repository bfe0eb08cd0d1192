resource "aws_ecs_capacity_provider" "ec2" {
  name = "orders-ec2"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0a1b2c3d:autoScalingGroupName/orders"
    managed_termination_protection = "ENABLED"

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

# Without managed scaling, managed termination protection cannot be turned on.
resource "aws_ecs_capacity_provider" "manual" {
  name = "orders-manual"

  auto_scaling_group_provider {
    auto_scaling_group_arn = "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0a1b2c3d:autoScalingGroupName/manual"

    managed_scaling {
      status = "DISABLED"
    }
  }
}
