// Package argv reorders a command line so that a command's options may
// follow its positional arguments (`check . --format json`), as users
// expect; the CLI library stops reading options at the first positional
// argument.
package argv

import "strings"

// Permute moves the options after args[at] (the command's name) before
// its positional arguments, which follow a "--". takesValue says which
// option names take the next argument as their value. Everything after a
// "--" stays positional.
func Permute(args []string, at int, takesValue map[string]bool) []string {
	var flags, pos []string
	rest := args[at+1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			pos = append(pos, rest[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
			i++
			flags = append(flags, rest[i])
		}
	}
	out := append([]string{}, args[:at+1]...)
	out = append(out, flags...)
	if len(pos) > 0 {
		out = append(out, "--")
		out = append(out, pos...)
	}
	return out
}
