# The provider's workspace_token is an identifier (wrkspc_…), not a
# secret: a variable for it needs no sensitive flag.
variable "vantage_workspace_token" {
  type        = string
  description = "Vantage workspace token"
  default     = "<YOUR_VANTAGE_WORKSPACE>"
}

resource "vantage_folder" "team" {
  title           = "Team"
  workspace_token = var.vantage_workspace_token
}
