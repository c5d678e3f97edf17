// Command testsummary runs go test with -json and prints what go test
// prints (a line per package, the output of failing tests), then which
// tests were skipped and why, so a skip that needs a tool is never silent.
// Its exit code is go test's.
//
//	go run ./internal/testsummary [go test flags] PACKAGES
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type skip struct{ pkg, test, why string }

func main() {
	cmd := exec.Command("go", append([]string{"test", "-json"}, os.Args[1:]...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	skips := summarize(out, os.Stdout)
	err = cmd.Wait()
	if len(skips) > 0 {
		fmt.Printf("\n%d tests skipped (run them by installing what they name; .ci/run does):\n", len(skips))
		for _, s := range skips {
			fmt.Printf("  %s %s: %s\n", s.pkg, s.test, s.why)
		}
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		os.Exit(ee.ExitCode())
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

// summarize copies go test's own report from its JSON events to w and
// returns the skipped tests, sorted, each with its last line of output.
func summarize(r io.Reader, w io.Writer) []skip {
	outputs := map[string][]string{} // package/test → its output lines
	var skips []skip
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			fmt.Fprintln(w, sc.Text()) // not an event: a build error, say
			continue
		}
		key := e.Package + " " + e.Test
		switch {
		case e.Action == "output" && e.Test == "":
			if !strings.HasPrefix(e.Output, "=== ") && !strings.HasPrefix(e.Output, "PASS\n") {
				fmt.Fprint(w, e.Output)
			}
		case e.Action == "output":
			outputs[key] = append(outputs[key], e.Output)
		case e.Action == "fail" && e.Test != "":
			for _, l := range outputs[key] {
				fmt.Fprint(w, l)
			}
			delete(outputs, key)
		case e.Action == "skip" && e.Test != "":
			why := "skipped"
			for _, l := range outputs[key] {
				if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "=== ") && !strings.HasPrefix(t, "--- SKIP") {
					why = t
				}
			}
			skips = append(skips, skip{e.Package, e.Test, why})
			delete(outputs, key)
		case e.Action == "pass":
			delete(outputs, key)
		}
	}
	sort.Slice(skips, func(i, j int) bool { return skips[i].pkg+skips[i].test < skips[j].pkg+skips[j].test })
	return skips
}
