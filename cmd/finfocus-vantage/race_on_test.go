//go:build race

package main

// raceEnabled: the race detector's runtime allocates several times more
// (sync.Pool drops items at random), so allocation bounds are checked in
// the run without it (.ci/run runs those tests again without -race).
const raceEnabled = true
