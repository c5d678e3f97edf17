provider "vantage" {
  host = "api.vantage.sh"
  api_token = var.vantage_api_token
}

variable "vantage_api_token" {
  type      = string
  sensitive = true
}
