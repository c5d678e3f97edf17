terraform {
  required_providers {
    vantage = {
      source = "vantage-sh/vantage"
    }
  }
}

provider "vantage" {
  api_token = var.vantage_api_token
}

variable "vantage_api_token" {
  type      = string
  sensitive = true
}

output "report" {
  value = vantage_cost_report.main.token
}
