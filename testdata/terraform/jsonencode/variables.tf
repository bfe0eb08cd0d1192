variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "cpu" {
  type    = number
  default = 256
}

variable "memory" {
  type    = number
  default = 1024
}

variable "image_tag" {
  type        = string
  description = "No default: only known at deploy time."
}

variable "ports" {
  type    = list(number)
  default = [8080, 9090]
}

variable "enable_xray" {
  type    = bool
  default = false
}

variable "create" {
  type    = bool
  default = true
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "execution_role_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "target_group_arn" {
  type    = string
  default = null
}
