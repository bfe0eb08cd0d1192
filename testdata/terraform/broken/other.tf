resource "aws_ecs_task_definition" "still_read" {
  family = "still-read"
  cpu    = "512"
  memory = "1024"
  container_definitions = jsonencode([{ name = "b", image = "b:2" }])
}
