// Command vantage-fake serves a local fake of the Vantage API (package
// vantage/api/apitest) for demos and end-to-end tests:
//
//	vantage-fake --addr 127.0.0.1:8089 --rows 12000
//
// It prints the API root and the made-up tokens it accepts, and serves
// until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("vantage-fake", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8089", "address to listen on (loopback only)")
	rows := fs.Int("rows", 12000, "cost rows in the fake cost report")
	seed := fs.Uint64("seed", 1, "seed of the generated costs")
	rateLimit := fs.Int("rate-limit", 0, "requests allowed per hour, account-wide (0: the documented 1,000); the 5 per 5 s on Cost Report endpoints always holds")
	relative := fs.Bool("relative-links", false, "send next links as relative paths")
	noLimits := fs.Bool("no-limits", false, "enforce no rate limit (for benchmarks, with FINFOCUS_VANTAGE_PACING=off on the client)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
		fmt.Fprintf(os.Stderr, "vantage-fake: --addr %q must be a loopback address such as 127.0.0.1:8089\n", *addr)
		return 2
	}
	s := apitest.New()
	s.Seed, s.RelativeLinks = *seed, *relative
	switch {
	case *noLimits:
		s.Limits = nil
	case *rateLimit > 0:
		s.Limits = []apitest.Limit{{N: *rateLimit, Per: time.Hour}, apitest.DocumentedLimits[1]}
	}
	s.SetReport(apitest.ReportToken, apitest.Report{Title: "Engineering (all providers)", WorkspaceToken: apitest.WorkspaceToken, Rows: *rows})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vantage-fake: listen on %s: %v\n", *addr, err)
		return 1
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("vantage-fake serving http://%s/v2\n  read token:   %s\n  write token:  %s\n  cost report:  %s (%d rows)\n",
		ln.Addr(), apitest.ReadToken, apitest.WriteToken, apitest.ReportToken, *rows)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		fmt.Fprintf(os.Stderr, "vantage-fake: %v\n", err)
		return 1
	}
	return 0
}
