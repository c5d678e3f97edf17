// Command finfocus-vantage keeps the credentials of the FinFocus Vantage
// plugin safe and working: it lints plugin configs and repositories for
// credential problems, verifies tokens against the Vantage API and pulls
// cost data. See README.md.
package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

func main() {
	tuneRuntime()
	// FINFOCUS_VANTAGE_CPUPROFILE=FILE writes a CPU profile, for bench/.
	if p := os.Getenv("FINFOCUS_VANTAGE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			code := run(os.Args, os.Stdin, os.Stdout, os.Stderr, os.Environ())
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr, os.Environ()))
}

// tuneRuntime sets the scheduler and collector for a scan of many small
// files, unless the user set GOMAXPROCS or GOGC: twice as many Ps as
// cores, because reading cached files is a stream of short system calls
// during which a P sits idle, and a lazier collector (the heap is small and
// mostly reused read buffers) under a soft memory limit of 128 MiB.
// Measured in bench/README.md: 0.24 s → 0.18 s on the 20,000-file corpus.
func tuneRuntime() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(2 * runtime.NumCPU())
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(128 << 20)
	}
}
