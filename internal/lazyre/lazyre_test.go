package lazyre

import "testing"

func TestNewCompilesOnceOnFirstUse(t *testing.T) {
	re := New(`^a+$`)
	if !re().MatchString("aaa") || re().MatchString("b") {
		t.Fatal("wrong matches")
	}
	if re() != re() {
		t.Fatal("compiled twice")
	}
	bad := New(`(`)
	defer func() {
		if recover() == nil {
			t.Fatal("an invalid pattern did not panic at first use")
		}
	}()
	bad()
}
