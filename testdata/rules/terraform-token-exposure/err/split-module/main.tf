provider "vantage" {
  api_token = var.token
}
