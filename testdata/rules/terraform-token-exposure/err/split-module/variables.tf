variable "token" {
  type = string
}

output "debug_token" {
  value = "prefix-${var.token}"
}
