// Package pull streams cost data from the Vantage API to a file.
//
// The data path, with the file of each step:
//
//	period     pull.go     flags, else the config, else the last 30 complete days
//	pages      pull.go     GET /costs page by page (the next page prefetched),
//	                       through the api client the auth check verified
//	rows       formats.go  a row writer per format (jsonl, csv, FOCUS csv or
//	                       jsonl), each row read once by api.ScanCost
//	sums       money.go    exact decimal sums per currency, provider, service
//	reconcile  pull.go     the sums against the API's total_cost
//	commit     pull.go     the output renamed into place atomically
//	                       (internal/atomicfile); nothing on a failure
//	status     status.go   a status line on a terminal, then the summary
//
// Rows are never all held in memory.
package pull
