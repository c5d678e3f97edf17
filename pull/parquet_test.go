package pull

import (
	"os"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
)

// readParquet reads a Parquet pull back: its row count and the exact sum
// of its money column.
func readParquet(t *testing.T, path, format string) (int, decimal.Decimal) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum := decimal.Zero
	add := func(d decimal38) {
		v, err := decimal.NewFromString(decimalString(d))
		if err != nil {
			t.Fatal(err)
		}
		sum = sum.Add(v)
	}
	n := 0
	if format == "parquet" {
		r := parquet.NewGenericReader[rawParquetRow](f)
		defer r.Close()
		buf := make([]rawParquetRow, 512)
		for {
			k, err := r.Read(buf)
			for _, row := range buf[:k] {
				add(row.Amount)
			}
			n += k
			if err != nil {
				break
			}
		}
		return n, sum
	}
	r := parquet.NewGenericReader[focusParquetRow](f)
	defer r.Close()
	buf := make([]focusParquetRow, 512)
	for {
		k, err := r.Read(buf)
		for _, row := range buf[:k] {
			add(row.BilledCost)
			if row.ChargePeriodStart.IsZero() || row.BillingPeriodEnd.IsZero() {
				t.Fatalf("row without periods: %+v", row)
			}
		}
		n += k
		if err != nil {
			break
		}
	}
	return n, sum
}

// TestDecimal38: amounts convert exactly, negatives in two's complement;
// one that does not fit is an error, never a rounded number.
func TestDecimal38(t *testing.T) {
	for _, s := range []string{"0", "1.5", "-0.004512", "12345678901234567890.123456789012345678", "-99.99"} {
		d, err := toDecimal38(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		got, _ := decimal.NewFromString(decimalString(d))
		want, _ := decimal.NewFromString(s)
		if !got.Equal(want) {
			t.Errorf("%s round-trips as %s", s, decimalString(d))
		}
	}
	for _, s := range []string{"0.0000000000000000001", "123456789012345678901", "1e5", "abc"} {
		if _, err := toDecimal38(s); err == nil {
			t.Errorf("%s was accepted", s)
		}
	}
}

// TestParquetColumnsFollowFOCUSColumns: the Parquet schema has the FOCUS
// columns, in order.
func TestParquetColumnsFollowFOCUSColumns(t *testing.T) {
	s := parquet.SchemaOf(focusParquetRow{})
	fields := s.Fields()
	if len(fields) != len(FOCUSColumns) || len(FOCUSColumns) != nFOCUS {
		t.Fatalf("%d Parquet columns, %d FOCUS columns, nFOCUS %d", len(fields), len(FOCUSColumns), nFOCUS)
	}
	for i, f := range fields {
		if f.Name() != FOCUSColumns[i].Name {
			t.Errorf("column %d is %s, want %s", i, f.Name(), FOCUSColumns[i].Name)
		}
		if f.Optional() != FOCUSColumns[i].Nullable {
			t.Errorf("%s: optional %v, nullable %v", f.Name(), f.Optional(), FOCUSColumns[i].Nullable)
		}
	}
}
