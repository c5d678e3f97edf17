provider "vantage" {
  api_token = "vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d"
  host      = "api.vantage.sh"
}

provider "vantage" {
  alias     = "reports"
  api_token = var.api_token
}

variable "api_token" {
  type    = string
  default = "q9Xk2Lm7Qp4Rt8Vw3zJ5nB"
}

variable "vantage_token" {
  type    = string
  default = "vntg_tkn_8b2e4d6f0a1c3e5b7d9f1b3d5f7a9c0e2b4d6f81"
}

output "token" {
  value = var.api_token
}
