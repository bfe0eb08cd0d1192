variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "cpu" {
  type    = number
  default = 512
}

variable "memory" {
  type    = number
  default = 1024
}

variable "container_port" {
  type    = number
  default = 8080
}

variable "image_repository" {
  type    = string
  default = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront"
}

variable "execution_role_arn" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_ids" {
  type = list(string)
}

variable "target_group_arn" {
  type = string
}
