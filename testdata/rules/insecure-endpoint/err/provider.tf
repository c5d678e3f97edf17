provider "vantage" {
  host = "http://vantage.internal"
  api_token = var.vantage_api_token
}

variable "vantage_api_token" {
  type      = string
  sensitive = true
}
