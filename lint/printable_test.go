package lint

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain path/a.yaml":              "plain path/a.yaml",
		"evil\n::error file=x::injected": `evil\n::error file=x::injected`,
		"\x1b[2J\x1b]0;title\x07name":    `\x1b[2J\x1b]0;title\x07name`,
		"tab\tstays":                     "tab\tstays",
		"caf\u00e9":                      "caf\u00e9",
		"abc\u202etxt.exe":               `abc\u202etxt.exe`,
		"bad\xffbyte":                    `bad\xffbyte`,
		"c1\u009bcontrol":                `c1\u009bcontrol`,
		"cr\r::set-output name=x::y":     `cr\r::set-output name=x::y`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
