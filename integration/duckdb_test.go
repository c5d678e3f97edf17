package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rshade/finfocus-vantage/pull"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
	"github.com/shopspring/decimal"
)

// duckdbNode returns node and the node_modules folder holding
// @duckdb/node-api (DUCKDB_NODE_MODULES; .ci/run installs it); without
// them the test skips, unless FINFOCUS_VANTAGE_INTEGRATION=1, where they
// must be there.
func duckdbNode(t *testing.T) (node, mods string) {
	t.Helper()
	node = need(t, "node")
	mods = os.Getenv("DUCKDB_NODE_MODULES")
	if _, err := os.Stat(filepath.Join(mods, "@duckdb", "node-api")); mods == "" || err != nil {
		if os.Getenv("FINFOCUS_VANTAGE_INTEGRATION") == "1" {
			t.Fatalf("DUCKDB_NODE_MODULES=%q has no @duckdb/node-api, and FINFOCUS_VANTAGE_INTEGRATION=1 requires it", mods)
		}
		t.Skip("set DUCKDB_NODE_MODULES to a node_modules folder with @duckdb/node-api")
	}
	return node, mods
}

// duckdb runs check.cjs on a Parquet file with the real DuckDB. The
// @duckdb/node-api package comes from DUCKDB_NODE_MODULES (a node_modules
// folder; .ci/run installs it), else the test skips, unless
// FINFOCUS_VANTAGE_INTEGRATION=1, where it must be there.
func duckdb(t *testing.T, file, column string) (rows string, sum decimal.Decimal, columns map[string]string) {
	t.Helper()
	node, mods := duckdbNode(t)
	cmd := exec.Command(node, filepath.Join(repoRoot(t), "integration", "duckdb", "check.cjs"), file, column)
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("duckdb: %v\n%s", err, stderr)
	}
	var got struct {
		Rows, Sum string
		Columns   map[string]string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("duckdb output %q: %v", out, err)
	}
	sum, err = decimal.NewFromString(got.Sum)
	if err != nil {
		t.Fatalf("sum %q: %v", got.Sum, err)
	}
	return got.Rows, sum, got.Columns
}

// TestParquetInDuckDB loads focus-parquet and parquet pulls into real
// DuckDB: the row count is the pull's, money columns are DECIMAL(38,18),
// periods TIMESTAMP WITH TIME ZONE, Tags a MAP, and the cost sum equals
// the reconciled exact sum to the last digit.
func TestParquetInDuckDB(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	s.SetReport(apitest.ReportToken, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: 4321})
	c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(s.URL), api.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct{ format, column string }{{"focus-parquet", "BilledCost"}, {"parquet", "amount"}} {
		t.Run(tc.format, func(t *testing.T) {
			out := filepath.Join(dir, "costs-"+tc.format+".parquet")
			q := api.CostsQuery{CostReportToken: apitest.ReportToken, StartDate: "2026-10-01", EndDate: "2026-10-31", DateBin: "day", Limit: 1000,
				Groupings: pull.Groupings(tc.format, []string{"provider", "service", "tags"}),
				Settings:  api.Settings{IncludeCredits: true, IncludeRefunds: true, IncludeDiscounts: true, IncludeTax: true, Amortize: true}}
			res, err := pull.Run(context.Background(), c, pull.Options{Query: q, Format: tc.format, Output: out})
			if err != nil {
				t.Fatal(err)
			}
			rows, sum, cols := duckdb(t, out, tc.column)
			if rows != "4321" || !sum.Equal(res.Exact) {
				t.Errorf("DuckDB: %s rows summing to %s; the pull: %d rows, exact sum %s", rows, sum, res.Rows, res.Exact)
			}
			want := map[string]string{"amount": "DECIMAL(38,18)", "charge_period_start": "TIMESTAMP WITH TIME ZONE", "tags": "MAP(VARCHAR, VARCHAR)", "currency": "VARCHAR"}
			if tc.format == "focus-parquet" {
				want = map[string]string{"BilledCost": "DECIMAL(38,18)", "EffectiveCost": "DECIMAL(38,18)", "PricingQuantity": "DECIMAL(38,18)",
					"ChargePeriodStart": "TIMESTAMP WITH TIME ZONE", "BillingPeriodEnd": "TIMESTAMP WITH TIME ZONE", "Tags": "VARCHAR",
					"ChargeCategory": "VARCHAR", "x_VantageTags": "VARCHAR"}
				if len(cols) != len(pull.FOCUSColumns) {
					t.Errorf("DuckDB sees %d columns, want %d", len(cols), len(pull.FOCUSColumns))
				}
			}
			for col, typ := range want {
				if got := cols[col]; !strings.EqualFold(got, typ) {
					t.Errorf("column %s is %q in DuckDB, want %q", col, got, typ)
				}
			}
		})
	}
}

