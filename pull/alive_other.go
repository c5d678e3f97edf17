//go:build !unix

package pull

// processAlive cannot tell here: a lock is taken to be held.
func processAlive(int) bool { return true }
