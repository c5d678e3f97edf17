// Package api is the client of the Vantage REST API (v2) in the shape of
// google/go-github: NewClient(token, opts...), a base URL tests override,
// Do(req, v), typed errors (*AuthError, *NotFoundError, *RateLimitError,
// *APIError) for errors.As, and retry policy and clock as replaceable
// functions. It holds the API types (Me, CostReport, Cost, CostsPage) and
// a one-pass reader of cost rows (scan.go) that a differential fuzz target
// keeps in agreement with encoding/json.
//
// The token is sent only to the base URL's host, over https unless the
// host is loopback, and never appears in an error. Package apitest beside
// it is the fake API that tests and cmd/vantage-fake use.
package api