// TestDatasetInDuckDB: a focus-parquet dataset pulled twice is the same
// bytes, and DuckDB reading DIR/**/*.parquet with hive_partitioning sees
// each billing period's rows with the manifest's exact sum.
func TestDatasetInDuckDB(t *testing.T) {
	node, mods := duckdbNode(t)
	s := apitest.NewServer()
	defer s.Close()
	s.SetReport(apitest.ReportToken, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: 2500})
	c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(s.URL), api.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	c.Limits = nil // the fake's limits and the pacing are tested in vantage/api
	s.Limits = nil
	dir := filepath.Join(t.TempDir(), "costs")
	q := api.CostsQuery{CostReportToken: apitest.ReportToken, StartDate: "2026-08-15", EndDate: "2026-10-20", DateBin: "day", Limit: 1000,
		Groupings: pull.Groupings("focus-parquet", nil),
		Settings:  api.Settings{IncludeCredits: true, IncludeRefunds: true, IncludeTax: true, Amortize: true}}
	opts := pull.DatasetOptions{Dir: dir, Query: q, Tool: "finfocus-vantage test", Restate: 12, Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	if _, err := pull.PullDataset(context.Background(), c, opts); err != nil {
		t.Fatal(err)
	}
	first := map[string][]byte{}
	m, err := pull.ReadManifest(dir)
	if err != nil || m == nil || len(m.Partitions) != 3 || m.Format != "focus-parquet" {
		t.Fatalf("manifest %+v %v", m, err)
	}
	for _, p := range m.Partitions {
		first[p.Path], _ = os.ReadFile(filepath.Join(dir, p.Path))
	}
	if _, err := pull.PullDataset(context.Background(), c, opts); err != nil {
		t.Fatal(err)
	}
	for path, b := range first {
		again, _ := os.ReadFile(filepath.Join(dir, path))
		if !bytes.Equal(again, b) {
			t.Errorf("%s: a second pull of the same period wrote other bytes", path)
		}
	}
	cmd := exec.Command(node, filepath.Join(repoRoot(t), "integration", "duckdb", "dataset.cjs"), dir, "BilledCost")
	cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("duckdb: %v", err)
	}
	var got map[string]struct{ Rows, Sum string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if len(got) != len(m.Partitions) {
		t.Fatalf("DuckDB sees billing periods %v", got)
	}
	for _, p := range m.Partitions {
		g := got[p.BillingPeriod]
		sum, err := decimal.NewFromString(g.Sum)
		if err != nil || g.Rows != strconv.Itoa(p.Rows) || !sum.Equal(decimal.RequireFromString(p.ExactSum)) {
			t.Errorf("%s: DuckDB %s rows summing to %s; manifest %d rows, %s", p.BillingPeriod, g.Rows, g.Sum, p.Rows, p.ExactSum)
		}
	}
}

// TestCSVIDsStayTextInDuckDB: all-digit account IDs become numbers when
// DuckDB guesses a csv's types; the typed load the README gives keeps
// every ID as text.
func TestCSVIDsStayTextInDuckDB(t *testing.T) {
	node, mods := duckdbNode(t)
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := apitest.NewServer()
	defer s.Close()
	s.Limits = nil
	s.SetReport(apitest.ReportToken, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: 300})
	c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(s.URL), api.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	c.Limits = nil
	dir := t.TempDir()
	for _, tc := range []struct{ format, column, types string }{
		{"csv", "account_id", `{"account_id": "VARCHAR", "billing_account_id": "VARCHAR", "resource_id": "VARCHAR"}`},
		{"focus-csv", "SubAccountId", `{"BillingAccountId": "VARCHAR", "SubAccountId": "VARCHAR", "SubAccountName": "VARCHAR", "ResourceId": "VARCHAR"}`},
	} {
		// The README gives this load, word for word.
		if want := strings.ReplaceAll(tc.types, `"`, `'`); !strings.Contains(string(readme), "types = "+want) {
			t.Errorf("README does not give the typed load for %s: types = %s", tc.format, want)
		}
		out := filepath.Join(dir, "costs-"+tc.format+".csv")
		q := api.CostsQuery{CostReportToken: apitest.ReportToken, StartDate: "2026-10-01", EndDate: "2026-10-31", DateBin: "day", Limit: 1000,
			Groupings: pull.Groupings(tc.format, []string{"provider", "service", "account", "resource_id"})}
		if _, err := pull.Run(context.Background(), c, pull.Options{Query: q, Format: tc.format, Output: out}); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(node, filepath.Join(repoRoot(t), "integration", "duckdb", "csv.cjs"), out, tc.column, tc.types)
		cmd.Env = append(os.Environ(), "NODE_PATH="+mods)
		got, err := cmd.Output()
		if err != nil {
			t.Fatalf("duckdb: %v", err)
		}
		var res struct {
			Guessed, Typed struct {
				Type   string
				Values []string
			}
		}
		if err := json.Unmarshal(got, &res); err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		t.Logf("%s %s: guessed %s %v; typed %s %v", tc.format, tc.column, res.Guessed.Type, res.Guessed.Values, res.Typed.Type, res.Typed.Values)
		if res.Typed.Type != "VARCHAR" || len(res.Typed.Values) == 0 || len(res.Typed.Values[0]) != 12 {
			t.Errorf("%s: the typed load gives %s %v, want VARCHAR account IDs", tc.format, res.Typed.Type, res.Typed.Values)
		}
	}
}
