// Command finfocus-vantage keeps the credentials of the FinFocus Vantage
// plugin safe and working: it lints plugin configs and repositories for
// credential problems, verifies tokens against the Vantage API and pulls
// cost data. See README.md.
package main

import (
	"os"
	"runtime"
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

// tuneRuntime sets the scheduler for a scan of many small files, unless
// the user set GOMAXPROCS: twice as many Ps as cores, because reading
// cached files is a stream of short system calls during which a P sits
// idle. The collector is tuned by the scan commands (tuneGCForScan).
func tuneRuntime() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(2 * runtime.NumCPU())
	}
}
