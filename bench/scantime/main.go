// Command scantime splits the time of a repository scan into its phases
// (listing, reading and prefiltering, rules), for tuning.
//
//	go run ./bench/scantime DIR
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
)

func main() {
	dir := os.Args[1]
	t0 := time.Now()
	in, err := lint.Collect(context.Background(), dir, []string{"."})
	if err != nil {
		panic(err)
	}
	t1 := time.Now()
	// Read only, in parallel.
	var wg sync.WaitGroup
	ch := make(chan lint.Input)
	var total int64
	var mu sync.Mutex
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var n int64
			buf := make([]byte, 1<<20)
			for i := range ch {
				f, _ := os.Open(i.Path)
				m, _ := io.ReadFull(f, buf)
				f.Close()
				b := buf[:m]
				if bytes.Contains(b, []byte(os.Getenv("KW"))) {
					n++
				}
				n += int64(len(b))
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	for _, i := range in {
		ch <- i
	}
	close(ch)
	wg.Wait()
	t2 := time.Now()
	r := rules.NewRunner(rules.Defaults(), &lint.Settings{Now: time.Now(), Cwd: dir})
	res, err := r.Run(context.Background(), in)
	if err != nil {
		panic(err)
	}
	t3 := time.Now()
	fmt.Printf("list %d files: %v\nread+1 keyword: %v (%d MB)\nfull run: %v (%d findings)\n", len(in), t1.Sub(t0), t2.Sub(t1), total>>20, t3.Sub(t2), len(res.Findings))
}
