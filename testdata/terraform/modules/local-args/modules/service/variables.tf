variable "name" {
  type = string
}

variable "cpu" {
  type    = number
  default = 256
}

variable "memory" {
  type    = number
  default = 512
}

variable "image" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "assign_public_ip" {
  type    = bool
  default = false
}

variable "desired_count" {
  type    = number
  default = 1
}
