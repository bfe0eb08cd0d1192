resource "aws_ecs_task_definition" "ok" {
  family = "ok"
  container_definitions = jsonencode([{ name = "a", image = "a:1" }])
}

resource "aws_ecs_service" "broken" {
  name = "broken"
  desired_count = = 2
}
