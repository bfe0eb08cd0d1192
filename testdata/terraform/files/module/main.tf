resource "aws_ecs_task_definition" "from_file" {
  family                = "from-file"
  container_definitions = file("${path.module}/containers.json")
}

resource "aws_ecs_task_definition" "from_template" {
  family = "from-template"
  container_definitions = templatefile("${path.module}/containers.json.tpl", {
    image  = "public.ecr.aws/example/api:2.1.0"
    memory = 1024
    env    = { STAGE = "prod", TEAM = "payments" }
  })
}

resource "aws_ecs_task_definition" "outside" {
  family                = "outside"
  container_definitions = file("${path.module}/../outside.json")
}
