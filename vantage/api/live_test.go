package api_test

import (
	"context"
	"os"
	"testing"

	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/api"
)

// TestLiveAPI calls the real Vantage API. It runs only when
// FINFOCUS_VANTAGE_LIVE_TEST=1, with the token in FINFOCUS_VANTAGE_TOKEN
// (and optionally a report in FINFOCUS_VANTAGE_COST_REPORT_TOKEN).
func TestLiveAPI(t *testing.T) {
	if os.Getenv("FINFOCUS_VANTAGE_LIVE_TEST") != "1" {
		t.Skip("set FINFOCUS_VANTAGE_LIVE_TEST=1 and FINFOCUS_VANTAGE_TOKEN to call the real API")
	}
	c, err := api.NewClient(os.Getenv(vantage.EnvToken), api.WithMaxRetries(2))
	if err != nil {
		t.Fatal(err)
	}
	me, err := c.Me(context.Background())
	if err != nil {
		t.Fatalf("GET /me: %v", err)
	}
	t.Logf("token %q, scopes %v, %d workspaces", me.BearerToken.Description, me.BearerToken.Scope, len(me.Workspaces))
	if rep := os.Getenv(vantage.EnvCostReportToken); rep != "" {
		pages := 0
		err := c.Costs(context.Background(), api.CostsQuery{CostReportToken: rep, Limit: 100}, func(p *api.CostsPage) error {
			pages++
			if pages == 2 {
				return context.Canceled // two pages prove pagination
			}
			return nil
		})
		if err != nil && err != context.Canceled {
			t.Fatalf("GET /costs: %v", err)
		}
	}
}
