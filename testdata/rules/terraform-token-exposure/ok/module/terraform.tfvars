region = "us-east-1"
vantage_api_token = "your_token_here"
