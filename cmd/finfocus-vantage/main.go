// Command finfocus-vantage keeps the credentials of the FinFocus Vantage
// plugin safe and working: it lints plugin configs and repositories for
// credential problems, verifies tokens against the Vantage API and pulls
// cost data. See README.md.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr, os.Environ()))
}
