variable "vantage_api_token" {
  type      = string
  sensitive = true
}

provider "vantage" {
  api_token = var.vantage_api_token
}

output "token_length" {
  value = length(var.vantage_api_token)
}

output "token_set" {
  value = var.vantage_api_token != ""
}

output "token_plain" {
  value = nonsensitive(var.vantage_api_token)
}

output "token_upper" {
  value     = upper(var.vantage_api_token)
}

output "header" {
  value = "Bearer ${var.vantage_api_token}"
  sensitive = true
}
