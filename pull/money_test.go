package pull

import (
	"testing"

	"github.com/shopspring/decimal"
)

// TestSumIsExact checks the fast sum against shopspring/decimal on values
// where float64 would drift, across scales, signs and int64 overflow.
func TestSumIsExact(t *testing.T) {
	vals := []string{"0.1", "0.2", "100.0", "-3.125", "123456789012.123456", "0.000001", "999999999999999999", "999999999999999999.99", "7", "-0.30000000000000004", "1e3x"}
	var s Sum
	want := decimal.Zero
	for _, v := range vals {
		err := s.Add(v)
		d, derr := decimal.NewFromString(v)
		if (err == nil) != (derr == nil) && v != "1e3x" {
			t.Fatalf("%s: %v vs %v", v, err, derr)
		}
		if err == nil {
			want = want.Add(d)
		}
	}
	for i := 0; i < 100000; i++ {
		s.Add("92233720368.54775807")
		want = want.Add(decimal.RequireFromString("92233720368.54775807"))
	}
	if got := s.Decimal(); !got.Equal(want) {
		t.Fatalf("sum %s, want %s", got, want)
	}
	for _, bad := range []string{"", ".", "abc", "1.2.3", "--1", "1e5"} {
		var z Sum
		if z.Add(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
