FINFOCUS_VANTAGE_BASE_URL=http://ci:hunter2-s3cret@proxy.example.com/v2
