package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
)

const benchConfig = `version: 0.1
source: vantage
environment: %s
credentials:
  token: vntg_tkn_%040x
  rotated_at: 2026-05-02
params:
  cost_report_token: ${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}
  workspace_token: ${FINFOCUS_VANTAGE_WORKSPACE_TOKN}
  granularity: daily
  page_size: 10000
`

func benchInputs(b *testing.B, n int) []lint.Input {
	b.Helper()
	dir := b.TempDir()
	envs := []string{"production", "staging", "development"}
	var in []lint.Input
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("vantage-%04d.yaml", i))
		if err := os.WriteFile(p, []byte(fmt.Sprintf(benchConfig, envs[i%3], i%7)), 0o644); err != nil {
			b.Fatal(err)
		}
		in = append(in, lint.Input{Name: filepath.Base(p), Path: p})
	}
	return in
}

func benchRun(b *testing.B, n int) {
	in := benchInputs(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := rules.NewRunner(rules.Defaults(), &lint.Settings{Now: goldenNow})
		res, err := r.Run(context.Background(), in)
		if err != nil || len(res.Findings) == 0 {
			b.Fatalf("run: %v, %d findings", err, len(res.Findings))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/config")
}

// BenchmarkCheckOneConfig checks one plugin config with every rule.
func BenchmarkCheckOneConfig(b *testing.B) { benchRun(b, 1) }

// BenchmarkCheck1000Configs checks 1,000 configs, token-reuse included.
func BenchmarkCheck1000Configs(b *testing.B) { benchRun(b, 1000) }
