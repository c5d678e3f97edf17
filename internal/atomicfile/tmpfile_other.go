//go:build !linux

package atomicfile

import "os"

func openUnnamed(string) (*os.File, bool) { return nil, false }

func linkUnnamed(*os.File, string) error { return nil }
