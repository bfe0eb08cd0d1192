locals {
  big = [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39]
  n = [for v4 in local.big : [for v3 in local.big : [for v2 in local.big : [for v1 in local.big : [for v0 in local.big : v0]]]]]
}
resource "aws_ecs_task_definition" "t" {
  family = "t"
  cpu = length(local.n)
  container_definitions = jsonencode([])
}
