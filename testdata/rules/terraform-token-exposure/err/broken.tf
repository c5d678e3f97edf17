provider "vantage" {
  api_token =
}
