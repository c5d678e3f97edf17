//go:build !linux

package atomicfile

import "os"

func openUnnamed(string) (*os.File, bool) { return nil, false }

func linkUnnamed(*os.File, string) error { return nil }

// openDirect opens a device or pipe for writing in place.
func openDirect(path string) (*os.File, error) { return os.OpenFile(path, os.O_WRONLY, 0) }
