provider "vantage" {
  api_token = "vntg_tkn_8b2e4d6f0a1c3e5b7d9f1b3d5f7a9c0e2b4d6f81"
}

variable "vantage_api_token" {
  type = string
}

output "token" {
  value = var.vantage_api_token
}
