package pull

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// Sum adds decimal strings exactly, fast: amounts are kept as integers at
// the largest scale seen so far, in an int64 while that cannot overflow
// and in a big.Int beyond. Never float64.
type Sum struct {
	scale int      // digits after the point
	small int64    // part of the sum not yet moved to big
	big   *big.Int // the rest, at the same scale
}

// pow10 holds 10^0 … 10^18.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// Add adds a decimal string such as "-12.3456".
func (s *Sum) Add(amount string) error {
	neg := strings.HasPrefix(amount, "-")
	digits := strings.TrimPrefix(strings.TrimPrefix(amount, "-"), "+")
	intPart, frac, _ := strings.Cut(digits, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return fmt.Errorf("%q is not a decimal number", amount)
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > s.scale {
		s.rescale(len(frac))
	}
	// Fast path: the value fits an int64 at the current scale.
	if n := len(intPart) + s.scale; n <= 18 {
		v := int64(0)
		for i := 0; i < len(intPart); i++ {
			v = v*10 + int64(intPart[i]-'0')
		}
		f := int64(0)
		for i := 0; i < len(frac); i++ {
			f = f*10 + int64(frac[i]-'0')
		}
		v = v*pow10[s.scale] + f*pow10[s.scale-len(frac)]
		if neg {
			v = -v
		}
		if (v > 0 && s.small > (1<<62)) || (v < 0 && s.small < -(1<<62)) {
			s.flush()
		}
		s.small += v
		return nil
	}
	b, ok := new(big.Int).SetString(intPart+frac+strings.Repeat("0", s.scale-len(frac)), 10)
	if !ok {
		return fmt.Errorf("%q is not a decimal number", amount)
	}
	if neg {
		b.Neg(b)
	}
	s.flush()
	s.big.Add(s.big, b)
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// flush moves the int64 part into the big.Int.
func (s *Sum) flush() {
	if s.big == nil {
		s.big = new(big.Int)
	}
	s.big.Add(s.big, big.NewInt(s.small))
	s.small = 0
}

// rescale raises the scale, multiplying what is summed so far.
func (s *Sum) rescale(scale int) {
	s.flush()
	s.big.Mul(s.big, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale-s.scale)), nil))
	s.scale = scale
}

// Decimal returns the exact sum.
func (s *Sum) Decimal() decimal.Decimal {
	total := big.NewInt(s.small)
	if s.big != nil {
		total.Add(total, s.big)
	}
	return decimal.NewFromBigInt(total, int32(-s.scale))
}
